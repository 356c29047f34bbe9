package dev.timestep.pipeline;

import dev.timestep.data.series.transform.BoxCox;
import dev.timestep.data.series.transform.Difference;
import dev.timestep.data.series.transform.FittedTransform;
import dev.timestep.data.series.transform.LogTransform;
import dev.timestep.data.series.transform.SeriesTransform;
import dev.timestep.io.ModelMetadata;
import java.util.Locale;

/**
 * The value transforms the forecasting workflow trains on (none, log, Box-Cox with lambda by
 * Guerrero's method, seasonal differencing), by name, and how a fitted one is kept in a model file
 * so that a forecast applies it to the inputs and inverts it on the outputs.
 */
public enum TransformChoice {
  NONE,
  LOG,
  BOXCOX,
  /**
   * Differences at the season's lag, so a model that forecasts 0 forecasts seasonal naive and the
   * network learns only what the last season does not say (lag 1, plain differencing, without a
   * season).
   */
  SDIFF;

  static final String NAME_KEY = "series.transform";
  static final String LAMBDA_KEY = "series.transform.lambda";
  static final String LAG_KEY = "series.transform.lag";

  /** The choice called {@code name}: none, log or boxcox (case-insensitive). */
  public static TransformChoice named(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "none" -> NONE;
      case "log" -> LOG;
      case "boxcox", "box-cox" -> BOXCOX;
      case "sdiff" -> SDIFF;
      default ->
          throw new IllegalArgumentException(
              "unknown transform '" + name + "'; choose none, log, boxcox or sdiff");
    };
  }

  /** The lower-case name used on the command line and in files. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The transform before fitting; null for none. */
  public SeriesTransform unfitted(int period) {
    return switch (this) {
      case NONE -> null;
      case LOG -> LogTransform.create();
      case BOXCOX -> BoxCox.guerrero(period);
      case SDIFF -> Difference.lag(period);
    };
  }

  /** Rows at the start the fitted transform leaves undefined (a difference's lag). */
  static int leadingRows(FittedTransform fitted) {
    return fitted instanceof Difference d ? d.lag() : 0;
  }

  /** Rows at the start this choice leaves undefined for a season of {@code period}. */
  int leadingRows(int period) {
    return this == SDIFF ? period : 0;
  }

  /** Whether every observed value is in the transform's domain (log and Box-Cox need y > 0). */
  public boolean accepts(float[] values) {
    if (this == NONE) {
      return true;
    }
    for (float v : values) {
      if (!Float.isNaN(v) && !(v > 0)) {
        return false;
      }
    }
    return true;
  }

  /** The metadata that keeps a fitted transform of this choice (nothing for none). */
  static ModelMetadata toMetadata(FittedTransform fitted) {
    if (fitted == null) {
      return ModelMetadata.EMPTY;
    }
    ModelMetadata.Builder b = ModelMetadata.builder();
    if (fitted instanceof BoxCox bc) {
      return b.put(NAME_KEY, BOXCOX.label()).put(LAMBDA_KEY, bc.lambda()).build();
    }
    if (fitted instanceof LogTransform) {
      return b.put(NAME_KEY, LOG.label()).build();
    }
    if (fitted instanceof Difference d) {
      return b.put(NAME_KEY, SDIFF.label()).put(LAG_KEY, d.lag()).build();
    }
    throw new IllegalArgumentException(
        "a model file can keep none, log, Box-Cox or a difference, not " + fitted.describe());
  }

  /** The fitted transform a model file keeps; null for none (and for files from before). */
  static FittedTransform fromMetadata(ModelMetadata m, String file) {
    String name = m.text(NAME_KEY).orElse("none");
    return switch (name) {
      case "none" -> null;
      case "log" -> LogTransform.create();
      case "boxcox" -> {
        double[] lambda = m.numbers(LAMBDA_KEY).orElse(new double[0]);
        if (lambda.length != 1 || !Double.isFinite(lambda[0])) {
          throw new dev.timestep.io.ModelFileException(
              "model file " + file + " has a Box-Cox transform without one finite lambda");
        }
        yield BoxCox.of(lambda[0]);
      }
      case "sdiff" -> {
        double[] lag = m.numbers(LAG_KEY).orElse(new double[0]);
        if (lag.length != 1 || !(lag[0] >= 1 && lag[0] <= 100_000) || lag[0] != Math.rint(lag[0])) {
          throw new dev.timestep.io.ModelFileException(
              "model file " + file + " has a difference without one whole lag from 1 to 100000");
        }
        yield Difference.lag((int) lag[0]);
      }
      default ->
          throw new dev.timestep.io.ModelFileException(
              "model file " + file + " has an unknown transform '" + name + "'");
    };
  }
}
