package dev.timestep.nn.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timestep.nn.FitOptions;
import dev.timestep.nn.History;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** ReduceLROnPlateau's rate sequence on scripted plateaus, worked out by hand from Keras' rules. */
class ReduceLROnPlateauTest {
  private static final NDArray[] DATA = Scripted.data();

  /** The rate each epoch trained with. */
  private static double[] rates(ReduceLROnPlateau reduce, double start, double... valLoss) {
    Scripted script = new Scripted("val_loss", valLoss);
    try (Sequential m = Scripted.model(start)) {
      History h =
          m.fit(
              DATA[0],
              DATA[1],
              FitOptions.defaults().epochs(valLoss.length).batchSize(8).callbacks(script, reduce));
      double[] logged = h.get("learning_rate");
      double[] used = script.rates.stream().mapToDouble(Double::doubleValue).toArray();
      assertArrayEquals(used, logged, 0, "learning_rate logs the rate the epoch trained with");
      return used;
    }
  }

  private static double[] flat(int n) {
    return Collections.nCopies(n, 1.0).stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void aPlateauHalvesTheRateEveryPatienceEpochs() {
    // epoch 0 is the best; epochs 1, 2 wait: reduce after 2; 3, 4 wait: reduce after 4; ...
    double[] got = rates(new ReduceLROnPlateau().factor(0.5).patience(2), 0.1, flat(7));
    assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025}, got, 1e-15);
  }

  @Test
  void aCooldownPausesTheCount() {
    // reduce after epoch 2; epoch 3 cools down, epoch 4 ends the cooldown and counts 1, epoch 5
    // counts 2: reduce after 5 (Keras' counter; with cooldown 0 the second reduction is after 4)
    double[] got = rates(new ReduceLROnPlateau().factor(0.5).patience(2).cooldown(2), 0.1, flat(8));
    assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025}, got, 1e-15);
  }

  @Test
  void theRateStopsAtMinLr() {
    double[] got =
        rates(new ReduceLROnPlateau().factor(0.1).patience(1).minLr(0.005), 0.1, flat(5));
    assertArrayEquals(new double[] {0.1, 0.1, 0.01, 0.005, 0.005}, got, 1e-15);
  }

  @Test
  void improvementsBeyondMinDeltaKeepTheRate() {
    double[] got =
        rates(new ReduceLROnPlateau().patience(1), 0.1, 1.0, 0.9, 0.8, 0.79995, 0.7, 0.6);
    // 0.79995 beats 0.8 by less than minDelta 1e-4: not an improvement, so epoch 4 runs at 0.01
    assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.1, 0.01, 0.01}, got, 1e-15);
  }

  @Test
  void modeMaxWantsHigherValues() {
    double[] got =
        rates(
            new ReduceLROnPlateau().monitor("val_loss").mode(Mode.MAX).patience(1),
            0.1,
            0.1,
            0.2,
            0.3,
            0.2,
            0.25);
    // rising values improve; the fall at epoch 3 reduces the rate for epoch 4
    assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.1, 0.01}, got, 1e-15);
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().factor(1.0));
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().factor(0));
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().patience(-1));
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().cooldown(-1));
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().minLr(-1));
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().minDelta(-1));
  }
}
