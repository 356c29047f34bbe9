package dev.timestep.nn.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.nn.FitOptions;
import dev.timestep.nn.History;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import org.junit.jupiter.api.Test;

/** EarlyStopping against scripted val_loss sequences, with Keras' counting worked out by hand. */
class EarlyStoppingTest {
  private static final NDArray[] DATA = Scripted.data();

  private record Run(History history, Scripted script, float[] weights, float[] state) {}

  private static Run fit(int epochs, EarlyStopping stopping, String key, double... values) {
    Scripted script = new Scripted(key, values);
    try (Sequential m = Scripted.model(0.05)) {
      History h =
          m.fit(
              DATA[0],
              DATA[1],
              FitOptions.defaults().epochs(epochs).batchSize(8).callbacks(script, stopping));
      return new Run(h, script, Scripted.weightsOf(m), Scripted.stateOf(m));
    }
  }

  @Test
  void patienceTwoStopsAtTheSecondEpochWithoutImprovementAndRestoresTheBest() {
    EarlyStopping stopping = new EarlyStopping().patience(2).restoreBestWeights(true);
    // best 0.8 at epoch 1; epochs 2 and 3 do not improve: wait reaches 2 at epoch 3
    Run run = fit(10, stopping, "val_loss", 1.0, 0.8, 0.9, 0.85, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1);
    assertEquals(4, run.history().epochs());
    assertEquals(3, stopping.stoppedEpoch());
    assertEquals(1, stopping.bestEpoch());
    assertEquals(0.8, stopping.best());
    assertArrayEquals(run.script().weights.get(1), run.weights());
    assertArrayEquals(run.script().state.get(1), run.state(), "batch-norm statistics too");
    assertTrue(run.state().length > 0);
  }

  @Test
  void withoutRestoringTheLastEpochsWeightsStay() {
    EarlyStopping stopping = new EarlyStopping().patience(2);
    Run run = fit(10, stopping, "val_loss", 1.0, 0.8, 0.9, 0.85, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1);
    assertEquals(4, run.history().epochs());
    assertArrayEquals(run.script().weights.get(3), run.weights());
  }

  @Test
  void theBestWeightsAreRestoredEvenWhenPatienceNeverRunsOut() {
    // Keras 3 restores at the end of training whether or not it stopped early
    EarlyStopping stopping = new EarlyStopping().patience(10).restoreBestWeights(true);
    Run run = fit(4, stopping, "val_loss", 0.5, 0.4, 0.6, 0.7);
    assertEquals(4, run.history().epochs());
    assertEquals(-1, stopping.stoppedEpoch());
    assertArrayEquals(run.script().weights.get(1), run.weights());
  }

  @Test
  void aBaselineThatIsNeverBeatenKeepsCountingThroughImprovements() {
    // without a baseline: improvements at 0 and 1 reset the count; 2 and 3 make it 2: stop at 3
    EarlyStopping plain = new EarlyStopping().patience(2);
    assertEquals(4, fit(6, plain, "val_loss", 0.9, 0.8, 0.85, 0.95, 0.7, 0.6).history().epochs());
    // with baseline 0.5 the improvements do not reset it: 1, 2, then 3 at epoch 2: stop at 2
    EarlyStopping based = new EarlyStopping().patience(2).baseline(0.5).restoreBestWeights(true);
    Run run = fit(6, based, "val_loss", 0.9, 0.8, 0.85, 0.95, 0.7, 0.6);
    assertEquals(3, run.history().epochs());
    assertEquals(2, based.stoppedEpoch());
    // the best epoch of those run is restored although it missed the baseline
    assertArrayEquals(run.script().weights.get(1), run.weights());
  }

  @Test
  void startFromEpochIgnoresTheWarmUp() {
    EarlyStopping eager = new EarlyStopping().patience(1);
    assertEquals(2, fit(6, eager, "val_loss", 0.1, 0.2, 0.3, 0.4, 0.5, 0.6).history().epochs());
    EarlyStopping warm = new EarlyStopping().patience(1).startFromEpoch(2);
    // epochs 0 and 1 are not monitored: 0.3 at epoch 2 is the first best, epoch 3 stops
    Run run = fit(6, warm, "val_loss", 0.1, 0.2, 0.3, 0.4, 0.5, 0.6);
    assertEquals(4, run.history().epochs());
    assertEquals(2, warm.bestEpoch());
  }

  @Test
  void improvementsSmallerThanMinDeltaDoNotCount() {
    EarlyStopping plain = new EarlyStopping().patience(1);
    assertEquals(4, fit(4, plain, "val_loss", 1.0, 0.95, 0.9, 0.85).history().epochs());
    EarlyStopping coarse = new EarlyStopping().patience(1).minDelta(-0.1); // |minDelta|, as Keras
    assertEquals(2, fit(4, coarse, "val_loss", 1.0, 0.95, 0.9, 0.85).history().epochs());
  }

  @Test
  void modeMaxAndAutoForAccuraciesWantHigherValues() {
    double[] accuracy = {0.5, 0.6, 0.55, 0.58};
    EarlyStopping auto = new EarlyStopping().monitor("val_accuracy").patience(1);
    assertEquals(3, fit(4, auto, "val_accuracy", accuracy).history().epochs());
    EarlyStopping max = new EarlyStopping().monitor("score").mode(Mode.MAX).patience(1);
    assertEquals(3, fit(4, max, "score", accuracy).history().epochs());
    EarlyStopping min = new EarlyStopping().monitor("val_accuracy").mode(Mode.MIN).patience(1);
    assertEquals(2, fit(4, min, "val_accuracy", accuracy).history().epochs());
  }

  @Test
  void aMonitoredValueTheLogsLackIsNamed() {
    try (Sequential m = Scripted.model(0.05)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  m.fit(
                      DATA[0],
                      DATA[1],
                      FitOptions.defaults().epochs(3).callbacks(new EarlyStopping())));
      assertTrue(
          e.getMessage().contains("'val_loss'")
              && e.getMessage().contains("[loss]")
              && e.getMessage().contains("validationSplit"),
          e.getMessage());
    }
  }

  @Test
  void badSettingsAreRefusedWhenMade() {
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().patience(-1));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().monitor(" "));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().mode(null));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().baseline(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().startFromEpoch(-1));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().minDelta(Double.NaN));
  }
}
