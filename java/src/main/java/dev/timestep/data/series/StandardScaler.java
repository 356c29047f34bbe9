package dev.timestep.data.series;

import dev.timestep.tensor.NDArray;
import java.util.List;

/**
 * Scales each column to mean 0 and standard deviation 1 (population deviation, as most libraries
 * do), with statistics taken from the training data only; missing values are ignored by the fit and
 * stay NaN.
 *
 * <pre>{@code
 * StandardScaler scaler = StandardScaler.fit(split.train());
 * SeriesSplit scaled = split.map(scaler::transform);
 * NDArray forecastPpm = scaler.inverseTarget(model.predict(x), "co2");
 * }</pre>
 */
public final class StandardScaler extends ColumnScaler {
  private StandardScaler(List<String> names, double[] mean, double[] std) {
    super(names, mean, std);
  }

  /** Fitted on the columns of {@code train}. */
  public static StandardScaler fit(TimeSeries train) {
    if (train == null) {
      throw new IllegalArgumentException(
          "StandardScaler.fit: expected a training series, got null");
    }
    return fit(train.toArray(), train.columnNames());
  }

  /** Fitted on an array whose last axis holds the columns, named "column 0", "column 1", ... */
  public static StandardScaler fit(NDArray train) {
    // fit(NDArray, names) checks the shape before it reads a name.
    return fit(train, defaultNames(train == null || train.rank() < 2 ? 0 : train.shape().dim(-1)));
  }

  /** A scaler with known statistics (e.g. read back from a saved model). */
  public static StandardScaler of(List<String> names, double[] mean, double[] std) {
    return new StandardScaler(names, mean, std);
  }

  private static StandardScaler fit(NDArray train, List<String> names) {
    double[][] columns = columns(train, "StandardScaler");
    double[] mean = new double[columns.length];
    double[] std = new double[columns.length];
    for (int c = 0; c < columns.length; c++) {
      double[] v = present("StandardScaler", names.get(c), columns[c]);
      double sum = 0;
      for (double x : v) {
        sum += x;
      }
      mean[c] = sum / v.length;
      double squares = 0;
      for (double x : v) {
        squares += (x - mean[c]) * (x - mean[c]);
      }
      std[c] = Math.sqrt(squares / v.length);
      if (std[c] == 0) {
        throw new IllegalArgumentException(
            "StandardScaler: column '"
                + names.get(c)
                + "' is constant (every value "
                + "is "
                + v[0]
                + "), so its standard deviation is 0 and scaling would divide by zero");
      }
    }
    return new StandardScaler(names, mean, std);
  }

  @Override
  String kind() {
    return "StandardScaler";
  }

  /** The training mean of column {@code c}. */
  public double mean(int c) {
    return offset(c);
  }

  /** The training standard deviation of column {@code c}. */
  public double std(int c) {
    return scale(c);
  }
}
