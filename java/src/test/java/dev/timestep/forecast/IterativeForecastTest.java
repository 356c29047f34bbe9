package dev.timestep.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Iterative forecasting with one-step models: any horizon, several features, both windows. */
class IterativeForecastTest {

  @Test
  void aStraightLineExtrapolatorContinuesEveryFeaturesLineForAnyHorizon() {
    int steps = 6;
    for (int features : new int[] {1, 3}) {
      try (Sequential m = LinearModels.extrapolator(steps, features, 1)) {
        NDArray x = LinearModels.lines(4, steps, features);
        for (int horizon : new int[] {1, 7, 23}) {
          NDArray y = IterativeForecast.forecast(m, x, horizon, InputWindow.SLIDE);
          assertEquals(
              features == 1 ? Shape.of(4, horizon) : Shape.of(4, horizon, features), y.shape());
          for (int i = 0; i < 4; i++) {
            for (int k = 0; k < horizon; k++) {
              for (int f = 0; f < features; f++) {
                float got = features == 1 ? y.get(i, k) : y.get(i, k, f);
                assertEquals(
                    LinearModels.line(i, f, steps + k),
                    got,
                    1e-3,
                    "series " + i + " step " + (steps + k) + " feature " + f);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aGrowingWindowFeedsTheWholeInputSoFar() {
    NDArray x = TestArrays.uniform(new SplittableRandom(1), -1, 1, 3, 5, 2);
    try (Sequential m =
        new Sequential(new SimpleRNN(4), new Dense(2))
            .seed(2)
            .backend(ReferenceBackend.float32())) {
      NDArray y = IterativeForecast.forecast(m, x, 4);
      assertEquals(Shape.of(3, 4, 2), y.shape());
      assertArrayEquals(byHand(m, x, 4, false), y.data(), "grown by one step per prediction");
      NDArray slid = IterativeForecast.forecast(m, x, 4, InputWindow.SLIDE);
      assertArrayEquals(byHand(m, x, 4, true), slid.data(), "the last 5 steps only");
    }
  }

  @Test
  void aSeqToSeqModelIsReadAtItsLastStep() {
    NDArray x = TestArrays.uniform(new SplittableRandom(3), -1, 1, 2, 6, 1);
    try (Sequential m =
        new Sequential(new SimpleRNN(3).returnSequences(true), new TimeDistributed(new Dense(1)))
            .seed(4)
            .backend(ReferenceBackend.float32())) {
      NDArray y = IterativeForecast.forecast(m, x, 3);
      assertArrayEquals(byHand(m, x, 3, false), y.data());
    }
  }

  /** The loop written out: predict, take the last step if seq-to-seq, append, repeat. */
  private static float[] byHand(Sequential m, NDArray x, int horizon, boolean slide) {
    int n = x.dim(0);
    int features = x.dim(2);
    NDArray window = x;
    float[] out = new float[n * horizon * features];
    for (int k = 0; k < horizon; k++) {
      NDArray p = m.predict(window);
      int len = window.dim(1);
      int keep = slide ? x.dim(1) : len + 1;
      float[] next = new float[n * keep * features];
      for (int i = 0; i < n; i++) {
        float[] step = new float[features];
        int offset = p.rank() == 3 ? (i * p.dim(1) + p.dim(1) - 1) * features : i * features;
        System.arraycopy(p.data(), offset, step, 0, features);
        System.arraycopy(step, 0, out, (i * horizon + k) * features, features);
        int from = len + 1 - keep;
        System.arraycopy(
            window.data(),
            (i * len + from) * features,
            next,
            i * keep * features,
            (len - from) * features);
        System.arraycopy(step, 0, next, (i * keep + keep - 1) * features, features);
      }
      window = NDArray.of(next, n, keep, features);
    }
    return out;
  }

  @Test
  void badRequestsAreRefusedWithTheReason() {
    NDArray x = TestArrays.uniform(new SplittableRandom(5), -1, 1, 2, 6, 1);
    try (Sequential oneStep =
            new Sequential(new SimpleRNN(2), new Dense(1)).backend(ReferenceBackend.float32());
        Sequential threeSteps =
            new Sequential(new SimpleRNN(2), new Dense(3)).backend(ReferenceBackend.float32());
        Sequential linear = LinearModels.extrapolator(6, 1, 1)) {
      assertRefused(
          "horizon must be at least 1 step, got 0",
          () -> IterativeForecast.forecast(oneStep, x, 0));
      assertRefused(
          "takes series [n, steps, features] (rank 3), got shape [2, 6]",
          () -> IterativeForecast.forecast(oneStep, x.reshape(2, 6), 3));
      assertRefused(
          "outputs [2, 3]; for a multi-step model use MultiStepForecast",
          () -> IterativeForecast.forecast(threeSteps, x, 3));
      assertRefused("model must not be null", () -> IterativeForecast.forecast(null, x, 3));
      // A model built for one length cannot take a growing window: its own message says so.
      assertRefused(
          "needs its training length",
          () -> IterativeForecast.forecast(linear, x, 2, InputWindow.GROW));
      NDArray twoFeatures = TestArrays.uniform(new SplittableRandom(6), -1, 1, 2, 6, 2);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> IterativeForecast.forecast(oneStep, twoFeatures, 2));
      assertTrue(
          e.getMessage().contains("features per step") || e.getMessage().contains("all 2 feature"),
          e.getMessage());
    }
  }

  private static void assertRefused(String expected, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(
        e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }
}
