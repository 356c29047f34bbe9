package dev.timestep.nn.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.nn.FitOptions;
import dev.timestep.nn.History;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearningRateSchedulerTest {
  private static final NDArray[] DATA = Scripted.data();

  @Test
  void theScheduleSetsEachEpochsRateFromTheEpochAndTheCurrentRate() {
    List<String> calls = new ArrayList<>();
    LearningRateScheduler scheduler =
        new LearningRateScheduler(
            (epoch, rate) -> {
              calls.add(epoch + ":" + (float) rate);
              return epoch < 2 ? rate : rate * 0.5;
            });
    try (Sequential m = Scripted.model(0.08)) {
      History h = m.fit(DATA[0], DATA[1], FitOptions.defaults().epochs(4).callbacks(scheduler));
      float[] expected = {0.08f, 0.08f, 0.04f, 0.02f};
      double[] logged = h.get("learning_rate");
      for (int i = 0; i < 4; i++) {
        assertEquals(expected[i], (float) logged[i]);
      }
      assertEquals(List.of("0:0.08", "1:0.08", "2:0.08", "3:0.04"), calls);
      assertEquals(0.02f, (float) m.optimizer().learningRate());
    }
  }

  @Test
  void aRateThatIsNotPositiveAndFiniteIsNamed() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      try (Sequential m = Scripted.model(0.08)) {
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () ->
                    m.fit(
                        DATA[0],
                        DATA[1],
                        FitOptions.defaults()
                            .epochs(3)
                            .callbacks(new LearningRateScheduler((ep, r) -> ep == 1 ? bad : r))));
        assertTrue(
            e.getMessage().contains("epoch 2") && e.getMessage().contains(String.valueOf(bad)),
            e.getMessage());
      }
    }
  }

  @Test
  void aScheduleIsRequired() {
    assertThrows(IllegalArgumentException.class, () -> new LearningRateScheduler(null));
  }
}
