package dev.timestep.cli;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.FloatArrays;
import dev.timestep.data.series.LinearInterpolation;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.pipeline.Backtest;
import dev.timestep.pipeline.FutureTimes;
import dev.timestep.pipeline.SeriesEnsemble;
import dev.timestep.pipeline.SeriesForecast;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.SeriesModelInfo;
import dev.timestep.pipeline.SeriesPrecision;
import dev.timestep.plot.ForecastPlot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code forecast}: a saved model continues a series; prints the forecast and plots it. */
@Command(
    name = "forecast",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Forecast the next steps of a series with a model saved by 'train', in the series' own units.",
      "The model reads the last --window steps (gaps in them are filled by linear interpolation). Past the "
          + "model's horizon its forecasts are fed back as inputs. Error bars: the spread of MC-dropout samples "
          + "(--mc-samples), or else the RMSE per step ahead of --backtest forecasts made on the series' latest "
          + "observed stretches.",
      "Without an input option, the series the model was trained on is continued: its CSV while it is "
          + "still in the model's folder, else the last rows the model file keeps (no CSV needed; no backtest "
          + "error bars then), the shipped series or the generator as they are. A series given with --csv is continued from its own end."
    })
final class ForecastCommand implements Callable<Integer> {
  /** Error bars span this many RMSEs (or MC standard deviations) either side. */
  private static final double SPREAD_K = 2;

  @Spec CommandSpec spec;

