package dev.timestep.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Activation;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.RepeatVector;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Forecasting past a multi-step model's horizon by feeding its predictions back. */
class MultiStepForecastTest {

  @Test
  void aFourStepModelCoversAHorizonThatIsNotAMultipleOfFour() {
    int steps = 5;
    try (Sequential m = LinearModels.extrapolator(steps, 1, 4)) {
      NDArray x = LinearModels.lines(3, steps, 1);
      for (int horizon : new int[] {1, 4, 10, 17}) {
        NDArray y =
            MultiStepForecast.forecast(m, x, horizon, ForecastOutput.VECTOR, InputWindow.SLIDE);
        assertEquals(Shape.of(3, horizon), y.shape());
        for (int i = 0; i < 3; i++) {
          for (int k = 0; k < horizon; k++) {
            assertEquals(
                LinearModels.line(i, 0, steps + k),
                y.get(i, k),
                1e-3,
                "series " + i + " step " + k);
          }
        }
      }
      // Within its own horizon it is one prediction.
      NDArray direct = m.predict(x);
      NDArray y = MultiStepForecast.forecast(m, x, 4, null, InputWindow.SLIDE);
      assertArrayEquals(direct.data(), y.data());
    }
  }

  @Test
  void aSeqToSeqModelIsReadAtItsLastStep() {
    // TimeDistributed(Dense(3)) with weights 1 repeats each step's value 3 times: the forecast
    // from the last step is the last observed value, and stays there.
    NDArray x = TestArrays.uniform(new SplittableRandom(1), -1, 1, 2, 4, 1);
    try (Sequential m =
        new Sequential(new TimeDistributed(new Dense(3))).backend(ReferenceBackend.float32())) {
      m.build(Shape.of(4, 1));
      LinearModels.set(m, 0, new float[] {1, 1, 1});
      NDArray y = MultiStepForecast.forecast(m, x, 8);
      for (int i = 0; i < 2; i++) {
        for (int k = 0; k < 8; k++) {
          assertEquals(x.get(i, 3, 0), y.get(i, k), "series " + i + " step " + k);
        }
      }
    }
  }

  @Test
  void anEncoderDecoderOutputIsReadAsASequence() {
    // last value v → RepeatVector(3) → a linear SimpleRNN with weights 1 → v, 2v, 3v.
    NDArray x = TestArrays.uniform(new SplittableRandom(2), 0.5, 1, 2, 4, 1);
    try (Sequential m =
        new Sequential(
                new Flatten(),
                new Dense(1),
                new RepeatVector(3),
                new SimpleRNN(1).activation(Activation.LINEAR).returnSequences(true))
            .backend(ReferenceBackend.float32())) {
      m.build(Shape.of(4, 1));
      LinearModels.set(m, 0, new float[] {0, 0, 0, 1});
      LinearModels.set(m, 2, new float[] {1});
      LinearModels.set(m, 3, new float[] {1});
      NDArray y = MultiStepForecast.forecast(m, x, 7, ForecastOutput.SEQUENCE, InputWindow.SLIDE);
      for (int i = 0; i < 2; i++) {
        double v = x.get(i, 3, 0);
        double[] expected = {v, 2 * v, 3 * v, 3 * v, 6 * v, 9 * v, 9 * v};
        for (int k = 0; k < 7; k++) {
          assertEquals(expected[k], y.get(i, k), 1e-5, "series " + i + " step " + k);
        }
      }
      // Read as seq-to-seq instead, each round would keep only the last decoder step.
      NDArray lastStep =
          MultiStepForecast.forecast(m, x, 2, ForecastOutput.LAST_STEP, InputWindow.SLIDE);
      assertEquals(3 * x.get(0, 3, 0), lastStep.get(0, 0), 1e-5);
      assertEquals(9 * x.get(0, 3, 0), lastStep.get(0, 1), 1e-5);
    }
  }

  @Test
  void badRequestsAreRefusedWithTheReason() {
    NDArray x = TestArrays.uniform(new SplittableRandom(3), -1, 1, 2, 6, 1);
    try (Sequential m =
        new Sequential(new SimpleRNN(2), new Dense(3)).backend(ReferenceBackend.float32())) {
      assertRefused(
          "horizon must be at least 1 step, got 0", () -> MultiStepForecast.forecast(m, x, 0));
      assertRefused(
          "takes series [n, steps, features] (rank 3), got shape [12]",
          () -> MultiStepForecast.forecast(m, x.reshape(12), 5));
      assertRefused(
          "takes univariate series [n, steps, 1], got [2, 3, 2]",
          () -> MultiStepForecast.forecast(m, x.reshape(2, 3, 2), 5));
      assertRefused(
          "a SEQUENCE model outputs [n, h, 1], got [2, 3]",
          () -> MultiStepForecast.forecast(m, x, 5, ForecastOutput.SEQUENCE, InputWindow.GROW));
      assertRefused(
          "window must not be null", () -> MultiStepForecast.forecast(m, x, 5, null, null));
    }
  }

  private static void assertRefused(String expected, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(
        e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }
}
