package dev.timestep.pipeline.evaluation;

/**
 * The forecasts a model has to beat: naive (repeat the last value) and seasonal naive (repeat the
 * last season). Seasonal naive with period 1 is naive.
 */
public final class Baselines {
  private Baselines() {}

  /**
   * The last value of {@code history}, {@code horizon} times.
   *
   * @throws IllegalArgumentException when the history is empty or its last value is missing
   */
  public static double[] naive(double[] history, int horizon) {
    return seasonalNaive(history, 1, horizon);
  }

  /**
   * Step k (from 0) repeats {@code history[n - period + k % period]}: the same point of the last
   * observed season.
   *
   * @throws IllegalArgumentException when the history is shorter than one season or a value of its
   *     last season is missing
   */
  public static double[] seasonalNaive(double[] history, int period, int horizon) {
    if (period < 1 || horizon < 1) {
      throw new IllegalArgumentException(
          "seasonal naive: period and horizon must be at least 1, got "
              + period
              + " and "
              + horizon);
    }
    if (history == null || history.length < period) {
      throw new IllegalArgumentException(
          "seasonal naive: needs at least "
              + period
              + " rows of history (one season), got "
              + (history == null ? "none" : history.length));
    }
    int n = history.length;
    for (int t = n - period; t < n; t++) {
      if (Double.isNaN(history[t])) {
        throw new IllegalArgumentException(
            "seasonal naive: row "
                + t
                + " of the history is missing, and the forecast repeats it; fill it first");
      }
    }
    double[] out = new double[horizon];
    for (int k = 0; k < horizon; k++) {
      out[k] = history[n - period + k % period];
    }
    return out;
  }
}