  @Mixin SeriesSource source;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "A model saved by 'train'.")
  Path modelFile;

  @Option(
      names = "--horizon",
      paramLabel = "H",
      description = "Steps to forecast (default: the model's horizon; more feeds forecasts back).")
  Integer horizon;

  @Option(
      names = "--mc-samples",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "MC-dropout samples per step for error bars: the forecast is their mean and the bars +/- 2 "
              + "of their standard deviations; at least 2, 0 for none (default: ${DEFAULT-VALUE}). Needs a model "
              + "trained with 'train --dropout RATE'.")
  int mcSamples;

  @Option(
      names = "--backtest",
      defaultValue = "100",
      paramLabel = "N",
      description =
          "Forecasts scored on the series' latest observed stretches for the error bars when there "
              + "are no MC samples; 0 for none (default: ${DEFAULT-VALUE}).")
  int backtest;

  @Option(
      names = "--plot",
      paramLabel = "FILE.png",
      description = "Write the series, the forecast and its error " + "bars as a PNG.")
  Path plot;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description =
          "Also write the forecast to FILE: .csv (time,forecast[,lower_95,upper_95]) or .json. Times "
              + "follow the series' own labels; values get the series' decimals plus two; the 95%% interval "
              + "is +/- 1.96 x the error bars' spread.")
  Path output;

  @Option(
      names = "--history",
      paramLabel = "N",
      description =
          "Steps of the series drawn before the forecast (default: 5 x (window + horizon)).")
  Integer history;

  @Option(
      names = "--id",
      paramLabel = "ID",
      split = ",",
      description = "With a model of many series: forecast only these ids (default: all).")
  List<String> ids;

  @Option(
      names = "--backend",
      defaultValue = "auto",
      description = "auto, cuda, cpu or reference (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "With --generator: the series' seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (PanelForecast.handles(modelFile)) {
      return PanelForecast.run(this);
    }
    if (ids != null) {
      throw new IllegalArgumentException(
          "--id picks series of a model of many series, not of " + modelFile);
    }
    PrintWriter o = spec.commandLine().getOut();
    InputFiles.check("--model", modelFile, "a model file saved by 'train'");
    if (plot != null) {
      OutputFiles.checkPng("--plot", plot);
    }
    if (output != null) {
      ForecastOutput.check(output);
    }
    if (horizon != null) {
      TrainCommand.checkPositive("--horizon", horizon);
    }
    if (mcSamples < 0 || backtest < 0) {
      throw new IllegalArgumentException(
          "--mc-samples and --backtest must be >= 0, got " + mcSamples + " and " + backtest);
    }
    if (mcSamples == 1) {
      throw new IllegalArgumentException(
          "--mc-samples must be 0 (no MC dropout) or at least 2 (a spread needs "
              + "several samples), got 1");
    }
    try (SeriesEnsemble ensemble = SeriesEnsemble.load(modelFile, Backends.named(backend))) {
      SeriesModel model = ensemble.members().get(0);
      SeriesModelInfo info = model.info();
      if (mcSamples > 0 && !ensemble.isPlain()) {
        throw new IllegalArgumentException(
            "--mc-samples draws MC-dropout samples of one model, but "
                + modelFile
                + " is "
                + ensembleWords(ensemble)
                + " whose intervals come from its backtests; forecast without --mc-samples");
      }
      int steps = horizon == null ? ensemble.horizon() : horizon;
      if (mcSamples > 0 && !model.model().hasDropout()) {
        throw new IllegalArgumentException(
            "--mc-samples "
                + mcSamples
                + " needs a model with dropout, but this "
                + info.modelName()
                + " model has none; train it with 'train --dropout 0.2', or forecast without "
                + "--mc-samples");
      }
      // A CSV model whose CSV is no longer beside it continues from the rows its file kept.
      boolean fromTail =
          source.given() == 0
              && ensemble.tail() != null
              && info.input().startsWith("csv ")
              && !SeriesSource.storedCsvPresent(info, modelFile);
      if (!fromTail) {
        source.defaultTo(model, modelFile);
        source.requireOne("forecast");
      }
      ForecastSizes.check(info, steps, mcSamples);
      TimeSeries series;
      double[] actual = null;
      if (fromTail) {
        series =
            ensemble
                .tail()
                .toSeries(
                    "the last "
                        + ensemble.tail().rows()
                        + " rows of "
                        + info.input()
                        + " kept in "
                        + modelFile);
      } else if (source.generator) {
        TimeSeries full = SeriesSource.generated(info.window() + steps, seed);
        series = full.slice(0, info.window());
        actual =
            FloatArrays.toDoubles(
                Arrays.copyOfRange(full.column(0), info.window(), info.window() + steps));
      } else {
        series = source.read(info.columns()).series().select(info.columns().toArray(new String[0]));
      }
      if (info.window() > series.length()) {
        throw new IllegalArgumentException(
            "window of "
                + info.window()
                + " steps is longer than the series: "
                + series.source()
                + " has "
                + series.length()
                + " steps");
      }
      o.printf(
          Locale.ROOT,
          "model %s: %s, window %d, horizon %d, columns %s, target %s%n",
          modelFile,
          ensemble.isPlain() ? info.modelName() : ensembleWords(ensemble),
          info.window(),
          info.horizon(),
          info.columns(),
          info.target());
      int n = series.length();
      int gaps = missingIn(series, n - info.window(), n);
      TimeSeries inputs = gaps > 0 ? LinearInterpolation.fill(series) : series;
      o.printf(
          Locale.ROOT,
          "input: %s; the last %d steps from %s%s%n",
          series,
          info.window(),
          series.timeLabel(n - info.window()),
          gaps > 0
              ? " (" + gaps + " missing value(s) in them filled by linear " + "interpolation)"
              : "");
      if (steps > info.horizon()) {
        o.printf(
            Locale.ROOT,
            "forecasting %d steps past the model's horizon of %d: its forecasts are fed back as "
                + "inputs %d time(s)%n",
            steps,
            info.horizon(),
            (steps - 1) / info.horizon());
      }
      List<LocalDateTime> times = FutureTimes.after(series, steps);
      int decimals = SeriesPrecision.forecastDecimals(series.column(info.target()));
      if (!ensemble.isPlain()) {
        SeriesEnsemble.Forecast f = ensemble.forecast(inputs, steps);
        List<ForecastOutput.Interval> intervals = intervals(ensemble, f);
        if (intervals.isEmpty()) {
          o.println(
              ensemble.intervals().isEmpty()
                  ? "no intervals: the backtests that chose the model gave too few folds to calibrate"
                      + " them (80% needs 4)"
                  : "no intervals past the "
                      + ensemble.intervals().steps()
                      + " steps the backtests calibrated");
        } else {
          o.println(
              "intervals: split-conformal, from the residuals of the backtests that chose the model");
        }
        printIntervals(o, series.timeFormat(), times, info.target(), f.point(), intervals);
        if (output != null) {
          ForecastOutput.write(
              output,
              new ForecastOutput.Table(
                  info.target(), series.timeFormat(), times, f.point(), intervals, decimals));
          o.println("wrote " + output);
        }
        if (plot != null) {
          ForecastOutput.Interval widest =
              intervals.isEmpty() ? null : intervals.get(intervals.size() - 1);
          UnaryOperator<ForecastPlot> band = p -> p;
          String named = "";
          if (widest != null) {
            double[] half = new double[steps];
            for (int k = 0; k < steps; k++) {
              half[k] = widest.upper()[k] - f.point()[k];
            }
            String name = widest.level() + "% interval";
            band = p -> p.interval(half, name);
            named = ", " + name;
          }
          writePlot(series, info, times, f.point(), actual, named, band);
          o.println("wrote " + plot);
        }
        return 0;
      }
      SeriesForecast f = model.forecast(inputs, new int[] {n}, steps, mcSamples);
      double[] mean = f.mean(0);
      double[] spread = f.std(0);
      String spreadName = "MC-dropout std";
      if (spread != null) {
        o.printf(
            Locale.ROOT,
            "error bars: +/- %.0f x the standard deviation of %d MC-dropout samples per step "
                + "(dropout %s kept on while forecasting)%s%n",
            SPREAD_K,
            mcSamples,
            info.dropout(),
            steps > info.horizon() ? "; past the horizon the samples' mean is fed back" : "");
      }
      if (spread == null && backtest > 0 && fromTail) {
        o.println(
            "no error bars: the model file keeps only the last "
                + series.length()
                + " rows, too few for backtest forecasts; give the series with --csv FILE for them");
      } else if (spread == null && backtest > 0 && !source.generator) {
        ForecastSizes.checkBacktest(info, steps, backtest, series.length());
        spread = backtestSpread(o, model, series, steps);
        spreadName = "backtest RMSE";
      }
      printTable(o, series.timeFormat(), times, info.target(), mean, spread, spreadName);
      if (output != null) {
        ForecastOutput.write(
            output,
            ForecastOutput.Table.withSpread(
                info.target(), series.timeFormat(), times, mean, spread, decimals));
        o.println("wrote " + output);
      }
      if (plot != null) {
        double[] bars = spread;
        String barsName = spreadName;
        writePlot(
            series,
            info,
            times,
            mean,
            actual,
            bars == null ? "" : ", interval +/- " + (int) SPREAD_K + " x " + barsName,
            p -> bars == null ? p : p.uncertainty(bars, SPREAD_K, barsName));
        o.println("wrote " + plot);
      }
    }
    return 0;
  }

  private double[] backtestSpread(PrintWriter o, SeriesModel model, TimeSeries series, int steps) {
    try {
      Backtest b = Backtest.run(model, series, steps, backtest);
      o.printf(
          Locale.ROOT,
          "error bars: +/- %.0f x RMSE per step ahead, from %d forecasts made at origins %s .. %s "
              + "of the series%n",
          SPREAD_K,
          b.origins(),
          series.timeLabel(b.firstOrigin()),
          series.timeLabel(b.lastOrigin()));
      return b.rmse();
    } catch (IllegalArgumentException e) {
      o.println("no error bars: " + e.getMessage());
      return null;
    }
  }

  /** "an ensemble of 3 gru models under Box-Cox (lambda 0.12)". */
  private static String ensembleWords(SeriesEnsemble e) {
    return "an ensemble of "
        + e.members().size()
        + " "
        + e.info().modelName()
        + " model(s)"
        + (e.transform() == null ? "" : " under " + e.transform().describe());
  }

  private static List<ForecastOutput.Interval> intervals(
      SeriesEnsemble e, SeriesEnsemble.Forecast f) {
    List<ForecastOutput.Interval> out = new java.util.ArrayList<>();
    for (int l = 0; l < f.intervals().size(); l++) {
      int level = (int) Math.round(100 * e.intervals().levels()[l]);
      out.add(
          new ForecastOutput.Interval(
              level, f.intervals().get(l).lower(), f.intervals().get(l).upper()));
    }
    return out;
  }

  private static void printIntervals(
      PrintWriter o,
      TimeFormat format,
      List<LocalDateTime> times,
      String target,
      double[] point,
      List<ForecastOutput.Interval> intervals) {
    StringBuilder head =
        new StringBuilder(String.format(Locale.ROOT, "%-12s %14s", "time", target));
    for (ForecastOutput.Interval i : intervals) {
      head.append(
          String.format(Locale.ROOT, " %12s %12s", "lower_" + i.level(), "upper_" + i.level()));
    }
    o.println(head);
    for (int k = 0; k < point.length; k++) {
      StringBuilder row =
          new StringBuilder(
              String.format(Locale.ROOT, "%-12s %14.4f", format.format(times.get(k)), point[k]));
      for (ForecastOutput.Interval i : intervals) {
        row.append(String.format(Locale.ROOT, " %12.4f %12.4f", i.lower()[k], i.upper()[k]));
      }
      o.println(row);
    }
  }

  private static void printTable(
      PrintWriter o,
      TimeFormat format,
      List<LocalDateTime> times,
      String target,
      double[] mean,
      double[] spread,
      String spreadName) {
    o.printf(
        Locale.ROOT,
        "%-12s %14s%s%n",
        "time",
        target,
        spread == null ? "" : String.format(Locale.ROOT, " %16s", spreadName));
    for (int k = 0; k < mean.length; k++) {
      o.printf(
          Locale.ROOT,
          "%-12s %14.4f%s%n",
          format.format(times.get(k)),
          mean[k],
          spread == null ? "" : String.format(Locale.ROOT, " %16.4f", spread[k]));
    }
  }

  private void writePlot(
      TimeSeries series,
      SeriesModelInfo info,
      List<LocalDateTime> times,
      double[] mean,
      double[] actual,
      String titleSuffix,
      UnaryOperator<ForecastPlot> spread)
      throws java.io.IOException {
    int n = series.length();
    int shown = history != null ? history : 5 * (info.window() + mean.length);
    if (shown < 2) {
      throw new IllegalArgumentException("--history must be at least 2 steps, got " + shown);
    }
    int from = Math.max(0, n - shown);
    double[] v = FloatArrays.toDoubles(Arrays.copyOfRange(series.column(info.target()), from, n));
    ForecastPlot p;
    if (source.generator) {
      // the generator numbers its steps: a plain axis, not dates of years 1, 2, ...
      double[] t = Arrays.copyOfRange(series.decimalYears(), from, n);
      double[] ft = new double[mean.length];
      for (int k = 0; k < ft.length; k++) {
        ft[k] = TimeFormat.toDecimalYear(times.get(k));
      }
      p = ForecastPlot.of(t, v).forecast(ft, mean).xLabel("step");
    } else {
      p =
          ForecastPlot.of(series.times().subList(from, n), v)
              .forecast(times, mean)
              .timeLabels(series.timeFormat().readable()::format)
              .xLabel(info.timeColumn() != null ? info.timeColumn() : "time")
              .units(source.units());
    }
    p.yLabel(info.target())
        .title(
            info.modelName()
                + " forecast of "
                + series.source()
                + ", "
                + mean.length
                + " steps"
                + titleSuffix);
    spread.apply(p);
    if (actual != null) {
      p.actual(actual);
    }
    p.write(plot);
  }

  private static int missingIn(TimeSeries s, int from, int to) {
    int count = 0;
    for (int c = 0; c < s.columnCount(); c++) {
      for (int r = from; r < to; r++) {
        count += s.isMissing(r, c) ? 1 : 0;
      }
    }
    return count;
  }
}
