package dev.timestep.cli;

import dev.timestep.data.series.TimeSeries;
import dev.timestep.pipeline.evaluation.BacktestReport;
import dev.timestep.pipeline.evaluation.FoldResult;
import dev.timestep.pipeline.evaluation.ForecastScores;
import dev.timestep.pipeline.evaluation.IntervalCheck;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The backtest report as the small tables {@code backtest} prints. */
final class BacktestTable {
  private BacktestTable() {}

  static void print(BacktestReport r, TimeSeries series, PrintWriter o) {
    List<FoldResult> folds = r.folds();
    o.printf(
        Locale.ROOT,
        "%d fold(s) of %d step(s), origins %s to %s%n",
        folds.size(),
        r.horizon(),
        series.timeLabel(folds.get(0).fold().origin()),
        series.timeLabel(folds.get(folds.size() - 1).fold().origin()));
    o.printf(
        Locale.ROOT,
        "%-5s %30s %30s %30s%n",
        "",
        "MASE (model naive snaive)",
        "sMAPE % (model naive snaive)",
        "RMSE (model naive snaive)");
    for (int k = 0; k < r.horizon(); k++) {
      o.println(row(Integer.toString(k + 1), r, k));
    }
    o.println(row("all", r, -1));
    printCoverage(r.intervals(), o);
  }

  /** One line per level: the coverage measured on the folds, or why it was not. */
  static void printCoverage(java.util.List<IntervalCheck> checks, java.io.PrintWriter o) {
    for (IntervalCheck c : checks) {
      int percent = (int) Math.round(100 * c.level());
      if (c.measured()) {
        o.printf(
            Locale.ROOT,
            "%d%% intervals (split conformal, each fold left out): coverage %.1f%%%n",
            percent,
            100 * c.overall());
      } else {
        o.printf(Locale.ROOT, "%d%% intervals: not measured, %s%n", percent, c.reason());
      }
    }
  }

  private static String row(String label, BacktestReport r, int step) {
    return String.format(
        Locale.ROOT,
        "%-5s %30s %30s %30s",
        label,
        three(r.model(), r.naive(), r.seasonalNaive(), step, 0),
        three(r.model(), r.naive(), r.seasonalNaive(), step, 1),
        three(r.model(), r.naive(), r.seasonalNaive(), step, 2));
  }

  private static String three(
      ForecastScores a, ForecastScores b, ForecastScores c, int step, int metric) {
    return String.format(
        Locale.ROOT,
        "%9.4g %9.4g %9.4g",
        value(a, step, metric),
        value(b, step, metric),
        value(c, step, metric));
  }

  private static double value(ForecastScores s, int step, int metric) {
    return switch (metric) {
      case 0 -> step < 0 ? s.overallMase() : s.mase()[step];
      case 1 -> step < 0 ? s.overallSmape() : s.smape()[step];
      default -> step < 0 ? s.overallRmse() : s.rmse()[step];
    };
  }
}
