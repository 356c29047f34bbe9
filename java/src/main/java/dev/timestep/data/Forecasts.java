package dev.timestep.data;

import dev.timestep.tensor.NDArray;

/** Baseline forecasts and host-side error measures. */
public final class Forecasts {
  private Forecasts() {}

  /**
   * The naive forecast: the last observed value, repeated for each of {@code horizon} steps. X is
   * [n, steps, 1]; the result is [n, horizon].
   */
  public static NDArray naive(NDArray x, int horizon) {
    if (x == null || x.rank() != 3 || x.dim(2) != 1) {
      throw new IllegalArgumentException(
          "naive: X must be [samples, steps, 1], got " + (x == null ? "null" : x.shape()));
    }
    if (horizon < 1) {
      throw new IllegalArgumentException("naive: horizon must be >= 1, got " + horizon);
    }
    int n = x.dim(0);
    int steps = x.dim(1);
    if ((long) n * horizon > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "naive: "
              + n
              + " series x horizon "
              + horizon
              + " is more values than one array can hold");
    }
    if (steps == 0) {
      throw new IllegalArgumentException(
          "naive: X " + x.shape() + " has no steps, so no last value to repeat");
    }
    float[] out = new float[n * horizon];
    for (int i = 0; i < n; i++) {
      float last = x.data()[i * steps + steps - 1];
      java.util.Arrays.fill(out, i * horizon, (i + 1) * horizon, last);
    }
    return NDArray.of(out, n, horizon);
  }

  /** Mean squared error between two arrays of the same shape, accumulated in double. */
  public static double mse(NDArray prediction, NDArray target) {
    if (prediction == null || target == null || !prediction.shape().equals(target.shape())) {
      throw new IllegalArgumentException(
          "mse: shapes differ, "
              + (prediction == null ? "null" : prediction.shape())
              + " vs "
              + (target == null ? "null" : target.shape()));
    }
    if (prediction.size() == 0) {
      throw new IllegalArgumentException("mse: empty arrays");
    }
    double sum = 0;
    float[] p = prediction.data();
    float[] t = target.data();
    for (int i = 0; i < p.length; i++) {
      double d = (double) p[i] - t[i];
      sum += d * d;
    }
    return sum / p.length;
  }
}
