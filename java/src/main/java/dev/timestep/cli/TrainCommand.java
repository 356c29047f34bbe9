package dev.timestep.cli;

import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.Windows;
import dev.timestep.io.AtomicFiles;
import dev.timestep.models.ChapterModel;
import dev.timestep.models.ChapterModels;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.SeriesModelInfo;
import dev.timestep.pipeline.SeriesRefit;
import dev.timestep.pipeline.SeriesTrainer;
import dev.timestep.pipeline.TrainingData;
import dev.timestep.pipeline.TrainingResult;
import dev.timestep.pipeline.TrainingSettings;
import dev.timestep.pipeline.evaluation.ForecastScores;
import dev.timestep.plot.LearningCurvePlot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: a chapter model on a CSV file, a shipped series or the generator; saves it. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train a model to forecast a series, and save it with its window, horizon, columns, scaling, "
          + "transform and last rows.",
      "By default (--csv, --builtin) it trains on the whole history: the season comes from the time step, the "
          + "window is two seasons where the rows allow, each candidate model and transform (--model, --transform) "
          + "is scored by rolling-origin backtests at the end of the series (--folds), the best is refit on every "
          + "row with --members seeds whose median is the forecast, and its backtest errors calibrate 80%% "
          + "intervals. It prints what it chose and why. --holdout N scores the result on the last N rows, kept "
          + "out of all of it.",
      "--split is the single-split workflow: rows split in time order (70%% train, 20%% validation, 10%% test), "
          + "the scaler fitted on the training rows; it prints the validation MSE. Gaps in a window's inputs are "
          + "filled (--fill); windows whose targets touch a missing value are skipped. Writes the model and its "
          + "learning curves (<out>-curves.png)."
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SeriesSource source;

  @Mixin TrainingOptions training;

  @Option(
      names = "--column",
      paramLabel = "NAME",
      description =
          "The column to forecast (default: the only value column; co2 / SUNACTIVITY for --builtin).")
  String column;

  @Option(
      names = "--features",
      paramLabel = "NAME",
      split = ",",
      description =
          "Extra input columns read beside the target (the model still forecasts the target only).")
  List<String> features = new ArrayList<>();

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description =
          "The architecture, by short name (listed below); several, comma-separated, or auto (the "
              + "default for --csv and --builtin: "
              + "linear,gru), are backtested against each other and the best is kept. --generator, --split and "
              + "--refit train one named model.")
  String model;

  @Option(
      names = "--transform",
      defaultValue = "auto",
      paramLabel = "NAME",
      description =
          "none, log, boxcox (lambda by Guerrero's method on the training rows), sdiff (seasonal "
              + "differences: a model forecasting 0 forecasts seasonal naive), or auto: none and boxcox "
              + "backtested against each other (boxcox only for a series above 0). Inverted on "
              + "forecasts and intervals (default: ${DEFAULT-VALUE}).")
  String transform;

  @Option(
      names = "--members",
      defaultValue = "3",
      paramLabel = "N",
      description =
          "Models refit with seeds --seed, --seed+1, ...; the forecast is their median per step "
              + "(default: ${DEFAULT-VALUE}).")
  int members;

  @Option(
      names = "--folds",
      paramLabel = "K",
      description =
          "Rolling-origin backtest folds at the end of the series that choose the model and "
              + "transform and calibrate the 80%% intervals (95%% needs 19) (default: 5, fewer on a short "
              + "series).")
  Integer folds;

  @Option(
      names = "--split",
      description =
          "The single-split workflow instead: rows split 70/20/10 in time order, one --model "
              + "trained on the first 70%%, no refit.")
  boolean split;

  @Option(
      names = "--horizon",
      defaultValue = "1",
      description = "Steps forecast at once (default: ${DEFAULT-VALUE}).")
  int horizon;

  @Option(
      names = "--relative",
      negatable = true,
      description =
          "Take each window relative to its last value, so the model learns how the series moves "
              + "rather than its level (default: on for --csv/--builtin, whose series may trend past the training "
              + "range; off for --generator, as in the chapter).")
  Boolean relative;

  @Option(
      names = "--fill",
      defaultValue = "linear",
      paramLabel = "MODE",
      description =
          "Gaps in a window's inputs: linear (filled by linear interpolation within the training or "
              + "validation part) or none (the window is skipped). Targets are never filled: a window whose "
              + "targets touch a gap is always skipped (default: ${DEFAULT-VALUE}).")
  String fill;

  @Option(
      names = "--refit",
      description =
          "One named --model on the whole history, without backtests: choose the epochs (up to --epochs, the one of lowest validation "
              + "loss) on a split whose validation part is the last max(20%%, window + horizon) rows, then "
              + "train again on every row for that many epochs; the model forecasts from the series' end. "
              + "Needs 2 x (window + horizon) rows.")
  boolean refit;

  @Option(
      names = "--holdout",
      paramLabel = "N",
      description =
          "Keep the last N rows out of everything, and score the forecast of them (MASE, sMAPE, RMSE) "
              + "beside naive and seasonal naive; warns when the model loses to seasonal naive.")
  Integer holdout;

  @Option(
      names = "--season",
      paramLabel = "M",
      description =
          "Rows per season, for the window, seasonal naive and MASE (default: from the time step: 12 "
              + "monthly, 4 quarterly, 52 weekly, 7 daily, 24 hourly, 1 yearly).")
  Integer season;

  @Option(
      names = "--dropout",
      defaultValue = "0",
      paramLabel = "RATE",
      description =
          "Put a Dropout(RATE) layer just before the model's output layer (for simple-rnn, whose only "
              + "layer is its output, it drops input values), so 'forecast --mc-samples N' can draw MC-dropout error "
              + "bars; in [0, 1), 0 for none (default: ${DEFAULT-VALUE}).")
  double dropout;

  @Option(
      names = "--series",
      defaultValue = "10000",
      paramLabel = "N",
      description =
          "With --generator: how many series to generate (default: ${DEFAULT-VALUE}, the chapter's).")
  int seriesCount;

  @Option(
      names = "--id-column",
      paramLabel = "NAME",
      description =
          "Read --csv as many series in long format (one row per id and time; rows in any order) "
              + "and train one global model on all of them, each series scaled on its own; see "
              + "'Many series' in the README.")
  String idColumn;

  @Option(
      names = "--per-series",
      description =
          "With --id-column: one model per series instead (each trained on its whole history, as "
              + "--refit), saved as a folder of model files named by --out.")
  boolean perSeries;

  @Option(
      names = "--out",
      defaultValue = "model.tsm",
      paramLabel = "FILE",
      description =
          "Where to save the model, and its learning curves as <name>-curves.png beside it; a --csv "
              + "inside the model's folder is recorded relative to it, for forecast and impute (default: "
              + "${DEFAULT-VALUE}).")
  Path out;

  /** The help footer: every model the command takes. */
  static String modelList() {
    StringBuilder sb =
        new StringBuilder(
            "%nModels (h = --horizon; rs = return sequences; TD = TimeDistributed):%n");
    sb.append("  name        rows    layers%n");
    for (String line : ChapterModels.describe()) {
      sb.append("  ").append(line).append("%n");
    }
    sb.append(
        "Rows are those of the chapter's table. Models ending in TD, and wavenet, are seq-to-seq.%n");
    sb.append(
        "Row 6 is deep-rnn forecasting past its horizon ('forecast --horizon' feeds%n"
            + "predictions back); rows 1 and 7, the naive forecast, are printed beside results.%n");
    sb.append(
        "%nExamples:%n  timestep train --builtin co2 --horizon 52 --holdout 52 --out co2.tsm%n"
            + "  timestep forecast --model co2.tsm --horizon 52 --output co2.csv --plot co2.png%n"
            + "  timestep train --builtin co2 --model linear --window 52 --horizon 4 --refit \\%n"
            + "      --dropout 0.2 --out co2-mc.tsm%n"
            + "  timestep forecast --model co2-mc.tsm --horizon 52 --mc-samples 100 --plot co2-mc.png%n");
    return sb.toString();
  }

  @Override
  public Integer call() throws Exception {
    if (idColumn != null || perSeries) {
      return PanelTrain.run(this);
    }
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Every output is checked before any work: a bad path fails at once, not after training.
    OutputFiles.check("--out", out);
    OutputFiles.check("--out (its learning curves)", curvesFile(out));
    training.check(horizon);
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
    }
    GapFill gapFill = GapFill.named(fill);
    if (holdout != null && holdout < 1) {
      throw new IllegalArgumentException("--holdout must be at least 1 row, got " + holdout);
    }
    if (season != null && season < 1) {
      throw new IllegalArgumentException("--season must be at least 1 step, got " + season);
    }
    source.requireOne("train");
    if ((refit || holdout != null) && source.generator) {
      throw new IllegalArgumentException(
          "--refit and --holdout train on one real series (--csv or --builtin), not the generator");
    }
    if (split && (refit || holdout != null)) {
      throw new IllegalArgumentException(
          "--split trains on the first 70% of the rows; it cannot be combined with --refit or --holdout");
    }
    if (!source.generator && !split && !refit) {
      return new AutoTrain(this, o, err, gapFill).run();
    }
    if (model == null || model.contains(",") || model.trim().equalsIgnoreCase("auto")) {
      throw new IllegalArgumentException(
          "--generator, --split and --refit train one named --model (e.g. --model linear), got "
              + (model == null ? "none" : "'" + model + "'"));
    }
    ChapterModel cm = ChapterModels.named(model);
    boolean wholeHistory = refit;
    // The series is read (and its columns checked) before a backend is chosen, so bad input is
    // refused before anything native starts.
    SeriesSource.Loaded loaded = null;
    if (!source.generator) {
      List<String> columns = new ArrayList<>();
      if (column != null) {
        columns.add(column);
        columns.addAll(features);
      }
      loaded = source.read(columns);
    }
    TrainingSettings settings =
        training.settings(
            cm,
            horizon,
            relative != null ? relative : !source.generator,
            dropout,
            CliLog.quiet()
                ? List.of()
                : List.of(new ConsoleProgress(err, System.console() != null, cm.name())));
    TrainingData data;
    if (source.generator) {
      o.printf(
          Locale.ROOT,
          "data: %d generated series of %d steps (seed %d), split by series%n",
          seriesCount,
          training.splitWindow() + horizon,
          training.seed);
      data = SeriesTrainer.prepareGenerator(seriesCount, settings);
    } else {
      TimeSeries series = loaded.series();
      String target = column != null ? column : defaultTarget(series);
      o.println("data: " + series);
      o.println(series.missingReport().toString().strip());
      if (wholeHistory) {
        return refit(
            o, err, cm, series, target, source.storedInput(loaded, out), loaded, settings, gapFill);
      }
      data =
          SeriesTrainer.prepare(
              series,
              target,
              features,
              source.storedInput(loaded, out),
              loaded.timeColumn(),
              settings,
              gapFill);
    }
    describe(o, cm, data, settings);
    if (data.trainGaps() != null) {
      reportGaps(o, err, data.fill(), data.trainGaps(), data.validGaps());
    }
    o.flush();
    TrainingResult result = SeriesTrainer.fit(data, settings);
    try {
      String target = data.info().target();
      o.printf(
          Locale.ROOT,
          "validation MSE in %s's units: model %.6g (RMSE %.4g), naive last value %.6g (RMSE %.4g)%n",
          target,
          result.validMse(),
          Math.sqrt(result.validMse()),
          result.naiveValidMse(),
          Math.sqrt(result.naiveValidMse()));
      Path file = out.toAbsolutePath();
      AtomicFiles.createFolders(file);
      result.model().save(file, source.dialectMetadata());
      Path curves = curvesFile(file);
      try {
        LearningCurvePlot.of(result.history())
            .title(
                cm.name()
                    + " on "
                    + data.info().input()
                    + ", window "
                    + training.splitWindow()
                    + ", horizon "
                    + horizon
                    + " (scaled units)")
            .logScale(true)
            .write(curves);
        o.println("wrote " + out + " and " + curves.getFileName());
      } catch (LinkageError e) {
        o.println("wrote " + out + "; " + ChartsUnavailable.because(e));
      }
    } finally {
      result.model().close();
    }
    return 0;
  }

  private static void describe(
      PrintWriter o, ChapterModel cm, TrainingData data, TrainingSettings s) {
    SeriesModelInfo info = data.info();
    o.printf(
        Locale.ROOT,
        "model: %s (%s; chapter rows %s)%s, window %d, horizon %d, %d epochs, batch %d, Adam lr %s, "
            + "backend %s%n",
        cm.name(),
        cm.description(),
        cm.rows(),
        s.dropout() > 0 ? " with Dropout(" + s.dropout() + ") before its output layer" : "",
        s.window(),
        s.horizon(),
        s.epochs(),
        s.batchSize(),
        s.effectiveLearningRate(),
        s.backend().name());
    o.printf(
        Locale.ROOT,
        "columns %s, target %s, scaler %s fitted on the %d training %s, %s windows%n",
        info.columns(),
        info.target(),
        info.scalerKind(),
        data.trainRows(),
        info.trainedUntil() == null
            ? "series"
            : "rows (until " + info.trainedUntil().toLocalDate() + ")",
        info.relative() ? "relative" : "absolute");
    o.println(
        "windows: " + windows("train", data.train()) + "; " + windows("validation", data.valid()));
  }

  /** Above this share of training windows lost or imputed, train warns. */
  static final double LOST_OR_IMPUTED_WARNING = 0.2;

  private static void reportGaps(
      PrintWriter o, PrintWriter err, GapFill fill, GapFill.Result train, GapFill.Result valid) {
    if (fill == GapFill.LINEAR && valid == null) {
      o.printf(
          Locale.ROOT,
          "gaps: filled %d of %d values; %d windows touched a fill (targets never filled)%n",
          train.filledValues(),
          train.values(),
          train.windowsTouchingFill());
    } else if (fill == GapFill.LINEAR) {
      o.printf(
          Locale.ROOT,
          "gaps: filled %d of %d values; %d windows touched a fill (training %d of %d, validation "
              + "%d of %d inputs filled; targets never)%n",
          train.filledValues() + valid.filledValues(),
          train.values() + valid.values(),
          train.windowsTouchingFill() + valid.windowsTouchingFill(),
          train.filledValues(),
          train.values(),
          valid.filledValues(),
          valid.values());
    }
    double share = train.lostOrImputedShare();
    if (share > LOST_OR_IMPUTED_WARNING) {
      err.printf(
          Locale.ROOT,
          "warning: %.0f%% of the training windows were lost (%d) or imputed (%d) because of gaps; "
              + "the model learns from few observed windows%s%n",
          100 * share,
          train.windows().skippedForMissing(),
          train.windowsTouchingFill(),
          fill == GapFill.NONE ? " (--fill linear keeps the windows with gaps in inputs)" : "");
    }
  }

  /** --refit / --holdout: epochs chosen on a split, then every row but the holdout trained on. */
  private int refit(
      PrintWriter o,
      PrintWriter err,
      ChapterModel cm,
      TimeSeries series,
      String target,
      String input,
      SeriesSource.Loaded loaded,
      TrainingSettings settings,
      GapFill gapFill)
      throws java.io.IOException {
    int held = holdout == null ? 0 : holdout;
    o.printf(
        Locale.ROOT,
        "model: %s (%s)%s, window %d, horizon %d, up to %d epochs, batch %d, Adam lr %s, backend %s%n",
        cm.name(),
        cm.description(),
        dropout > 0 ? " with Dropout(" + dropout + ") before its output layer" : "",
        training.splitWindow(),
        horizon,
        training.splitEpochs(),
        training.batchSize,
        settings.effectiveLearningRate(),
        settings.backend().name());
    o.flush();
    SeriesRefit.Result r =
        SeriesRefit.run(
            series, target, features, input, loaded.timeColumn(), settings, gapFill, held, season);
    try (SeriesModel model = r.model()) {
      SeriesModelInfo info = model.info();
      o.printf(
          Locale.ROOT,
          "refit: %d epochs chosen (lowest validation loss of %d) on %d training and the last %d "
              + "validation rows; then trained on all %d rows%s for %d epochs, until %s%n",
          r.epochs(),
          r.selection().epochs(),
          r.selectionTrainRows(),
          r.selectionValidRows(),
          r.rows(),
          held > 0 ? " but the " + held + " held out" : "",
          r.epochs(),
          series.timeFormat().format(info.trainedUntil()));
      o.println(
          "windows: "
              + windows("refit", r.gaps().windows())
              + "; scaler "
              + info.scalerKind()
              + " fitted on those rows");
      reportGaps(o, err, gapFill, r.gaps(), null);
      if (r.holdout() != null) {
        printHoldout(o, err, r.holdout(), series, held);
      }
      Path file = out.toAbsolutePath();
      AtomicFiles.createFolders(file);
      model.save(file, source.dialectMetadata());
      Path curves = curvesFile(file);
      try {
        LearningCurvePlot.of(r.selection())
            .title(cm.name() + " on " + info.input() + ", choosing the epochs (scaled units)")
            .logScale(true)
            .write(curves);
        o.println("wrote " + out + " and " + curves.getFileName());
      } catch (LinkageError e) {
        o.println("wrote " + out + "; " + ChartsUnavailable.because(e));
      }
    }
    return 0;
  }

  static void printHoldout(
      PrintWriter o, PrintWriter err, SeriesRefit.Holdout h, TimeSeries series, int held) {
    int n = series.length();
    o.printf(
        Locale.ROOT,
        "holdout: the last %d rows (%s .. %s), never trained on; seasonal naive with period %d (%s)%n",
        held,
        series.timeLabel(n - held),
        series.timeLabel(n - 1),
        h.season().period(),
        h.season().reason());
    o.printf(Locale.ROOT, "%-16s %10s %10s %12s%n", "", "MASE", "sMAPE %", "RMSE");
    holdoutRow(o, "model", h.model());
    holdoutRow(o, "naive", h.naive());
    holdoutRow(o, "seasonal naive", h.seasonalNaive());
    if (h.model().overallMase() > h.seasonalNaive().overallMase()) {
      err.println(
          "warning: the model's forecast of the holdout is worse than seasonal naive (MASE "
              + String.format(Locale.ROOT, "%.3f", h.model().overallMase())
              + " vs "
              + String.format(Locale.ROOT, "%.3f", h.seasonalNaive().overallMase())
              + ")");
    }
  }

  private static void holdoutRow(PrintWriter o, String name, ForecastScores s) {
    o.printf(
        Locale.ROOT,
        "%-16s %10.3f %10.2f %12.4g%n",
        name,
        s.overallMase(),
        s.overallSmape(),
        s.overallRmse());
  }

  private static String windows(String part, Windows w) {
    return String.format(
        Locale.ROOT,
        "%s %d of %d (%d skipped for touching a missing value)",
        part,
        w.size(),
        w.candidates(),
        w.skippedForMissing());
  }

  /** The series' one column, or a refusal asking for --column when it has several. */
  static String defaultTarget(TimeSeries series) {
    if (series.columnCount() == 1) {
      return series.columnNames().get(0);
    }
    throw new IllegalArgumentException(
        series.source()
            + " has the columns "
            + series.columnNames()
            + "; choose the one to forecast with --column");
  }

  static void checkPositive(String option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(
          option
              + " must be at least 1 step, got "
              + value
              + (option.equals("--horizon") ? " (a horizon of 0 forecasts nothing)" : ""));
    }
  }

  /** {@code dir/name.tsm} -> {@code dir/name-curves.png}. */
  static Path curvesFile(Path model) {
    String name = model.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-curves.png");
  }
}
