package dev.timestep.data.series.transform;

/**
 * Differencing at lag m: {@code z[t] = y[t] - y[t - m]}; lag 1 removes a trend, lag m (the season)
 * removes a stable seasonal pattern. Nothing to fit, so it is its own fitted transform.
 *
 * <p>A forecast of differences is taken back by adding each step to the value m rows before it: for
 * the first m steps that is one of the last m observed values, which the caller passes as {@code
 * history}; later steps build on the forecast's own earlier steps. Interval bounds are integrated
 * the same way, each bound as a path: ordered and exact for the bound paths given, but a bound on
 * each difference is not a bound on their sum, so calibrate intervals after inverting the
 * differences (as {@code pipeline.evaluation.SplitConformal} does on backtest residuals) where
 * coverage matters.
 */
public final class Difference implements SeriesTransform, FittedTransform {
  private final int lag;

  private Difference(int lag) {
    this.lag = lag;
  }

  /** Differencing at {@code lag} (1: plain differencing; the season length: seasonal). */
  public static Difference lag(int lag) {
    if (lag < 1) {
      throw new IllegalArgumentException("difference: lag must be at least 1, got " + lag);
    }
    return new Difference(lag);
  }

  /** The lag m. */
  public int lag() {
    return lag;
  }

  /**
   * @throws IllegalArgumentException when {@code train} has no more than {@code lag} rows, so no
   *     difference can be taken
   */
  @Override
  public FittedTransform fit(double[] train) {
    if (train == null || train.length <= lag) {
      throw new IllegalArgumentException(
          describe()
              + ": needs more than "
              + lag
              + " training rows, got "
              + (train == null ? "none" : train.length));
    }
    return this;
  }

  /** Differences; the first {@code lag} rows, and rows whose either value is missing, are NaN. */
  @Override
  public double[] apply(double[] values) {
    if (values == null) {
      throw new IllegalArgumentException(describe() + ": expected values, got null");
    }
    double[] out = new double[values.length];
    for (int t = 0; t < out.length; t++) {
      out[t] = t < lag ? Double.NaN : values[t] - values[t - lag];
    }
    return out;
  }

  /**
   * @param history the observed values before the forecast; its last {@code lag} must be present
   * @throws IllegalArgumentException when {@code history} has fewer than {@code lag} values or one
   *     of its last {@code lag} is missing
   */
  @Override
  public double[] inverse(double[] forecast, double[] history) {
    if (forecast == null) {
      throw new IllegalArgumentException(describe() + ": expected a forecast, got null");
    }
    requireHistory(history);
    return integrate(forecast, history);
  }

  @Override
  public Bounds inverse(Bounds bounds, double[] history) {
    if (bounds == null) {
      throw new IllegalArgumentException(describe() + ": expected bounds, got null");
    }
    requireHistory(history);
    return new Bounds(integrate(bounds.lower(), history), integrate(bounds.upper(), history));
  }

  @Override
  public String describe() {
    return lag == 1 ? "difference (lag 1)" : "seasonal difference (lag " + lag + ")";
  }

  private double[] integrate(double[] steps, double[] history) {
    int n = history.length;
    double[] out = new double[steps.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = steps[k] + (k >= lag ? out[k - lag] : history[n - lag + k]);
    }
    return out;
  }

  private void requireHistory(double[] history) {
    if (history == null || history.length < lag) {
      throw new IllegalArgumentException(
          describe()
              + ": inverting a forecast needs the last "
              + lag
              + " observed values before it, got "
              + (history == null ? "none" : history.length));
    }
    for (int t = history.length - lag; t < history.length; t++) {
      if (Double.isNaN(history[t])) {
        throw new IllegalArgumentException(
            describe()
                + ": inverting a forecast needs the last "
                + lag
                + " observed values, but row "
                + t
                + " of the history is missing; fill it first");
      }
    }
  }
}
