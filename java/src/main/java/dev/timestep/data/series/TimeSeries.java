package dev.timestep.data.series;

import dev.timestep.tensor.NDArray;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A real series: strictly increasing times and one or more named float columns. A missing value is
 * {@link Float#NaN}; {@link #isMissing}, {@link #missingCount} and {@link #missingReport} say where
 * they are, so gaps are never confused with zeros. Immutable: every accessor returns a copy.
 */
public final class TimeSeries {
  private final String source;
  private final TimeFormat timeFormat;
  private final List<LocalDateTime> times;
  private final List<String> names;
  private final float[][] columns;

  private TimeSeries(
      String source,
      TimeFormat timeFormat,
      List<LocalDateTime> times,
      List<String> names,
      float[][] columns) {
    this.source = source;
    this.timeFormat = timeFormat;
    this.times = times;
    this.names = names;
    this.columns = columns;
  }

  /**
   * A series from its parts (copied).
   *
   * @param source where it came from, used in messages
   * @param timeFormat how its times are written
   * @param times strictly increasing, one per step
   * @param names distinct, non-blank column names
   * @param columns one array per name, each as long as {@code times}; NaN marks a missing value
   */
  public static TimeSeries of(
      String source,
      TimeFormat timeFormat,
      List<LocalDateTime> times,
      List<String> names,
      float[][] columns) {
    if (source == null || timeFormat == null || times == null || names == null || columns == null) {
      throw new IllegalArgumentException(
          "time series: source, time format, times, names and columns are required");
    }
    if (times.isEmpty()) {
      throw new IllegalArgumentException("time series " + source + ": no time steps");
    }
    if (names.isEmpty() || names.size() != columns.length) {
      throw new IllegalArgumentException(
          "time series "
              + source
              + ": expected one value column per name, got "
              + names.size()
              + " names and "
              + columns.length
              + " columns");
    }
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (name == null || name.isBlank() || !seen.add(name)) {
        throw new IllegalArgumentException(
            "time series "
                + source
                + ": column names must be distinct and "
                + "non-blank, got "
                + names);
      }
    }
    float[][] copy = new float[columns.length][];
    for (int c = 0; c < columns.length; c++) {
      if (columns[c] == null || columns[c].length != times.size()) {
        throw new IllegalArgumentException(
            "time series "
                + source
                + ": column '"
                + names.get(c)
                + "' has "
                + (columns[c] == null ? "no array" : columns[c].length + " values")
                + " but there are "
                + times.size()
                + " times");
      }
      for (int t = 0; t < times.size(); t++) {
        if (Float.isInfinite(columns[c][t])) {
          throw new IllegalArgumentException(
              "time series "
                  + source
                  + ": column '"
                  + names.get(c)
                  + "' row "
                  + t
                  + " is infinite; use NaN for a missing value");
        }
      }
      copy[c] = columns[c].clone();
    }
    for (int t = 0; t < times.size(); t++) {
      if (times.get(t) == null || (t > 0 && !times.get(t).isAfter(times.get(t - 1)))) {
        throw new IllegalArgumentException(
            "time series "
                + source
                + ": times must be strictly increasing, but row "
                + t
                + " ("
                + times.get(t)
                + ") does not come after row "
                + (t - 1)
                + " ("
                + (t > 0 ? times.get(t - 1) : "-")
                + ")");
      }
    }
    return new TimeSeries(source, timeFormat, List.copyOf(times), List.copyOf(names), copy);
  }

  /** Where the series came from (file or resource name). */
  public String source() {
    return source;
  }

  /** How the times were written (also how {@link #timeLabel} writes them). */
  public TimeFormat timeFormat() {
    return timeFormat;
  }

  /** Number of time steps. */
  public int length() {
    return times.size();
  }

  public int columnCount() {
    return names.size();
  }

  /** The value column names, in file order. */
  public List<String> columnNames() {
    return names;
  }

  /** The position of the column called {@code name}. */
  public int columnIndex(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(
          source + ": unknown column '" + name + "'; columns are " + names);
    }
    return i;
  }

  public LocalDateTime time(int row) {
    return times.get(row);
  }

  public List<LocalDateTime> times() {
    return times;
  }

  /** The time of {@code row} written as in the source (e.g. {@code 19580329} or {@code 1749}). */
  public String timeLabel(int row) {
    return timeFormat.format(times.get(row));
  }

  /** Every time as a decimal year: a numeric axis for plots. */
  public double[] decimalYears() {
    double[] out = new double[times.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = TimeFormat.toDecimalYear(times.get(i));
    }
    return out;
  }

  /** The value at {@code row} of column {@code column}; NaN when missing. */
  public float value(int row, int column) {
    return columns[column][row];
  }

  /** A copy of one column; NaN where missing. */
  public float[] column(int column) {
    return columns[column].clone();
  }

  public float[] column(String name) {
    return column(columnIndex(name));
  }

  public boolean isMissing(int row, int column) {
    return Float.isNaN(columns[column][row]);
  }

  /** {@code true} at each row where the column has no value. */
  public boolean[] missingMask(int column) {
    boolean[] mask = new boolean[times.size()];
    for (int t = 0; t < mask.length; t++) {
      mask[t] = Float.isNaN(columns[column][t]);
    }
    return mask;
  }

  public int missingCount(int column) {
    int n = 0;
    for (float v : columns[column]) {
      if (Float.isNaN(v)) {
        n++;
      }
    }
    return n;
  }

  public int missingCount(String name) {
    return missingCount(columnIndex(name));
  }

  /** Missing values over all columns. */
  public int missingCount() {
    int n = 0;
    for (int c = 0; c < columns.length; c++) {
      n += missingCount(c);
    }
    return n;
  }

  /** Per column: how many values are missing and where the first ones are. */
  public MissingReport missingReport() {
    List<MissingReport.Column> out = new ArrayList<>();
    for (int c = 0; c < columns.length; c++) {
      List<Integer> rows = new ArrayList<>();
      List<LocalDateTime> at = new ArrayList<>();
      for (int t = 0; t < times.size() && rows.size() < MissingReport.FIRST_SHOWN; t++) {
        if (Float.isNaN(columns[c][t])) {
          rows.add(t);
          at.add(times.get(t));
        }
      }
      out.add(new MissingReport.Column(names.get(c), missingCount(c), rows, at));
    }
    return new MissingReport(source, times.size(), out);
  }

  /** The values as [length, columns], NaN where missing: the layout the window builders read. */
  public NDArray toArray() {
    int n = times.size();
    int f = columns.length;
    float[] out = new float[n * f];
    for (int t = 0; t < n; t++) {
      for (int c = 0; c < f; c++) {
        out[t * f + c] = columns[c][t];
      }
    }
    return NDArray.of(out, n, f);
  }

  /** Only the named columns, in the order given. */
  public TimeSeries select(String... names) {
    if (names == null || names.length == 0) {
      throw new IllegalArgumentException(source + ": select needs at least one column name");
    }
    float[][] picked = new float[names.length][];
    for (int i = 0; i < names.length; i++) {
      picked[i] = columns[columnIndex(names[i])];
    }
    return of(source, timeFormat, times, List.of(names), picked);
  }

  /** Rows {@code [from, to)}. */
  public TimeSeries slice(int from, int to) {
    if (from < 0 || to > times.size() || from >= to) {
      throw new IllegalArgumentException(
          source
              + ": slice ["
              + from
              + ", "
              + to
              + ") must be a non-empty range "
              + "inside [0, "
              + times.size()
              + ")");
    }
    float[][] part = new float[columns.length][];
    for (int c = 0; c < columns.length; c++) {
      part[c] = java.util.Arrays.copyOfRange(columns[c], from, to);
    }
    return of(source, timeFormat, times.subList(from, to), names, part);
  }

  /** The same times and names with other values (e.g. scaled or imputed), one array per column. */
  public TimeSeries withValues(float[][] newColumns) {
    return of(source, timeFormat, times, names, newColumns);
  }

  @Override
  public String toString() {
    return "TimeSeries["
        + source
        + ", "
        + times.size()
        + " steps "
        + timeLabel(0)
        + " .. "
        + timeLabel(times.size() - 1)
        + ", columns "
        + names
        + ", "
        + missingCount()
        + " missing]";
  }
}
