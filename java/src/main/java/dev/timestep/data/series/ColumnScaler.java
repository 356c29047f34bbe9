package dev.timestep.data.series;

import dev.timestep.tensor.NDArray;
import java.util.List;

/**
 * A per-column affine scaling {@code scaled = (value - offset) / scale}, fitted on training data
 * only and inverted on forecasts. NaN (missing) stays NaN in both directions. Arrays use their last
 * axis for the columns, as {@link TimeSeries#toArray()} and window inputs do.
 */
public abstract sealed class ColumnScaler permits StandardScaler, MinMaxScaler {
  private final List<String> names;
  private final double[] offset;
  private final double[] scale;

  ColumnScaler(List<String> names, double[] offset, double[] scale) {
    if (names == null
        || offset == null
        || scale == null
        || names.isEmpty()
        || names.size() != offset.length
        || names.size() != scale.length) {
      throw new IllegalArgumentException(
          kind()
              + ": expected one offset and one scale per column name, got "
              + names
              + ", "
              + (offset == null ? "null" : offset.length)
              + " offsets and "
              + (scale == null ? "null" : scale.length)
              + " scales");
    }
    for (int c = 0; c < scale.length; c++) {
      if (!Double.isFinite(offset[c]) || !(scale[c] > 0) || !Double.isFinite(scale[c])) {
        throw new IllegalArgumentException(
            kind()
                + ": column '"
                + names.get(c)
                + "' needs a finite offset and a "
                + "finite scale > 0, got offset "
                + offset[c]
                + " and scale "
                + scale[c]);
      }
    }
    this.names = List.copyOf(names);
    this.offset = offset.clone();
    this.scale = scale.clone();
  }

  /** The scaler's name for messages ("StandardScaler", "MinMaxScaler"). */
  abstract String kind();

  /** The column names it was fitted on, in order. */
  public List<String> columnNames() {
    return names;
  }

  public int columnCount() {
    return names.size();
  }

  /** The series with every column scaled; names and order must match those fitted. */
  public TimeSeries transform(TimeSeries series) {
    requireSameColumns(series);
    float[][] out = new float[names.size()][];
    for (int c = 0; c < out.length; c++) {
      out[c] = map(series.column(c), c, false);
    }
    return series.withValues(out);
  }

  /** The series back in original units. */
  public TimeSeries inverse(TimeSeries series) {
    requireSameColumns(series);
    float[][] out = new float[names.size()][];
    for (int c = 0; c < out.length; c++) {
      out[c] = map(series.column(c), c, true);
    }
    return series.withValues(out);
  }

  /** Scales an array whose last axis holds the fitted columns (e.g. X [N, window, features]). */
  public NDArray transform(NDArray values) {
    return mapLastAxis(values, false);
  }

  /** Inverts {@link #transform(NDArray)}. */
  public NDArray inverse(NDArray values) {
    return mapLastAxis(values, true);
  }

  /**
   * A forecast of one column back in original units: every element, whatever the shape ([N, h] from
   * seq-to-vector, [N, T, h] from seq-to-seq), is a value of {@code column}.
   */
  public NDArray inverseTarget(NDArray forecast, int column) {
    requireColumn(column);
    if (forecast == null) {
      throw new IllegalArgumentException(
          kind() + ".inverseTarget: expected a forecast array, got null");
    }
    return NDArray.of(map(forecast.data(), column, true), forecast.shape().dims());
  }

  public NDArray inverseTarget(NDArray forecast, String column) {
    return inverseTarget(forecast, indexOf(column));
  }

