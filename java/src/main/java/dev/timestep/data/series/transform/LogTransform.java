package dev.timestep.data.series.transform;

/**
 * The natural log: turns a seasonal swing that grows with the level into one of constant size.
 * Nothing to fit, so it is its own fitted transform; {@link #fit} still checks the training rows.
 * Values must be positive; missing values (NaN) stay missing.
 */
public final class LogTransform implements SeriesTransform, FittedTransform {
  private static final String NAME = "log";

  private LogTransform() {}

  /** The log transform. */
  public static LogTransform create() {
    return new LogTransform();
  }

  /**
   * @throws IllegalArgumentException naming the first row of {@code train} that is not positive
   */
  @Override
  public FittedTransform fit(double[] train) {
    PositiveValues.require(train, NAME);
    return this;
  }

  /**
   * @throws IllegalArgumentException naming the first row that is not positive
   */
  @Override
  public double[] apply(double[] values) {
    PositiveValues.require(values, NAME);
    return ElementWise.map(values, Math::log, NAME);
  }

  @Override
  public double[] inverse(double[] forecast, double[] history) {
    return ElementWise.map(forecast, Math::exp, NAME);
  }

  @Override
  public Bounds inverse(Bounds bounds, double[] history) {
    return ElementWise.mapBounds(bounds, Math::exp, NAME);
  }

  @Override
  public String describe() {
    return NAME;
  }
}
