package dev.timestep.pipeline;

import dev.timestep.tensor.NDArray;

/**
 * Forecasts of one column from several windows: the value per step and, when the model was sampled
 * (MC dropout), the standard deviation of the samples per step.
 *
 * @param mean [windows, steps]
 * @param std [windows, steps], or null when the forecast is a single deterministic pass
 */
public record SeriesForecast(NDArray mean, NDArray std) {
  public SeriesForecast {
    if (mean == null || mean.rank() != 2) {
      throw new IllegalArgumentException(
          "forecast: expected a mean shaped [windows, steps], got "
              + (mean == null ? "null" : mean.shape()));
    }
    if (std != null && !std.shape().equals(mean.shape())) {
      throw new IllegalArgumentException(
          "forecast: std " + std.shape() + " must have the mean's shape " + mean.shape());
    }
  }

  /** Number of windows forecast. */
  public int windows() {
    return mean.dim(0);
  }

  /** Steps forecast per window. */
  public int steps() {
    return mean.dim(1);
  }

  /** The forecast of window {@code i}, one value per step. */
  public double[] mean(int i) {
    return row(mean, i);
  }

  /** The spread of window {@code i}, or null when there is none. */
  public double[] std(int i) {
    return std == null ? null : row(std, i);
  }

  private static double[] row(NDArray a, int i) {
    int steps = a.dim(1);
    double[] out = new double[steps];
    for (int k = 0; k < steps; k++) {
      out[k] = a.data()[i * steps + k];
    }
    return out;
  }
}
