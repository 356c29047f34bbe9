package dev.timestep.cli;

import dev.timestep.data.series.LongCsvReader;
import dev.timestep.data.series.ManySeries;
import dev.timestep.data.series.Quoted;
import dev.timestep.data.series.SkippedSeries;
import dev.timestep.io.AtomicFiles;
import dev.timestep.models.ChapterModel;
import dev.timestep.models.ChapterModels;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesRefit;
import dev.timestep.pipeline.TrainingSettings;
import dev.timestep.pipeline.evaluation.ForecastScores;
import dev.timestep.pipeline.panel.GlobalTrainer;
import dev.timestep.pipeline.panel.PerSeries;
import dev.timestep.pipeline.panel.PerSeriesModels;
import dev.timestep.plot.LearningCurvePlot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code train --id-column NAME}: many series from one long-format CSV, as one global model (one
 * file) or, with {@code --per-series}, one model per series (a folder of model files).
 */
final class PanelTrain {
  private PanelTrain() {}

  static int run(TrainCommand c) throws IOException {
    PrintWriter o = c.spec.commandLine().getOut();
    PrintWriter err = c.spec.commandLine().getErr();
    if (c.idColumn == null) {
      throw new IllegalArgumentException(
          "--per-series trains one model per series of a long-format CSV: give --id-column NAME");
    }
    if (c.source.csv == null || c.source.builtin != null || c.source.generator) {
      throw new IllegalArgumentException(
          "--id-column reads many series from one long-format --csv FILE (id, time, value per row),"
              + " not --builtin or --generator");
    }
    if (!c.features.isEmpty()) {
      throw new IllegalArgumentException(
          "--features is not supported with --id-column: models of many series read the target"
              + " column alone");
    }
    if (c.perSeries) {
      if (Files.exists(c.out) && !Files.isDirectory(c.out)) {
        throw new IllegalArgumentException(
            "--out " + c.out + " is a file; with --per-series it names a folder for the models");
      }
    } else {
      OutputFiles.check("--out", c.out);
      OutputFiles.check("--out (its learning curves)", TrainCommand.curvesFile(c.out));
    }
    ChapterModel cm = ChapterModels.named(c.model);
    c.training.check(c.horizon);
    if (!(c.dropout >= 0 && c.dropout < 1)) {
      throw new IllegalArgumentException("--dropout must be in [0, 1), got " + c.dropout);
    }
    GapFill fill = GapFill.named(c.fill);
    if (c.holdout != null && c.holdout < 1) {
      throw new IllegalArgumentException("--holdout must be at least 1 row, got " + c.holdout);
    }
    if (c.season != null && c.season < 1) {
      throw new IllegalArgumentException("--season must be at least 1 step, got " + c.season);
    }
    int holdout = c.holdout == null ? 0 : c.holdout;
    InputFiles.check("--csv", c.source.csv, "a long-format CSV file");
    LongCsvReader reader = LongCsvReader.idColumn(c.idColumn);
    if (c.source.timeColumn != null) {
      reader = reader.timeColumn(c.source.timeColumn);
    }
    if (c.column != null) {
      reader = reader.valueColumns(c.column);
    }
    if (!c.source.missingMarkers.isEmpty()) {
      reader = reader.missingMarkers(c.source.missingMarkers.toArray(new String[0]));
    }
    ManySeries data = reader.read(c.source.csv);
    String target = c.column != null ? c.column : onlyColumn(data);
    o.printf(
        Locale.ROOT,
        "data: %d series in %s (ids %s), column %s%n",
        data.size(),
        c.source.csv,
        Quoted.list(data.ids()),
        target);
    Path modelFile = c.perSeries ? c.out.resolve(PerSeriesModels.fileName(1)) : c.out;
    String input = "csv " + StoredSeries.path(c.source.csv, modelFile);
    String timeColumn = c.source.timeColumn;
    TrainingSettings settings =
        c.training.settings(
            cm,
            c.horizon,
            c.relative == null || c.relative,
            c.dropout,
            CliLog.quiet() || c.perSeries
                ? List.of()
                : List.of(new ConsoleProgress(err, System.console() != null, cm.name())));
    o.printf(
        Locale.ROOT,
        "model: %s (%s)%s, window %d, horizon %d, %s%d epochs, batch %d, Adam lr %s, backend %s%n",
        cm.name(),
        cm.description(),
        c.dropout > 0 ? " with Dropout(" + c.dropout + ") before its output layer" : "",
        settings.window(),
        settings.horizon(),
        c.perSeries || c.refit || c.holdout != null ? "up to " : "",
        settings.epochs(),
        settings.batchSize(),
        settings.effectiveLearningRate(),
        settings.backend().name());
    o.flush();
    return c.perSeries
        ? perSeries(o, err, c, data, target, settings, fill, holdout, input, timeColumn)
        : global(o, err, c, cm, data, target, settings, fill, holdout, input, timeColumn);
  }

