package dev.timestep.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Reads the window of one input row: an array column of {@code window x columns} values, or (long
 * format, grouped) the last {@code window} values of a series' rows sorted by time.
 */
final class WindowInput implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int column;
  private final boolean grouped;
  private final int window;
  private final int features;

  /**
   * @param column the array column (of numbers, or of (time, value) structs when grouped)
   * @param grouped whether the column holds a series' rows sorted by time
   */
  WindowInput(int column, boolean grouped, int window, int features) {
    this.column = column;
    this.grouped = grouped;
    this.window = window;
    this.features = features;
  }

  /**
   * The window's values, time-major.
   *
   * @throws IllegalArgumentException naming what is wrong with the row (becomes its error)
   */
  float[] read(Row row) {
    if (row.isNullAt(column)) {
      throw new IllegalArgumentException("no input (null)");
    }
    List<Object> values = row.getList(column);
    int need = window * features;
    if (grouped) {
      if (values.size() < window) {
        throw new IllegalArgumentException(
            values.size() + " rows, fewer than the model's window of " + window);
      }
      float[] out = new float[window];
      int first = values.size() - window;
      for (int t = 0; t < window; t++) {
        Row r = (Row) values.get(first + t);
        out[t] = value(r.isNullAt(1) ? null : r.get(1), t);
      }
      return out;
    }
    if (values.size() != need) {
      throw new IllegalArgumentException(
          values.size()
              + " values; the model reads windows of "
              + window
              + " steps x "
              + features
              + " column(s) = "
              + need);
    }
    float[] out = new float[need];
    for (int i = 0; i < need; i++) {
      out[i] = value(values.get(i), i);
    }
    return out;
  }

  private static float value(Object v, int at) {
    if (!(v instanceof Number n) || Double.isNaN(n.doubleValue())) {
      throw new IllegalArgumentException(
          "missing value at position " + at + " of the window; fill gaps first");
    }
    return n.floatValue();
  }
}
