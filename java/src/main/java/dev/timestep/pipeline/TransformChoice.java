package dev.timestep.pipeline;

import dev.timestep.data.series.transform.BoxCox;
import dev.timestep.data.series.transform.FittedTransform;
import dev.timestep.data.series.transform.LogTransform;
import dev.timestep.data.series.transform.SeriesTransform;
import dev.timestep.io.ModelMetadata;
import java.util.Locale;

/**
 * The value transforms the forecasting workflow trains on (none, log, Box-Cox with lambda by
 * Guerrero's method), by name, and how a fitted one is kept in a model file so that a forecast
 * applies it to the inputs and inverts it on the outputs.
 */
public enum TransformChoice {
  NONE,
  LOG,
  BOXCOX;

  static final String NAME_KEY = "series.transform";
  static final String LAMBDA_KEY = "series.transform.lambda";

  /** The choice called {@code name}: none, log or boxcox (case-insensitive). */
  public static TransformChoice named(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "none" -> NONE;
      case "log" -> LOG;
      case "boxcox", "box-cox" -> BOXCOX;
      default ->
          throw new IllegalArgumentException(
              "unknown transform '" + name + "'; choose none, log or boxcox");
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
    };
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
    throw new IllegalArgumentException(
        "a model file can keep none, log or Box-Cox, not " + fitted.describe());
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
      default ->
          throw new dev.timestep.io.ModelFileException(
              "model file " + file + " has an unknown transform '" + name + "'");
    };
  }
}
