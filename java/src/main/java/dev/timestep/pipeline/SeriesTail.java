package dev.timestep.pipeline;

import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.io.ModelFileException;
import dev.timestep.io.ModelMetadata;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last rows of a series as a model file keeps them, so the model can forecast from the end of
 * its series without the file it came from: the times (with their format, which says how the series
 * steps) and the model's columns in original units, NaN where missing. Saved as {@code
 * series.tail.*} entries beside the model.
 *
 * @param source names the series in messages ("csv data.csv")
 * @param format how the series wrote its times (a recognised format or the user's pattern)
 * @param times one per row, oldest first
 * @param columns the column names, in model order
 * @param values [columns][rows], NaN where missing
 */
public record SeriesTail(
    String source,
    TimeFormat format,
    List<LocalDateTime> times,
    List<String> columns,
    float[][] values) {

  private static final String PREFIX = "series.tail.";

  public SeriesTail {
    if (source == null || format == null || times == null || columns == null || values == null) {
      throw new IllegalArgumentException(
          "series tail: source, format, times, columns and values are required");
    }
    times = List.copyOf(times);
    columns = List.copyOf(columns);
    if (times.size() < 2) {
      throw new IllegalArgumentException(
          "series tail: needs at least 2 rows to know the series' step, got " + times.size());
    }
    if (values.length != columns.size() || columns.isEmpty()) {
      throw new IllegalArgumentException(
          "series tail: expected one value column per name " + columns + ", got " + values.length);
    }
    float[][] copy = new float[values.length][];
    for (int c = 0; c < values.length; c++) {
      if (values[c] == null || values[c].length != times.size()) {
        throw new IllegalArgumentException(
            "series tail: column '"
                + columns.get(c)
                + "' must hold "
                + times.size()
                + " values, one per time");
      }
      copy[c] = values[c].clone();
    }
    values = copy;
  }

  /**
   * The last {@code rows} rows of {@code series}' {@code columns} (at least 2, so that the step
   * between times is known; all of them when the series is shorter).
   */
  public static SeriesTail of(TimeSeries series, List<String> columns, int rows) {
    TimeSeries s = series.select(columns.toArray(new String[0]));
    int from = Math.max(0, s.length() - Math.max(rows, 2));
    TimeSeries last = s.slice(from, s.length());
    float[][] v = new float[last.columnCount()][];
    for (int c = 0; c < v.length; c++) {
      v[c] = last.column(c);
    }
    return new SeriesTail(s.source(), s.timeFormat(), last.times(), columns, v);
  }

  /** A copy of the values, [columns][rows]. */
  @Override
  public float[][] values() {
    float[][] copy = new float[values.length][];
    for (int c = 0; c < copy.length; c++) {
      copy[c] = values[c].clone();
    }
    return copy;
  }

  /** Number of rows kept. */
  public int rows() {
    return times.size();
  }

  /** The kept rows as a series named {@code name}. */
  public TimeSeries toSeries(String name) {
    return TimeSeries.of(name, format, times, columns, values);
  }

  /** The entries to save beside the model. */
  public ModelMetadata toMetadata() {
    ModelMetadata.Builder b =
        ModelMetadata.builder()
            .put(PREFIX + "source", source)
            // A reader that predates patterns labels times in the recognised format nearest it.
            .put(PREFIX + "time_format", format.nearestRecognised().name());
    if (format.pattern() != null) {
      b.put(PREFIX + "time_pattern", format.pattern());
    }
    double[] seconds = new double[times.size()];
    for (int r = 0; r < seconds.length; r++) {
      seconds[r] = times.get(r).toEpochSecond(ZoneOffset.UTC);
    }
    b.put(PREFIX + "times", seconds);
    for (int c = 0; c < values.length; c++) {
      double[] v = new double[values[c].length];
      for (int r = 0; r < v.length; r++) {
        v[r] = values[c][r];
      }
      b.put(PREFIX + "values." + c, v);
    }
    return b.build();
  }

  /**
   * The tail saved with a model whose info is {@code info}, or null for files written before models
   * kept one.
   *
   * @throws ModelFileException when the entries are there but malformed
   */
  public static SeriesTail fromMetadata(ModelMetadata m, SeriesModelInfo info, String file) {
    if (m.text(PREFIX + "time_format").isEmpty()) {
      return null;
    }
    try {
      TimeFormat format =
          m.text(PREFIX + "time_pattern").isPresent()
              ? TimeFormat.ofPattern(m.text(PREFIX + "time_pattern").get())
              : TimeFormat.valueOf(m.text(PREFIX + "time_format").get());
      double[] seconds = numbers(m, "times");
      List<LocalDateTime> times = new ArrayList<>();
      for (double s : seconds) {
        if (!(Math.abs(s) < 1e15 && s == Math.rint(s))) {
          throw new IllegalArgumentException("time " + s + " is not a whole number of seconds");
        }
        times.add(LocalDateTime.ofInstant(Instant.ofEpochSecond((long) s), ZoneOffset.UTC));
      }
      float[][] values = new float[info.columns().size()][];
      for (int c = 0; c < values.length; c++) {
        double[] v = numbers(m, "values." + c);
        values[c] = new float[v.length];
        for (int r = 0; r < v.length; r++) {
          values[c][r] = (float) v[r];
        }
      }
      String source = m.text(PREFIX + "source").orElse(info.input());
      return new SeriesTail(source, format, times, info.columns(), values);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new ModelFileException(
          "model file " + file + " has an invalid last window (series.tail): " + e.getMessage(), e);
    }
  }

  private static double[] numbers(ModelMetadata m, String key) {
    return m.numbers(PREFIX + key)
        .orElseThrow(() -> new IllegalArgumentException("no entry '" + PREFIX + key + "'"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesTail t
        && source.equals(t.source)
        && format.equals(t.format)
        && times.equals(t.times)
        && columns.equals(t.columns)
        && Arrays.deepEquals(values, t.values);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(values) * 31 + times.hashCode();
  }

  @Override
  public String toString() {
    return "SeriesTail["
        + source
        + ", "
        + rows()
        + " rows "
        + times.get(0)
        + " .. "
        + times.get(rows() - 1)
        + "]";
  }
}
