package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The metrics mae, rmse and mape in fit and evaluate: rmse is the root of the epoch's mean, not the
 * mean of per-batch roots; mape floors |target| at 1e-7 as Keras does.
 */
class MetricTest {
  private static final int N = 10;

  private static Sequential model() {
    Sequential m = new Sequential(new Dense(2)).backend(CpuBackend.get()).seed(4);
    m.compile(Loss.mse(), new Adam(0.01), Metric.mae(), Metric.rmse(), Metric.mape(), Metric.mse());
    return m;
  }

  /** Inputs, and targets with zeros in them (for mape). */
  private static NDArray[] data() {
    SplittableRandom random = new SplittableRandom(9);
    NDArray x = TestArrays.uniform(random, -1, 1, N, 3);
    NDArray y = TestArrays.uniform(random, -2, 2, N, 2);
    y.data()[0] = 0f;
    y.data()[7] = 0f;
    return new NDArray[] {x, y};
  }

  /** Batches of 4, 4 and 2 rows: unequal, so a mean of per-batch roots would differ. */
  @Test
  void evaluateReportsEachMetricOverTheWholeSet() {
    NDArray[] d = data();
    try (Sequential m = model()) {
      m.build(d[0].shape().dropFirst());
      float[] p = m.predict(d[0]).data();
      float[] y = d[1].data();
      double squares = 0;
      double absolute = 0;
      double percentage = 0;
      for (int i = 0; i < p.length; i++) {
        double e = (double) p[i] - y[i];
        squares += e * e;
        absolute += Math.abs(e);
        percentage += 100 * Math.abs(e) / Math.max(Math.abs(y[i]), 1e-7);
      }
      int count = p.length;
      Map<String, Double> got = m.evaluate(d[0], d[1], 4);
      assertEquals(absolute / count, got.get("mae"), 1e-6);
      assertEquals(Math.sqrt(squares / count), got.get("rmse"), 1e-6);
      assertEquals(percentage / count, got.get("mape"), 1e-6 * percentage / count);
      // The zero targets make mape huge (|e| / 1e-7), not infinite or NaN.
      assertEquals(true, got.get("mape") > 1e6 && Double.isFinite(got.get("mape")));
      assertNotEquals(
          meanOfBatchRoots(p, y, 4), got.get("rmse"), 1e-6, "rmse must not average batch roots");
    }
  }

  private static double meanOfBatchRoots(float[] p, float[] y, int batch) {
    double weighted = 0;
    int rows = p.length / 2;
    for (int from = 0; from < rows; from += batch) {
      int to = Math.min(rows, from + batch);
      double squares = 0;
      for (int i = 2 * from; i < 2 * to; i++) {
        squares += ((double) p[i] - y[i]) * ((double) p[i] - y[i]);
      }
      weighted += (to - from) * Math.sqrt(squares / (2 * (to - from)));
    }
    return weighted / rows;
  }

  /** In fit the epoch's rmse is the root of the epoch's mse, on every sync window size. */
  @Test
  void fitReportsTheRootOfTheEpochsMeanSquaredError() {
    NDArray[] d = data();
    for (int syncEvery : new int[] {1, 2}) {
      try (Sequential m = model()) {
        History h =
            m.fit(
                d[0],
                d[1],
                FitOptions.defaults().epochs(3).batchSize(4).syncEvery(syncEvery).seed(1));
        for (int e = 0; e < 3; e++) {
          Map<String, Double> epoch = h.epoch(e);
          assertEquals(Math.sqrt(epoch.get("mse")), epoch.get("rmse"), 1e-6, "epoch " + e);
          assertEquals(epoch.get("loss"), epoch.get("mse"), 1e-6);
        }
      }
    }
  }

  @Test
  void ofTakesAResultFunction() {
    Metric twice = Metric.of("twice_mse", dev.timestep.autodiff.Ops::mse, v -> 2 * v);
    assertEquals(6.0, twice.result(3.0));
    assertEquals(3.0, Metric.mse().result(3.0));
    assertEquals(3.0, Metric.rmse().result(9.0));
    assertThrows(
        IllegalArgumentException.class, () -> Metric.of("x", dev.timestep.autodiff.Ops::mse, null));
  }
}
