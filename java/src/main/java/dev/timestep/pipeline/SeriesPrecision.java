package dev.timestep.pipeline;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The decimals a series was written with, read back from its values: the most any present value
 * needs to print as it was read (317.2f needs 1, not the 5 of its binary 317.19998). Forecasts are
 * written with two more, so that they never look more or less precise than the series by much.
 */
public final class SeriesPrecision {
  /** Beyond this many decimals a value was not written by hand; forecasts stop there. */
  public static final int MAX_DECIMALS = 6;

  /** Decimals forecasts get beyond their series'. */
  public static final int EXTRA_FORECAST_DECIMALS = 2;

  private SeriesPrecision() {}

  /** The decimals of the shortest text of each present value (NaN skipped), at most 6. */
  public static int decimals(float[] values) {
    int most = 0;
    for (float v : values) {
      if (Float.isFinite(v)) {
        int scale = new BigDecimal(Float.toString(v)).stripTrailingZeros().scale();
        most = Math.max(most, Math.min(MAX_DECIMALS, scale));
      }
    }
    return most;
  }

  /** The decimals to write forecasts of a series whose values are {@code values} with. */
  public static int forecastDecimals(float[] values) {
    return Math.min(MAX_DECIMALS, decimals(values) + EXTRA_FORECAST_DECIMALS);
  }

  /** {@code v} rounded half-even to {@code decimals}, as plain text ("317.20", "-0.0150"). */
  public static String format(double v, int decimals) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("precision: cannot write the non-finite value " + v);
    }
    return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
  }
}
