package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Tape;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in losses: their values on hand-computed cases, the quantile loss's layout and its
 * target check in fit/evaluate, training with each, and the refused parameters.
 */
class LossTest {
  /** The loss of {@code pred} against {@code y} on the float32 reference. */
  private static double value(Loss loss, NDArray pred, NDArray y) {
    Backend b = ReferenceBackend.float32();
    try (Tape tape = new Tape(b, false)) {
      return b.readScalar(
          loss.compute(
                  tape,
                  tape.constant(b.upload(pred, tape.scope())),
                  tape.constant(b.upload(y, tape.scope())))
              .value());
    }
  }

  // Keras' documented example: y_true [[0, 1], [0, 0]], y_pred [[0.6, 0.4], [0.4, 0.6]].
  private static final NDArray KERAS_PRED = NDArray.of(new float[] {0.6f, 0.4f, 0.4f, 0.6f}, 2, 2);
  private static final NDArray KERAS_TRUE = NDArray.of(new float[] {0, 1, 0, 0}, 2, 2);

  @Test
  void eachLossGivesItsHandComputedValue() {
    assertEquals(0.55, value(Loss.mae(), KERAS_PRED, KERAS_TRUE), 1e-7);
    assertEquals(0.155, value(Loss.huber(), KERAS_PRED, KERAS_TRUE), 1e-7);
    // delta 0.5: errors 0.6 cost 0.5 (0.6 - 0.25) = 0.175 (three of them), 0.4 costs 0.08.
    assertEquals((3 * 0.175 + 0.08) / 4, value(Loss.huber(0.5), KERAS_PRED, KERAS_TRUE), 1e-7);
    double logCosh = (3 * Math.log(Math.cosh(0.6)) + Math.log(Math.cosh(0.4))) / 4;
    assertEquals(logCosh, value(Loss.logCosh(), KERAS_PRED, KERAS_TRUE), 1e-7);
    // Quantiles 0.1, 0.9 of two target values (outputs [q0.1, q0.9] per value). Target 1:
    // forecast 0 is below it by 1 (costs 0.1 x 1), forecast 3 above it by 2 (costs 0.1 x 2).
    // Target -1: forecast -1 is exact (0), forecast -2 below it by 1 (costs 0.9 x 1).
    NDArray pred = NDArray.of(new float[] {0, 3, -1, -2}, 1, 4);
    NDArray y = NDArray.of(new float[] {1, -1}, 1, 2);
    assertEquals((0.1 + 0.2 + 0 + 0.9) / 4, value(Loss.quantile(0.1, 0.9), pred, y), 1e-7);
  }

  @Test
  void theMedianQuantileIsHalfTheMeanAbsoluteError() {
    SplittableRandom random = new SplittableRandom(5);
    NDArray pred = TestArrays.uniform(random, -2, 2, 9, 7);
    NDArray y = TestArrays.uniform(random, -2, 2, 9, 7);
    assertEquals(value(Loss.mae(), pred, y) / 2, value(Loss.quantile(0.5), pred, y), 1e-7);
  }

  static Stream<Loss> losses() {
    return Stream.of(
        Loss.mse(), Loss.mae(), Loss.huber(), Loss.huber(0.25), Loss.logCosh(), Loss.quantile(0.5));
  }

