package dev.timestep.data.series.transform;

/** The check shared by log and Box-Cox: both are defined for positive values only. */
final class PositiveValues {
  private PositiveValues() {}

  /**
   * Fails naming the first row of {@code values} that is zero or negative; NaN is missing, fine.
   */
  static void require(double[] values, String transform) {
    if (values == null) {
      throw new IllegalArgumentException(transform + ": expected values, got null");
    }
    for (int t = 0; t < values.length; t++) {
      if (values[t] <= 0 || Double.isInfinite(values[t])) {
        throw new IllegalArgumentException(
            transform
                + " needs positive finite values, but row "
                + t
                + " is "
                + values[t]
                + "; shift the series up, or use no transform or differencing instead");
      }
    }
  }
}
