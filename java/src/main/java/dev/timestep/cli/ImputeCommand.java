package dev.timestep.cli;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.impute.ImputationEvaluation;
import dev.timestep.impute.ImputationMethod;
import dev.timestep.impute.ImputationReport;
import dev.timestep.impute.ImputedSeries;
import dev.timestep.impute.ModelImputer;
import dev.timestep.io.AtomicFiles;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.SeriesModelInfo;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code impute}: fill a series' missing values with a saved model, or measure how well it does.
 */
@Command(
    name = "impute",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Fill the missing values of a series with a model saved by 'train' (a model of the target "
          + "column alone): each gap is forecast from the window before it.",
      "With --evaluate, known values are removed on purpose (single values and runs, from rows the model was not "
          + "trained on), filled by the model and by linear interpolation, and both errors are printed.",
      "Without an input option, the series the model was trained on is used: the shipped series, or its CSV "
          + "file, looked for only in the model file's folder (where train recorded it, relative to that folder); a "
          + "CSV elsewhere must be given with --csv."
    })
final class ImputeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SeriesSource source;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "A model saved by 'train'.")
  Path modelFile;

  @Option(
      names = "--method",
      defaultValue = "bridged",
      description =
          "bridged (the forecast bent to meet the value after the gap) or forward (the plain forecast) "
              + "(default: ${DEFAULT-VALUE}).")
  String method;

  @Option(
      names = "--out",
      paramLabel = "FILE.csv",
      description =
          "Write the filled series as CSV: time, value, and 1 where the value was imputed.")
  Path out;

  @Option(
      names = "--evaluate",
      description = "Compare the model with linear interpolation on removed values.")
  boolean evaluate;

  @Option(
      names = "--singles",
      defaultValue = "100",
      description = "With --evaluate: single values removed (default: ${DEFAULT-VALUE}).")
  int singles;

  @Option(
      names = "--runs",
      defaultValue = "5",
      description =
          "With --evaluate: runs of consecutive values removed (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--run-length",
      defaultValue = "8",
      description = "With --evaluate: values per run (default: ${DEFAULT-VALUE}).")
  int runLength;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "With --evaluate: chooses the removed values (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--backend",
      defaultValue = "auto",
      description = "auto, cuda, cpu or reference (default: ${DEFAULT-VALUE}).")
  String backend;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    InputFiles.check("--model", modelFile, "a model file saved by 'train'");
    if (out != null) {
      OutputFiles.check("--out", out);
    }
    ImputationMethod m = method(method);
    try (SeriesModel model = SeriesModel.load(modelFile, Backends.named(backend))) {
      SeriesModelInfo info = model.info();
      source.defaultTo(model, modelFile);
      source.requireOne("impute");
      if (source.generator) {
        throw new IllegalArgumentException(
            "impute needs a real series with gaps: give --csv FILE or --builtin NAME");
      }
      TimeSeries series = source.read(info.columns()).series();
      o.printf(
          Locale.ROOT,
          "model %s: %s, window %d, horizon %d, target %s%n",
          modelFile,
          info.modelName(),
          info.window(),
          info.horizon(),
          info.target());
      o.println("series: " + series);
      if (evaluate) {
        evaluate(o, model, series);
      }
      ImputedSeries filled = ModelImputer.fill(model, series, m);
      o.printf(
          Locale.ROOT,
          "filled %d missing value(s) in %d gap(s): %d by the model (%s), %d by linear "
              + "interpolation (too close to the start for a full window)%n",
          filled.filled(),
          filled.gaps(),
          filled.byModel(),
          m.description(),
          filled.byInterpolation());
      if (out != null) {
        writeCsv(filled, info);
        o.println("wrote " + out);
      } else if (!evaluate) {
        printImputed(o, filled, info.target());
      }
    }
    return 0;
  }

  private void evaluate(PrintWriter o, SeriesModel model, TimeSeries series) {
    SeriesModelInfo info = model.info();
    int fromRow = 0;
    if (info.trainedUntil() != null) {
      while (fromRow < series.length() && !series.time(fromRow).isAfter(info.trainedUntil())) {
        fromRow++;
      }
    }
    ImputationReport r =
        ImputationEvaluation.run(
            model, series, new ImputationEvaluation.Plan(singles, runs, runLength, seed, fromRow));
    o.printf(
        Locale.ROOT,
        "evaluation: removed %d single values and %d runs of %d (%d values) from rows %s .. %s "
            + "(after the model's training rows), seed %d; the series' own %d missing values are filled but not scored%n",
        r.singles(),
        r.runs(),
        r.runLength(),
        r.singles() + r.runs() * r.runLength(),
        series.timeLabel(Math.min(r.fromRow(), series.length() - 1)),
        series.timeLabel(series.length() - 1),
        seed,
        r.ownGaps());
    r.print(o, units(info));
  }

  private static String units(SeriesModelInfo info) {
    return switch (info.input()) {
      case "builtin co2" -> "ppm";
      case "builtin sunspots" -> "sunspot number";
      default -> "units of " + info.target();
    };
  }

  private static ImputationMethod method(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "bridged" -> ImputationMethod.BRIDGED;
      case "forward" -> ImputationMethod.FORWARD;
      default ->
          throw new IllegalArgumentException(
              "unknown --method '" + name + "'; choose bridged or forward");
    };
  }

  private static void printImputed(PrintWriter o, ImputedSeries filled, String target) {
    TimeSeries s = filled.series();
    boolean[] imputed = filled.imputed();
    o.printf(Locale.ROOT, "%-12s %14s%n", "time", target + " (imputed)");
    for (int r = 0; r < s.length(); r++) {
      if (imputed[r]) {
        o.printf(Locale.ROOT, "%-12s %14.4f%n", s.timeLabel(r), s.value(r, 0));
      }
    }
  }

  private void writeCsv(ImputedSeries filled, SeriesModelInfo info) throws IOException {
    TimeSeries s = filled.series();
    boolean[] imputed = filled.imputed();
    AtomicFiles.createFolders(out);
    String time = info.timeColumn() != null ? info.timeColumn() : "time";
    AtomicFiles.write(
        out,
        stream -> {
          Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
          CSVPrinter p =
              new CSVPrinter(
                  w, CSVFormat.DEFAULT.builder().setHeader(time, info.target(), "imputed").get());
          for (int r = 0; r < s.length(); r++) {
            p.printRecord(s.timeLabel(r), s.value(r, 0), imputed[r] ? 1 : 0);
          }
          p.flush();
        });
  }
}
