package dev.timestep.data.series;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Long-format rows (id, time, values) made into one {@link TimeSeries} per id: the table a
 * database, a CSV export or a Spark group holds for many series. Rows may come in any order; each
 * id's rows are sorted by time. Two rows of one id at the same time are refused, naming both.
 *
 * <pre>{@code
 * ManySeries m = LongFormat.group("sales", TimeFormat.DATE, ids, times, List.of("sales"),
 *     new float[][] {sales});
 * TimeSeries one = LongFormat.series("store 7", TimeFormat.DATE, times, List.of("sales"),
 *     new float[][] {sales});   // one group's rows, as a Spark group hands them over
 * }</pre>
 */
public final class LongFormat {
  private LongFormat() {}

  /**
   * One series per id from rows given as arrays: row r is ({@code ids[r]}, {@code times[r]}, {@code
   * columns[c][r]} for each column c; NaN where missing).
   *
   * @param source names the table in messages and in each series ("source [id]")
   * @param format how the times are written (for labels and the future times of a forecast)
   * @throws IllegalArgumentException on a null or blank id, a null time, columns of another length
   *     than the ids, or two rows of one id at the same time
   */
  public static ManySeries group(
      String source,
      TimeFormat format,
      String[] ids,
      LocalDateTime[] times,
      List<String> names,
      float[][] columns) {
    return group(source, format, ids, times, names, columns, null);
  }

  /**
   * The series of one id from its rows (in any order), as {@link #group} makes it; for a caller
   * that already holds one id's rows, such as a Spark group.
   */
  public static TimeSeries series(
      String id, TimeFormat format, LocalDateTime[] times, List<String> names, float[][] columns) {
    String[] ids = new String[times == null ? 0 : times.length];
    java.util.Arrays.fill(ids, id);
    return group(id, format, ids, times, names, columns, null).get(id);
  }

  /** As the public {@link #group}; {@code lines} (or null) name each row in messages. */
  static ManySeries group(
      String source,
      TimeFormat format,
      String[] ids,
      LocalDateTime[] times,
      List<String> names,
      float[][] columns,
      long[] lines) {
    if (source == null || format == null || ids == null || times == null) {
      throw new IllegalArgumentException(
          "long format: source, time format, ids and times are required");
    }
    if (names == null || columns == null || names.isEmpty() || names.size() != columns.length) {
      throw new IllegalArgumentException(
          source + ": expected one value column per name, got " + names + " and " + columns);
    }
    int n = ids.length;
    if (n == 0) {
      throw new IllegalArgumentException(source + ": no rows");
    }
    if (times.length != n) {
      throw new IllegalArgumentException(
          source + ": " + n + " ids but " + times.length + " times; expected one of each per row");
    }
    for (int c = 0; c < columns.length; c++) {
      if (columns[c] == null || columns[c].length != n) {
        throw new IllegalArgumentException(
            source
                + ": column '"
                + Quoted.of(names.get(c))
                + "' has "
                + (columns[c] == null ? "no array" : columns[c].length + " values")
                + " but there are "
                + n
                + " rows");
      }
    }
    Map<String, List<Integer>> rowsById = new LinkedHashMap<>();
    for (int r = 0; r < n; r++) {
      if (ids[r] == null || ids[r].isBlank()) {
        throw new IllegalArgumentException(where(source, lines, r) + "the id is empty");
      }
      if (times[r] == null) {
        throw new IllegalArgumentException(where(source, lines, r) + "the time is missing");
      }
      rowsById.computeIfAbsent(ids[r], k -> new ArrayList<>()).add(r);
    }
    Map<String, TimeSeries> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Integer>> e : rowsById.entrySet()) {
      List<Integer> rows = e.getValue();
      rows.sort(Comparator.comparing((Integer r) -> times[r]).thenComparing(r -> r));
      List<LocalDateTime> t = new ArrayList<>(rows.size());
      float[][] v = new float[columns.length][rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        int r = rows.get(i);
        if (i > 0 && times[r].equals(times[rows.get(i - 1)])) {
          throw new IllegalArgumentException(
              where(source, lines, r)
                  + "id '"
                  + Quoted.of(e.getKey())
                  + "' has two rows at "
                  + format.format(times[r])
                  + " (the other is "
                  + (lines == null ? "row " + rows.get(i - 1) : "line " + lines[rows.get(i - 1)])
                  + "); each (id, time) must appear once");
        }
        t.add(times[r]);
        for (int c = 0; c < columns.length; c++) {
          v[c][i] = columns[c][r];
        }
      }
      String name = source.equals(e.getKey()) ? source : source + " [" + e.getKey() + "]";
      out.put(e.getKey(), TimeSeries.of(name, format, t, names, v));
    }
    return new ManySeries(source, out, List.of());
  }

  private static String where(String source, long[] lines, int row) {
    return source + (lines == null ? " row " + row : " line " + lines[row]) + ": ";
  }
}
