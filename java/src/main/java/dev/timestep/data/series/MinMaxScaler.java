package dev.timestep.data.series;

import dev.timestep.tensor.NDArray;
import java.util.List;

/**
 * Scales each column so that its training minimum maps to 0 and its training maximum to 1; later
 * values may fall outside [0, 1]. Missing values are ignored by the fit and stay NaN.
 */
public final class MinMaxScaler extends ColumnScaler {
  private MinMaxScaler(List<String> names, double[] min, double[] range) {
    super(names, min, range);
  }

  /** Fitted on the columns of {@code train}. */
  public static MinMaxScaler fit(TimeSeries train) {
    if (train == null) {
      throw new IllegalArgumentException("MinMaxScaler.fit: expected a training series, got null");
    }
    return fit(train.toArray(), train.columnNames());
  }

  /** Fitted on an array whose last axis holds the columns, named "column 0", "column 1", ... */
  public static MinMaxScaler fit(NDArray train) {
    // fit(NDArray, names) checks the shape before it reads a name.
    return fit(train, defaultNames(train == null || train.rank() < 2 ? 0 : train.shape().dim(-1)));
  }

  /**
   * A scaler with known bounds (e.g. read back from a saved model); each max must exceed its min.
   */
  public static MinMaxScaler of(List<String> names, double[] min, double[] max) {
    if (min == null || max == null || min.length != max.length) {
      throw new IllegalArgumentException(
          "MinMaxScaler.of: expected as many maxima as minima, got "
              + (min == null ? "null" : min.length)
              + " and "
              + (max == null ? "null" : max.length));
    }
    double[] range = new double[min.length];
    for (int c = 0; c < min.length; c++) {
      range[c] = max[c] - min[c];
    }
    return new MinMaxScaler(names, min, range);
  }

  private static MinMaxScaler fit(NDArray train, List<String> names) {
    double[][] columns = columns(train, "MinMaxScaler");
    double[] min = new double[columns.length];
    double[] range = new double[columns.length];
    for (int c = 0; c < columns.length; c++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double x : present("MinMaxScaler", names.get(c), columns[c])) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      if (hi == lo) {
        throw new IllegalArgumentException(
            "MinMaxScaler: column '"
                + names.get(c)
                + "' is constant (min = max = "
                + lo
                + "), so max - min is 0 and scaling would divide by zero");
      }
      min[c] = lo;
      range[c] = hi - lo;
    }
    return new MinMaxScaler(names, min, range);
  }

  @Override
  String kind() {
    return "MinMaxScaler";
  }

  /** The training minimum of column {@code c}. */
  public double min(int c) {
    return offset(c);
  }

  /** The training maximum of column {@code c}. */
  public double max(int c) {
    return offset(c) + scale(c);
  }
}
