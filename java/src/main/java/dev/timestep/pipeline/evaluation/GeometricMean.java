package dev.timestep.pipeline.evaluation;

/**
 * The geometric mean, the way to average MASE across series: a ratio of errors, so one series twice
 * as bad and one twice as good cancel out, where the arithmetic mean would not.
 */
public final class GeometricMean {
  private GeometricMean() {}

  /**
   * {@code exp(mean(log v))}; 0 when a value is 0.
   *
   * @throws IllegalArgumentException when there are no values, or one is negative, infinite or NaN
   */
  public static double of(double[] values) {
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException("geometric mean: expected at least one value");
    }
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] >= 0) || Double.isInfinite(values[i])) {
        throw new IllegalArgumentException(
            "geometric mean: values must be finite and >= 0, but index " + i + " is " + values[i]);
      }
      sum += Math.log(values[i]);
    }
    return Math.exp(sum / values.length);
  }
}
