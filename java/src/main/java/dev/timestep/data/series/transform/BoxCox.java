package dev.timestep.data.series.transform;

import java.util.Locale;

/**
 * The Box-Cox transform {@code (y^lambda - 1) / lambda}, the log at lambda 0: one family that runs
 * from no change (1, up to a shift) through square root (0.5) and log (0) to inverse (-1). Values
 * must be positive; missing values (NaN) stay missing.
 *
 * <p>Its inverse {@code (lambda z + 1)^(1/lambda)} is defined for {@code lambda z + 1 > 0} only. A
 * forecast or bound below that range is taken to its limit: 0 for lambda above 0, and for lambda
 * below 0 a value above the range becomes infinity. Both limits keep the inverse increasing, so
 * inverted bounds stay ordered.
 */
public final class BoxCox implements FittedTransform {
  // Below this |lambda| the power form loses digits to cancellation; the log is its limit.
  private static final double LOG_LIMIT = 1e-12;

  private final double lambda;

  private BoxCox(double lambda) {
    this.lambda = lambda;
  }

  /**
   * Box-Cox with lambda chosen on the training rows by Guerrero's method ({@link GuerreroLambda}).
   *
   * @param period the season length (1 for a series without one; Guerrero then uses pairs of rows)
   */
  public static SeriesTransform guerrero(int period) {
    if (period < 1) {
      throw new IllegalArgumentException("Box-Cox: period must be at least 1, got " + period);
    }
    return new SeriesTransform() {
      @Override
      public FittedTransform fit(double[] train) {
        return of(GuerreroLambda.choose(train, period));
      }

      @Override
      public String describe() {
        return "Box-Cox (lambda by Guerrero's method, period " + period + ")";
      }
    };
  }

  /** Box-Cox with a known lambda (e.g. read back from a saved model). */
  public static BoxCox of(double lambda) {
    if (!Double.isFinite(lambda)) {
      throw new IllegalArgumentException("Box-Cox: lambda must be finite, got " + lambda);
    }
    return new BoxCox(lambda);
  }

  /** The transform's lambda. */
  public double lambda() {
    return lambda;
  }

  /**
   * @throws IllegalArgumentException naming the first row that is not positive
   */
  @Override
  public double[] apply(double[] values) {
    PositiveValues.require(values, "Box-Cox");
    return ElementWise.map(values, this::forward, "Box-Cox");
  }

  @Override
  public double[] inverse(double[] forecast, double[] history) {
    return ElementWise.map(forecast, this::backward, "Box-Cox");
  }

  @Override
  public Bounds inverse(Bounds bounds, double[] history) {
    return ElementWise.mapBounds(bounds, this::backward, "Box-Cox");
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "Box-Cox (lambda %.4f)", lambda);
  }

  private double forward(double y) {
    return Math.abs(lambda) < LOG_LIMIT ? Math.log(y) : Math.expm1(lambda * Math.log(y)) / lambda;
  }

  private double backward(double z) {
    if (Double.isNaN(z) || Math.abs(lambda) < LOG_LIMIT) {
      return Math.exp(z);
    }
    double base = lambda * z + 1;
    if (base <= 0) {
      return lambda > 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.exp(Math.log1p(lambda * z) / lambda);
  }
}
