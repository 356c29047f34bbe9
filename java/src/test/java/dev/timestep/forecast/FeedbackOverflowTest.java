package dev.timestep.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * A recursive forecast whose model grows its own forecasts past float range stops at the step where
 * the output overflowed, saying it is the model's output (not the user's data, which the fed-back
 * Infinity would otherwise be blamed on as "predict X contains Infinity").
 */
class FeedbackOverflowTest {

  /** Flatten → Dense over 2-step windows: the next value is 10 × the last. */
  private static Sequential timesTen(int outputs) {
    Sequential m =
        new Sequential(new Flatten(), new Dense(outputs)).backend(ReferenceBackend.float32());
    m.build(Shape.of(2, 1));
    float[] kernel = new float[2 * outputs];
    for (int o = 0; o < outputs; o++) {
      kernel[outputs + o] = (float) Math.pow(10, o + 1);
    }
    LinearModels.set(m, 0, kernel);
    return m;
  }

  private static final NDArray ONES = NDArray.of(new float[] {1, 1}, 1, 2, 1);

  @Test
  void anIterativeForecastNamesTheStepWhereTheOutputOverflowed() {
    try (Sequential m = timesTen(1)) {
      assertEquals(
          1e38f, IterativeForecast.forecast(m, ONES, 38, InputWindow.SLIDE).get(0, 37), 1e32f);
      // 10^39 is past float range: step 39.
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> IterativeForecast.forecast(m, ONES, 100, InputWindow.SLIDE));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "the model's output overflowed to Infinity at step 39 of the forecast"
                      + " (series 0)"),
          e.getMessage());
      assertTrue(e.getMessage().contains("fed back"), e.getMessage());
      assertFalse(e.getMessage().contains("predict X"), e.getMessage());
    }
  }

  @Test
  void aMultiStepForecastNamesTheStepsOfTheRound() {
    try (Sequential m = timesTen(2)) { // the next two values: 10 × and 100 × the last
      // round k forecasts steps 2k-1 and 2k from a last value of 10^(2k-2): 10^(2k-1) and 10^(2k),
      // so
      // round 20 (steps 39-40) is the first past float range
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> MultiStepForecast.forecast(m, ONES, 100, null, InputWindow.SLIDE));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "the model's output overflowed to Infinity at steps 39-40 of the"
                      + " forecast (series 0)"),
          e.getMessage());
    }
  }
}