  /**
   * A spread of one column (e.g. an MC-dropout standard deviation) in original units: scaled but
   * not shifted, since a spread has no offset.
   */
  public NDArray inverseTargetSpread(NDArray spread, int column) {
    requireColumn(column);
    if (spread == null) {
      throw new IllegalArgumentException(
          kind() + ".inverseTargetSpread: expected an array, got null");
    }
    float[] in = spread.data();
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = (float) (in[i] * scale[column]);
    }
    return NDArray.of(out, spread.shape().dims());
  }

  /** The offset subtracted from column {@code c} (mean or minimum). */
  public double offset(int c) {
    requireColumn(c);
    return offset[c];
  }

  /** The divisor of column {@code c} (standard deviation or max - min). */
  public double scale(int c) {
    requireColumn(c);
    return scale[c];
  }

  /** The position of the column called {@code name}. */
  public int indexOf(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(
          kind() + ": unknown column '" + name + "'; fitted on " + names);
    }
    return i;
  }

  private float[] map(float[] in, int c, boolean inverse) {
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) {
      // NaN propagates through the arithmetic, so a missing value stays missing.
      out[i] =
          inverse
              ? (float) (in[i] * scale[c] + offset[c])
              : (float) ((in[i] - offset[c]) / scale[c]);
    }
    return out;
  }

  private NDArray mapLastAxis(NDArray values, boolean inverse) {
    if (values == null || values.rank() < 2 || values.dim(values.rank() - 1) != names.size()) {
      throw new IllegalArgumentException(
          kind()
              + ": expected an array whose last axis holds the "
              + names.size()
              + " fitted column(s) "
              + names
              + ", got "
              + (values == null ? "null" : values.shape()));
    }
    int f = names.size();
    float[] in = values.data();
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) {
      int c = i % f;
      out[i] =
          inverse
              ? (float) (in[i] * scale[c] + offset[c])
              : (float) ((in[i] - offset[c]) / scale[c]);
    }
    return NDArray.of(out, values.shape().dims());
  }

  private void requireSameColumns(TimeSeries series) {
    if (series == null || !series.columnNames().equals(names)) {
      throw new IllegalArgumentException(
          kind()
              + ": fitted on columns "
              + names
              + " but the series has "
              + (series == null ? "none (null)" : series.columnNames()));
    }
  }

  private void requireColumn(int c) {
    if (c < 0 || c >= names.size()) {
      throw new IllegalArgumentException(
          kind() + ": column " + c + " does not exist; fitted on " + names);
    }
  }

  /** Column {@code c} of an array whose last axis has {@code f} columns, NaN included. */
  static double[] columnOf(float[] data, int f, int c) {
    double[] out = new double[data.length / f];
    for (int i = 0; i < out.length; i++) {
      out[i] = data[i * f + c];
    }
    return out;
  }

  /** Finite values of {@code column}, skipping NaN; fails on an infinity or when none are left. */
  static double[] present(String kind, String name, double[] column) {
    double[] out = new double[column.length];
    int n = 0;
    for (double v : column) {
      if (Double.isInfinite(v)) {
        throw new IllegalArgumentException(
            kind
                + ": column '"
                + name
                + "' contains "
                + v
                + "; only finite values or NaN (missing) can be fitted");
      }
      if (!Double.isNaN(v)) {
        out[n++] = v;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException(
          kind
              + ": column '"
              + name
              + "' has no values to fit on (all "
              + column.length
              + " are missing)");
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** Default names for array columns: "column 0", "column 1", ... */
  static List<String> defaultNames(int f) {
    String[] out = new String[f];
    for (int c = 0; c < f; c++) {
      out[c] = "column " + c;
    }
    return List.of(out);
  }

  /** The columns of a series or an array with columns on the last axis, as doubles. */
  static double[][] columns(NDArray values, String kind) {
    if (values == null || values.rank() < 2 || values.size() == 0) {
      throw new IllegalArgumentException(
          kind
              + ".fit: expected a non-empty array with columns on the last axis "
              + "(e.g. [steps, features]), got "
              + (values == null ? "null" : values.shape()));
    }
    int f = values.dim(values.rank() - 1);
    double[][] out = new double[f][];
    for (int c = 0; c < f; c++) {
      out[c] = columnOf(values.data(), f, c);
    }
    return out;
  }
}
