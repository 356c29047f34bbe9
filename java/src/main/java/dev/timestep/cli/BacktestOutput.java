package dev.timestep.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.io.AtomicFiles;
import dev.timestep.pipeline.evaluation.BacktestReport;
import dev.timestep.pipeline.evaluation.FoldResult;
import dev.timestep.pipeline.evaluation.ForecastScores;
import dev.timestep.pipeline.evaluation.IntervalCheck;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/** {@code backtest --output}: every fold's forecasts as CSV, or the whole report as JSON. */
final class BacktestOutput {
  private BacktestOutput() {}

  /** Refuses a path that cannot be written, or whose name ends in neither .csv nor .json. */
  static void check(Path file) {
    OutputFiles.check("--output", file);
    if (!isJson(file) && !isCsv(file)) {
      throw new IllegalArgumentException(
          "--output " + file + ": the name must end in .csv or .json (the format to write)");
    }
  }

  /** Writes {@code report} of {@code series} atomically, in the format its name says. */
  static void write(Path file, BacktestReport report, TimeSeries series) throws IOException {
    AtomicFiles.createFolders(file.toAbsolutePath());
    if (isJson(file)) {
      AtomicFiles.write(file.toAbsolutePath(), out -> json(out, report, series));
    } else {
      AtomicFiles.write(
          file.toAbsolutePath(),
          out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            csv(w, report, series);
            w.flush();
          });
    }
  }

  private static void csv(Writer w, BacktestReport report, TimeSeries series) throws IOException {
    w.write("fold,origin,step,time,actual,model,naive,seasonal_naive\n");
    for (FoldResult f : report.folds()) {
      int origin = f.fold().origin();
      double[] actual = f.actual();
      double[] model = f.model();
      double[] naive = f.naive();
      double[] seasonal = f.seasonalNaive();
      for (int k = 0; k < actual.length; k++) {
        w.write(
            String.format(
                Locale.ROOT,
                "%d,%s,%d,%s,%s,%s,%s,%s\n",
                f.fold().index() + 1,
                series.timeLabel(origin),
                k + 1,
                series.timeLabel(origin + k),
                number(actual[k]),
                number(model[k]),
                number(naive[k]),
                number(seasonal[k])));
      }
    }
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  private static void json(java.io.OutputStream out, BacktestReport r, TimeSeries series)
      throws IOException {
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("series", series.source());
      g.writeNumberField("horizon", r.horizon());
      g.writeNumberField("season", r.season().period());
      g.writeStringField("season_reason", r.season().reason());
      g.writeStringField("transform", r.transform());
      g.writeObjectFieldStart("scores");
      scores(g, "model", r.model());
      scores(g, "naive", r.naive());
      scores(g, "seasonal_naive", r.seasonalNaive());
      g.writeEndObject();
      g.writeBooleanField("worse_than_seasonal_naive", r.worseThanSeasonalNaive());
      g.writeArrayFieldStart("intervals");
      for (IntervalCheck c : r.intervals()) {
        g.writeStartObject();
        g.writeNumberField("level", c.level());
        if (c.measured()) {
          g.writeNumberField("coverage", c.overall());
          numbers(g, "coverage_per_step", c.perStep());
        } else {
          g.writeStringField("not_measured", c.reason());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("folds");
      for (FoldResult f : r.folds()) {
        g.writeStartObject();
        g.writeNumberField("fold", f.fold().index() + 1);
        g.writeStringField("origin", series.timeLabel(f.fold().origin()));
        g.writeNumberField("training_rows", f.fold().origin());
        g.writeNumberField("mase_scale", f.maseScale());
        numbers(g, "actual", f.actual());
        numbers(g, "model", f.model());
        numbers(g, "naive", f.naive());
        numbers(g, "seasonal_naive", f.seasonalNaive());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void scores(JsonGenerator g, String name, ForecastScores s) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeNumberField("mase", s.overallMase());
    g.writeNumberField("smape", s.overallSmape());
    g.writeNumberField("rmse", s.overallRmse());
    numbers(g, "mase_per_step", s.mase());
    numbers(g, "smape_per_step", s.smape());
    numbers(g, "rmse_per_step", s.rmse());
    g.writeEndObject();
  }

  /** An array of numbers, a missing one (NaN) as null: JSON has no NaN. */
  private static void numbers(JsonGenerator g, String name, double[] values) throws IOException {
    g.writeArrayFieldStart(name);
    for (double v : values) {
      if (Double.isNaN(v)) {
        g.writeNull();
      } else {
        g.writeNumber(v);
      }
    }
    g.writeEndArray();
  }

  private static boolean isJson(Path file) {
    return name(file).endsWith(".json");
  }

  private static boolean isCsv(Path file) {
    return name(file).endsWith(".csv");
  }

  private static String name(Path file) {
    Path n = file.getFileName();
    return n == null ? "" : n.toString().toLowerCase(Locale.ROOT);
  }
}
