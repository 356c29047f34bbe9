package dev.timestep.data.series;

import java.time.LocalDateTime;
import java.util.List;

/**
 * Where a series has no values: per column, how many are missing and the first few positions, so
 * that a user sees the gaps before training on them.
 *
 * @param source where the series came from (a file or resource name)
 * @param length the number of time steps
 * @param columns one entry per value column, in column order
 */
public record MissingReport(String source, int length, List<Column> columns) {
  /** How many positions {@link Column#firstRows()} lists at most. */
  public static final int FIRST_SHOWN = 5;

  public MissingReport {
    columns = List.copyOf(columns);
  }

  /**
   * The gaps of one column.
   *
   * @param name the column name
   * @param missing how many of its values are missing
   * @param firstRows the 0-based rows of the first (up to {@value #FIRST_SHOWN}) missing values
   * @param firstTimes the times of those rows
   */
  public record Column(
      String name, int missing, List<Integer> firstRows, List<LocalDateTime> firstTimes) {
    public Column {
      firstRows = List.copyOf(firstRows);
      firstTimes = List.copyOf(firstTimes);
    }
  }

  /** Missing values over all columns. */
  public int totalMissing() {
    int total = 0;
    for (Column c : columns) {
      total += c.missing();
    }
    return total;
  }

  /** The entry of the column called {@code name}. */
  public Column column(String name) {
    for (Column c : columns) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "missing report of "
            + source
            + ": no column '"
            + name
            + "'; columns are "
            + columns.stream().map(Column::name).toList());
  }

  /** Several lines: a summary, then one line per column that has gaps. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(source)
        .append(": ")
        .append(totalMissing())
        .append(" missing of ")
        .append((long) length * columns.size())
        .append(" values");
    for (Column c : columns) {
      if (c.missing() == 0) {
        continue;
      }
      sb.append(System.lineSeparator())
          .append("  ")
          .append(c.name())
          .append(": ")
          .append(c.missing())
          .append(" missing, first at");
      for (int i = 0; i < c.firstRows().size(); i++) {
        sb.append(i == 0 ? " " : ", ")
            .append("row ")
            .append(c.firstRows().get(i))
            .append(" (")
            .append(shortTime(c.firstTimes().get(i)))
            .append(')');
      }
      if (c.missing() > c.firstRows().size()) {
        sb.append(", ...");
      }
    }
    return sb.toString();
  }

  // Most series are daily or coarser: print 1958-05-10 rather than 1958-05-10T00:00.
  private static Object shortTime(LocalDateTime t) {
    return t.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? t.toLocalDate() : t;
  }
}
