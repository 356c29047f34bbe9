package dev.timestep.cli;

import dev.timestep.data.series.Season;
import dev.timestep.data.series.Seasonality;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.transform.SeriesTransform;
import dev.timestep.models.ChapterModel;
import dev.timestep.models.ChapterModels;
import dev.timestep.pipeline.SeriesBacktest;
import dev.timestep.pipeline.TrainingSettings;
import dev.timestep.pipeline.TransformChoice;
import dev.timestep.pipeline.evaluation.BacktestReport;
import dev.timestep.pipeline.evaluation.FoldForecaster;
import dev.timestep.pipeline.evaluation.RollingBacktest;
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

/** {@code backtest}: scores a chapter model on a series by rolling-origin backtests. */
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Score a chapter model on a series the honest way: train it on the rows before each of several "
          + "origins at the end of the series, forecast --horizon steps from each, and compare with what "
          + "happened, beside the naive and seasonal-naive forecasts.",
      "Folds are --horizon rows apart, the last ending at the last row; each trains on its earlier rows "
          + "only (split 70/20/10 inside them, as train does). Prints MASE, sMAPE and RMSE per step and "
          + "overall, a warning when the model loses to seasonal naive, and the coverage of 80%% and 95%% "
          + "split-conformal intervals when there are enough folds."
    })
final class BacktestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SeriesSource source;

  @Mixin TrainingOptions training;

  @Option(
      names = {"--column", "--value-column"},
      paramLabel = "NAME",
      description =
          "The column to forecast (default: the only value column; co2 / SUNACTIVITY for --builtin).")
  String column;

  @Option(
      names = "--horizon",
      required = true,
      description = "Steps forecast from each origin, and rows between origins.")
  int horizon;

  @Option(
      names = "--folds",
      paramLabel = "K",
      description = "Number of origins (default: as many as fit, up to 5).")
  Integer folds;

  @Option(
      names = "--season",
      paramLabel = "M",
      description =
          "Rows per season, for seasonal naive and MASE (default: from the time step: 12 monthly, "
              + "4 quarterly, 52 weekly, 7 daily, 24 hourly, 1 yearly).")
  Integer season;

  @Option(
      names = "--transform",
      defaultValue = "none",
      description =
          "none, log or boxcox (lambda by Guerrero's method), fitted on each fold's training rows and "
              + "inverted on its forecast (default: ${DEFAULT-VALUE}).")
  String transform;

  @Option(
      names = "--model",
      defaultValue = "linear",
      paramLabel = "NAME|ROW",
      description =
          "The architecture, by short name or chapter row (see 'train --help'; default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--relative",
      negatable = true,
      defaultValue = "true",
      description =
          "Windows relative to their last value, as train does for a real series (default: on).")
  boolean relative;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description =
          "Also write every fold's forecasts: FILE.csv (fold, origin, step, time, actual, model, naive, "
              + "seasonal_naive) or FILE.json (those and the scores).")
  Path output;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (output != null) {
      BacktestOutput.check(output);
    }
    training.check(horizon);
    if (folds != null && folds < 1) {
      throw new IllegalArgumentException("--folds must be at least 1, got " + folds);
    }
    if (season != null && season < 1) {
      throw new IllegalArgumentException(
          "--season must be at least 1 row (1: no season), got " + season);
    }
    TransformChoice transformChoice = transformChoice(transform);
    ChapterModel cm = chapterModel(model);
    source.requireOne("backtest");
    if (source.generator) {
      throw new IllegalArgumentException(
          "backtest needs a real series with times: --csv FILE or --builtin "
              + String.join("|", SeriesSource.BUILTINS)
              + ", not --generator");
    }
    TrainingSettings settings = training.settings(cm, horizon, relative, 0, List.of());
    List<String> columns = new ArrayList<>();
    if (column != null) {
      columns.add(column);
    }
    TimeSeries series = source.read(columns).series();
    String target = column != null ? column : TrainCommand.defaultTarget(series);
    Season m = Seasonality.detect(series, season);
    SeriesTransform t = transformChoice.unfitted(m.period());
    o.println("data: " + series);
    o.printf(
        Locale.ROOT,
        "season: %d (%s); transform: %s; model: %s, window %d, %d epochs, backend %s%n",
        m.period(),
        m.reason(),
        t == null ? "none" : t.describe(),
        cm.name(),
        training.splitWindow(),
        training.splitEpochs(),
        settings.backend().name());
    o.flush();
    FoldForecaster forecaster = SeriesBacktest.chapterModel(settings, horizon);
    FoldForecaster shown = CliLog.quiet() ? forecaster : announcing(forecaster, err, cm.name());
    BacktestReport report = RollingBacktest.run(series, target, horizon, folds, m, t, shown);
    BacktestTable.print(report, series, o);
    if (report.warning() != null) {
      o.flush();
      err.println("warning: " + report.warning());
      err.flush();
    }
    if (output != null) {
      BacktestOutput.write(output, report, series);
      o.println("wrote " + output);
    }
    return 0;
  }

  /** The forecaster, saying on stderr which fold it trains on before each. */
  private static FoldForecaster announcing(FoldForecaster f, PrintWriter err, String name) {
    return new FoldForecaster() {
      private int fold;

      @Override
      public double[] forecast(TimeSeries training, int h) {
        fold++;
        err.printf(
            Locale.ROOT,
            "fold %d: training %s on %d rows (until %s)%n",
            fold,
            name,
            training.length(),
            training.timeLabel(training.length() - 1));
        err.flush();
        return f.forecast(training, h);
      }

      @Override
      public int minTrainingRows(int h) {
        return f.minTrainingRows(h);
      }
    };
  }

  /** A model by short name, or by a row of the chapter's table. */
  static ChapterModel chapterModel(String nameOrRow) {
    String s = nameOrRow.trim();
    if (!s.matches("\\d{1,3}")) {
      return ChapterModels.named(s);
    }
    int row = Integer.parseInt(s);
    for (ChapterModel m : ChapterModels.all()) {
      if (m.rows().contains(row)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "--model "
            + row
            + " is not a row with a trained model"
            + (row == 1 || row == 7 ? " (it is the naive forecast, scored beside every model)" : "")
            + "; choose a name or row listed by 'train --help'");
  }

  private static TransformChoice transformChoice(String name) {
    try {
      return TransformChoice.named(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown --transform '" + name + "'; choose none, log, boxcox or sdiff", e);
    }
  }
}
