package dev.timestep.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.io.AtomicFiles;
import dev.timestep.pipeline.SeriesPrecision;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/**
 * {@code forecast --output}: the forecast as CSV (time, forecast, and lower/upper per interval
 * level; LF line endings) or JSON, by the file's extension. Times are labelled in the series' own
 * format (1985 Q2, 1985-04, 2001-12-29), values at the series' own precision plus two decimals.
 */
final class ForecastOutput {
  /** The interval level written when the forecast has a spread (normal approximation). */
  static final int LEVEL = 95;

  /** The two-sided standard normal quantile of {@link #LEVEL}. */
  private static final double Z = 1.959963984540054;

  private ForecastOutput() {}

  /**
   * One interval of the forecast.
   *
   * @param level in percent, e.g. 80 or 95
   * @param lower per step
   * @param upper per step
   */
  record Interval(int level, double[] lower, double[] upper) {}

  /**
   * What to write.
   *
   * @param target the forecast column's name
   * @param format how the series writes its times
   * @param times one per step
   * @param mean the forecast per step
   * @param intervals the intervals written beside it, lowest level first (may be empty)
   * @param decimals decimals of every value written
   */
  record Table(
      String target,
      TimeFormat format,
      List<LocalDateTime> times,
      double[] mean,
      List<Interval> intervals,
      int decimals) {
    /** A table whose one interval is the 95% normal approximation from a spread (null: none). */
    static Table withSpread(
        String target,
        TimeFormat format,
        List<LocalDateTime> times,
        double[] mean,
        double[] spread,
        int decimals) {
      List<Interval> intervals = new java.util.ArrayList<>();
      if (spread != null) {
        double[] lower = new double[mean.length];
        double[] upper = new double[mean.length];
        for (int k = 0; k < mean.length; k++) {
          lower[k] = mean[k] - Z * spread[k];
          upper[k] = mean[k] + Z * spread[k];
        }
        intervals.add(new Interval(LEVEL, lower, upper));
      }
      return new Table(target, format, times, mean, intervals, decimals);
    }

    String time(int k) {
      // compact dates are written as dates: 2002-01-05, not 20020105
      TimeFormat f = format == TimeFormat.BASIC_DATE ? TimeFormat.DATE : format;
      return f.format(times.get(k));
    }

    String value(double v) {
      return SeriesPrecision.format(v, decimals);
    }
  }

  /** Refuses a path that cannot be written, or whose name ends in neither .csv nor .json. */
  static void check(Path file) {
    OutputFiles.check("--output", file);
    String name = name(file);
    if (!name.endsWith(".json") && !name.endsWith(".csv")) {
      throw new IllegalArgumentException(
          "--output " + file + ": the name must end in .csv or .json (the format to write)");
    }
  }

  /** Writes {@code t} atomically, in the format the name says. */
  static void write(Path file, Table t) throws IOException {
    Path target = file.toAbsolutePath();
    AtomicFiles.createFolders(target);
    if (name(file).endsWith(".json")) {
      AtomicFiles.write(target, out -> json(out, t));
    } else {
      AtomicFiles.write(
          target,
          out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            csv(w, t);
            w.flush();
          });
    }
  }

  private static void csv(Writer w, Table t) throws IOException {
    w.write("time,forecast");
    for (Interval i : t.intervals()) {
      w.write(",lower_" + i.level() + ",upper_" + i.level());
    }
    w.write("\n");
    for (int k = 0; k < t.mean().length; k++) {
      w.write(field(t.time(k)) + "," + t.value(t.mean()[k]));
      for (Interval i : t.intervals()) {
        w.write("," + t.value(i.lower()[k]) + "," + t.value(i.upper()[k]));
      }
      w.write("\n");
    }
  }

  /** A time label as a CSV field: quoted when a pattern wrote a comma or quote into it. */
  static String field(String text) {
    if (text.indexOf(',') < 0 && text.indexOf('"') < 0) {
      return text;
    }
    return '"' + text.replace("\"", "\"\"") + '"';
  }

  private static void json(java.io.OutputStream out, Table t) throws IOException {
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("target", t.target());
      g.writeArrayFieldStart("levels");
      for (Interval i : t.intervals()) {
        g.writeNumber(i.level());
      }
      g.writeEndArray();
      g.writeArrayFieldStart("forecast");
      for (int k = 0; k < t.mean().length; k++) {
        g.writeStartObject();
        g.writeStringField("time", t.time(k));
        g.writeFieldName("forecast");
        g.writeNumber(t.value(t.mean()[k]));
        for (Interval i : t.intervals()) {
          g.writeFieldName("lower_" + i.level());
          g.writeNumber(t.value(i.lower()[k]));
          g.writeFieldName("upper_" + i.level());
          g.writeNumber(t.value(i.upper()[k]));
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }

  private static String name(Path file) {
    Path n = file.getFileName();
    return n == null ? "" : n.toString().toLowerCase(Locale.ROOT);
  }
}
