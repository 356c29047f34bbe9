package dev.timestep.pipeline.evaluation;

/**
 * The denominator of MASE (Hyndman and Koehler 2006): the mean absolute error of the seasonal-naive
 * forecast one season ahead on the in-sample (training) rows, {@code mean |y[t] - y[t - m]|}. A
 * MASE below 1 beats that in-sample benchmark; it compares across series of any units.
 */
public final class MaseScale {
  private MaseScale() {}

  /**
   * The scale from {@code inSample}; pairs with a missing value are left out.
   *
   * @param period the season length m (1 for a series without a season)
   * @throws IllegalArgumentException when there are no more than {@code period} rows, no pair is
   *     observed, or the scale is 0 (a constant series, or one that repeats its season exactly),
   *     which would make every MASE infinite
   */
  public static double of(double[] inSample, int period) {
    if (period < 1) {
      throw new IllegalArgumentException("MASE scale: period must be at least 1, got " + period);
    }
    if (inSample == null || inSample.length <= period) {
      throw new IllegalArgumentException(
          "MASE scale: needs at least "
              + (period + 1)
              + " rows of in-sample data for period "
              + period
              + ", got "
              + (inSample == null ? "none" : inSample.length));
    }
    double sum = 0;
    int count = 0;
    for (int t = period; t < inSample.length; t++) {
      double d = inSample[t] - inSample[t - period];
      if (!Double.isNaN(d)) {
        sum += Math.abs(d);
        count++;
      }
    }
    if (count == 0) {
      throw new IllegalArgumentException(
          "MASE scale: no pair of observed values " + period + " rows apart in the in-sample rows");
    }
    if (sum == 0) {
      throw new IllegalArgumentException(
          "MASE scale: the in-sample seasonal-naive MAE is 0 (period "
              + period
              + "): the series is constant"
              + (period > 1 ? " or repeats its season exactly" : "")
              + ", so MASE would divide by zero; score it with RMSE instead");
    }
    return sum / count;
  }
}