  private static int global(
      PrintWriter o,
      PrintWriter err,
      TrainCommand c,
      ChapterModel cm,
      ManySeries data,
      String target,
      TrainingSettings settings,
      GapFill fill,
      int holdout,
      String input,
      String timeColumn)
      throws IOException {
    boolean refit = c.refit || c.holdout != null;
    GlobalTrainer.Result r =
        GlobalTrainer.train(
            data, target, settings, fill, holdout, c.season, input, timeColumn, refit);
    try (var model = r.model()) {
      reportSkipped(o, err, r.skipped(), model.ids().size() + r.skipped().size());
      o.printf(
          Locale.ROOT,
          "global model: %d series, %d training and %d validation windows; each series scaled by"
              + " its own %s scaler%n",
          model.ids().size(),
          r.trainWindows(),
          r.validWindows(),
          model.scalerKind());
      if (r.refit()) {
        o.printf(
            Locale.ROOT,
            "refit: %d epochs chosen (lowest validation loss of %d), then trained again on every"
                + " kept row of every series%s, each scaler refitted on its series' kept rows%n",
            r.epochs(),
            r.history().epochs(),
            holdout > 0 ? " (all but the " + holdout + " held out)" : "");
      }
      printHoldouts(o, r.holdouts(), holdout);
      for (SkippedSeries u : r.unscored()) {
        o.println("holdout not scored for " + u);
      }
      Path file = c.out.toAbsolutePath();
      AtomicFiles.createFolders(file);
      model.save(file);
      Path curves = TrainCommand.curvesFile(file);
      try {
        LearningCurvePlot.of(r.history())
            .title(cm.name() + " on " + model.ids().size() + " series (scaled units)")
            .logScale(true)
            .write(curves);
        o.println("wrote " + c.out + " and " + curves.getFileName());
      } catch (LinkageError e) {
        o.println("wrote " + c.out + "; " + ChartsUnavailable.because(e));
      }
    }
    return 0;
  }

  private static int perSeries(
      PrintWriter o,
      PrintWriter err,
      TrainCommand c,
      ManySeries data,
      String target,
      TrainingSettings settings,
      GapFill fill,
      int holdout,
      String input,
      String timeColumn)
      throws IOException {
    try (PerSeriesModels models =
        PerSeries.trainAll(data, target, settings, fill, holdout, c.season, input, timeColumn)) {
      reportSkipped(o, err, models.skipped(), models.ids().size() + models.skipped().size());
      o.printf(
          Locale.ROOT,
          "per-series models: %d, each trained on its whole history (epochs chosen on its own"
              + " split)%n",
          models.ids().size());
      printHoldouts(o, models.holdouts(), holdout);
      models.save(c.out);
      o.println("wrote " + models.ids().size() + " model files into " + c.out);
    }
    return 0;
  }

  private static void reportSkipped(
      PrintWriter o, PrintWriter err, List<SkippedSeries> skipped, int total) {
    for (SkippedSeries s : skipped) {
      o.println("skipped " + s);
    }
    if (!skipped.isEmpty()) {
      err.printf(
          Locale.ROOT, "warning: %d of %d series skipped (reasons above)%n", skipped.size(), total);
    }
  }

  private static void printHoldouts(
      PrintWriter o, Map<String, SeriesRefit.Holdout> holdouts, int held) {
    if (holdouts.isEmpty()) {
      return;
    }
    o.printf(
        Locale.ROOT,
        "holdout: the last %d rows of each series, never trained on; MASE (model naive snaive),"
            + " sMAPE %% and RMSE of the model%n",
        held);
    o.printf(
        Locale.ROOT,
        "%-20s %10s %10s %10s %10s %12s%n",
        "id",
        "MASE",
        "naive",
        "snaive",
        "sMAPE %",
        "RMSE");
    for (Map.Entry<String, SeriesRefit.Holdout> e : holdouts.entrySet()) {
      SeriesRefit.Holdout h = e.getValue();
      ForecastScores m = h.model();
      o.printf(
          Locale.ROOT,
          "%-20s %10.3f %10.3f %10.3f %10.2f %12.4g%n",
          Quoted.of(e.getKey()),
          m.overallMase(),
          h.naive().overallMase(),
          h.seasonalNaive().overallMase(),
          m.overallSmape(),
          m.overallRmse());
    }
  }

  private static String onlyColumn(ManySeries data) {
    List<String> names = data.get(data.ids().get(0)).columnNames();
    if (names.size() == 1) {
      return names.get(0);
    }
    throw new IllegalArgumentException(
        data.source()
            + " has the value columns "
            + names
            + "; choose the one to forecast with --column");
  }
}