  /** A linear model on a noisy line: every loss falls by more than half in 30 epochs. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void fittingReducesEachLoss(Loss loss) {
    SplittableRandom random = new SplittableRandom(7);
    NDArray x = TestArrays.uniform(random, -1, 1, 64, 3);
    float[] yv = new float[64];
    for (int i = 0; i < 64; i++) {
      yv[i] = 1.5f * x.data()[3 * i] - x.data()[3 * i + 2] + 2f;
    }
    NDArray y = NDArray.of(yv, 64, 1);
    try (Sequential m = new Sequential(new Dense(1)).backend(CpuBackend.get()).seed(3)) {
      m.compile(loss, new Adam(0.05));
      History h = m.fit(x, y, FitOptions.defaults().epochs(30).batchSize(16).seed(1));
      List<Double> series = h.series("loss");
      assertTrue(
          series.get(series.size() - 1) < 0.5 * series.get(0),
          () -> loss.name() + " did not fall: " + series);
      assertEquals(series.get(series.size() - 1), h.last("loss"));
    }
  }

  /** Three quantiles: the model outputs three values per target value and learns their order. */
  @Test
  void aQuantileModelLearnsOrderedQuantiles() {
    SplittableRandom random = new SplittableRandom(11);
    int n = 512;
    NDArray x = TestArrays.uniform(random, -1, 1, n, 1);
    float[] yv = new float[n];
    for (int i = 0; i < n; i++) {
      yv[i] = x.data()[i] + (float) (random.nextDouble() * 2 - 1); // uniform noise in [-1, 1)
    }
    NDArray y = NDArray.of(yv, n, 1);
    try (Sequential m = new Sequential(new Dense(3)).backend(CpuBackend.get()).seed(3)) {
      m.compile(Loss.quantile(0.1, 0.5, 0.9), new Adam(0.02));
      History h = m.fit(x, y, FitOptions.defaults().epochs(100).batchSize(64).seed(2));
      assertTrue(h.last("loss") < h.series("loss").get(0));
      // At x = 0 the quantiles of uniform noise on [-1, 1) are -0.8, 0, 0.8.
      float[] q = m.predict(NDArray.of(new float[] {0f}, 1, 1)).data();
      assertEquals(-0.8, q[0], 0.15);
      assertEquals(0.0, q[1], 0.15);
      assertEquals(0.8, q[2], 0.15);
      assertTrue(m.evaluate(x, y, 100).get("loss") > 0);
    }
  }

  @Test
  void fitAndEvaluateRefuseTargetsThatDoNotMatchTheQuantileLayout() {
    NDArray x = NDArray.zeros(8, 4);
    try (Sequential m = new Sequential(new Dense(6)).backend(CpuBackend.get())) {
      m.compile(Loss.quantile(0.1, 0.5, 0.9), new Adam(0.01));
      m.fit(x, NDArray.zeros(8, 2), FitOptions.defaults().epochs(1)); // 2 values x 3 quantiles
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> m.fit(x, NDArray.zeros(8, 6), FitOptions.defaults().epochs(1)));
      assertTrue(e.getMessage().contains("3 predictions per target value"), e.getMessage());
      assertTrue(e.getMessage().contains("expected [2]"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> m.evaluate(x, NDArray.zeros(8, 3), 4));
    }
    try (Sequential m = new Sequential(new Dense(4)).backend(CpuBackend.get())) {
      m.compile(Loss.quantile(0.1, 0.5, 0.9), new Adam(0.01));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> m.fit(x, NDArray.zeros(8, 1), FitOptions.defaults().epochs(1)));
      assertTrue(e.getMessage().contains("3 units per target value"), e.getMessage());
    }
  }

  @Test
  void badParametersAreRefusedWithTheirName() {
    for (double delta : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, 1e-50, 1e39}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Loss.huber(delta));
      assertTrue(e.getMessage().contains("delta"), e.getMessage());
    }
    double[][] bad = {
      {}, {0}, {1}, {-0.5}, {Double.NaN}, {0.5, 0.5}, {0.9, 0.1}, {0.1, 1.5}, {1 - 1e-10}
    };
    for (double[] q : bad) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Loss.quantile(q));
      assertTrue(e.getMessage().startsWith("quantile loss: "), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Loss.quantile((double[]) null));
    assertThrows(IllegalArgumentException.class, () -> Loss.quantile(new double[257]));
    assertEquals(256, Loss.quantile(evenlySpaced(256)).predictionsPerTarget());
    assertEquals(1.0, ((Loss.Huber) Loss.huber()).delta());
  }

  private static double[] evenlySpaced(int n) {
    double[] q = new double[n];
    for (int i = 0; i < n; i++) {
      q[i] = (i + 1.0) / (n + 1);
    }
    return q;
  }
}
