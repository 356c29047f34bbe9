package dev.timestep.data.series;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many series of the same columns, each under its own id (stores, sensors, products), as read from
 * one long-format table by {@link LongFormat} or {@link LongCsvReader}, with the ids that were left
 * out and why. Ids keep the order of their first row. Immutable.
 *
 * @param source where the table came from, used in messages
 * @param series each id's series, times strictly increasing
 * @param skipped the ids left out so far, with their reasons
 */
public record ManySeries(
    String source, Map<String, TimeSeries> series, List<SkippedSeries> skipped) {
  public ManySeries {
    if (source == null || series == null || skipped == null) {
      throw new IllegalArgumentException("many series: source, series and skipped are required");
    }
    series = Collections.unmodifiableMap(new LinkedHashMap<>(series));
    skipped = List.copyOf(skipped);
  }

  /** The ids kept, in the order of their first row. */
  public List<String> ids() {
    return List.copyOf(series.keySet());
  }

  /** The series of {@code id}. */
  public TimeSeries get(String id) {
    TimeSeries s = series.get(id);
    if (s == null) {
      throw new IllegalArgumentException(
          source + ": no series with id '" + Quoted.of(id) + "'; ids are " + Quoted.list(ids()));
    }
    return s;
  }

  /** Number of ids kept. */
  public int size() {
    return series.size();
  }

  /**
   * The ids whose {@code column} has at least {@code rows} rows and at least one observed value;
   * the others move to {@link #skipped()}, each with its count and {@code need} (what the rows are
   * for, e.g. "2 x (window 12 + horizon 1)").
   */
  public ManySeries withAtLeast(int rows, String column, String need) {
    Map<String, TimeSeries> kept = new LinkedHashMap<>();
    List<SkippedSeries> out = new ArrayList<>(skipped);
    for (Map.Entry<String, TimeSeries> e : series.entrySet()) {
      TimeSeries s = e.getValue();
      int c = s.columnIndex(column);
      if (s.length() < rows) {
        out.add(
            new SkippedSeries(
                e.getKey(), s.length() + " rows, fewer than the " + rows + " needed for " + need));
      } else if (s.missingCount(c) == s.length()) {
        out.add(new SkippedSeries(e.getKey(), "no observed value in column '" + column + "'"));
      } else {
        kept.put(e.getKey(), s);
      }
    }
    return new ManySeries(source, kept, out);
  }

  /** As this, with {@code more} ids noted as skipped (they are removed from the kept ones). */
  public ManySeries skipping(List<SkippedSeries> more) {
    Map<String, TimeSeries> kept = new LinkedHashMap<>(series);
    List<SkippedSeries> out = new ArrayList<>(skipped);
    for (SkippedSeries s : more) {
      kept.remove(s.id());
      out.add(s);
    }
    return new ManySeries(source, kept, out);
  }

  @Override
  public String toString() {
    return "ManySeries["
        + source
        + ", "
        + series.size()
        + " series"
        + (skipped.isEmpty() ? "" : ", " + skipped.size() + " skipped")
        + "]";
  }
}
