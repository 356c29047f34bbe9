package dev.timestep.cli;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.io.AtomicFiles;
import dev.timestep.pipeline.AutoSettings;
import dev.timestep.pipeline.AutoTrainer;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesEnsemble;
import dev.timestep.pipeline.TransformChoice;
import dev.timestep.pipeline.evaluation.BacktestReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code train}'s default workflow on a real series: {@link AutoTrainer} with the command's
 * options, printing what it chose and why, the holdout scores when asked, and saving the ensemble.
 */
final class AutoTrain {
  private final TrainCommand c;
  private final PrintWriter o;
  private final PrintWriter err;
  private final GapFill fill;

  AutoTrain(TrainCommand c, PrintWriter o, PrintWriter err, GapFill fill) {
    this.c = c;
    this.o = o;
    this.err = err;
    this.fill = fill;
  }

  int run() throws java.io.IOException {
    if (!c.features.isEmpty()) {
      throw new IllegalArgumentException(
          "--features are read by --split and --refit; the default workflow forecasts the target "
              + "from its own history");
    }
    if (c.dropout != 0) {
      throw new IllegalArgumentException(
          "--dropout is for --split and --refit (MC-dropout error bars); the default workflow's "
              + "intervals come from its backtests");
    }
    List<String> columns = new ArrayList<>();
    if (c.column != null) {
      columns.add(c.column);
    }
    SeriesSource.Loaded loaded = c.source.read(columns);
    AutoSettings settings = settings(); // after the read: bad input is refused first
    TimeSeries series = loaded.series();
    String target = c.column != null ? c.column : TrainCommand.defaultTarget(series);
    o.println("data: " + series);
    o.println(series.missingReport().toString().strip());
    o.printf(
        Locale.ROOT,
        "training on the whole history%s: candidates %s x transforms %s, %s backtest fold(s), "
            + "horizon %d, %d member(s), backend %s%n",
        c.holdout == null ? "" : " but the last " + c.holdout + " rows",
        settings.models(),
        settings.transforms().stream().map(TransformChoice::label).toList(),
        settings.folds() == null ? "up to " + AutoSettings.DEFAULT_FOLDS : settings.folds(),
        settings.horizon(),
        settings.members(),
        settings.backend().name());
    o.flush();
    AutoTrainer.Result r =
        AutoTrainer.run(
            series,
            target,
            c.source.storedInput(loaded, c.out),
            loaded.timeColumn(),
            settings,
            c.holdout == null ? 0 : c.holdout,
            line -> {
              o.println(line);
              o.flush();
            });
    try (SeriesEnsemble e = r.ensemble()) {
      BacktestReport chosen = r.chosen().report();
      if (chosen.warning() != null) {
        err.println("warning: in the backtests, " + chosen.warning());
      }
      BacktestTable.printCoverage(chosen.intervals(), o);
      if (e.intervals().isEmpty()) {
        o.println(
            "no intervals kept: " + r.folds() + " fold(s) are too few to calibrate 80% (needs 4)");
      } else {
        o.println(
            "intervals kept at "
                + Arrays.toString(
                    Arrays.stream(e.intervals().levels())
                        .mapToLong(l -> Math.round(100 * l))
                        .toArray())
                + "% for "
                + e.intervals().steps()
                + " step(s) (95% needs 19 folds)");
      }
      if (r.holdout() != null) {
        TrainCommand.printHoldout(o, err, r.holdout(), series, c.holdout);
      }
      Path file = c.out.toAbsolutePath();
      AtomicFiles.createFolders(file);
      e.save(file, c.source.dialectMetadata());
      o.println("wrote " + c.out);
    }
    return 0;
  }

  private AutoSettings settings() {
    TrainingOptions t = c.training;
    boolean auto = c.model == null || c.model.trim().equalsIgnoreCase("auto");
    List<String> models =
        auto
            ? AutoSettings.AUTO_MODELS
            : Arrays.stream(c.model.split(",")).map(String::trim).toList();
    List<TransformChoice> transforms =
        c.transform.trim().equalsIgnoreCase("auto")
            ? AutoSettings.AUTO_TRANSFORMS
            : List.of(TransformChoice.named(c.transform));
    if (c.members < 1 || (c.folds != null && c.folds < 1)) {
      throw new IllegalArgumentException(
          "--members and --folds must be at least 1, got " + c.members + " and " + c.folds);
    }
    return new AutoSettings(
        models,
        transforms,
        t.window,
        c.horizon,
        t.epochs,
        t.batchSize,
        t.learningRate == null ? Double.NaN : t.learningRate,
        t.scaler,
        c.relative,
        t.seed,
        c.members,
        c.folds,
        c.season,
        dev.timestep.pipeline.AutoDefaults.PATIENCE,
        Backends.named(t.backend),
        fill,
        auto);
  }
}
