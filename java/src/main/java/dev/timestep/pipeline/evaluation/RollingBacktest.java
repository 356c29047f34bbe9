package dev.timestep.pipeline.evaluation;

import dev.timestep.data.series.FloatArrays;
import dev.timestep.data.series.LinearInterpolation;
import dev.timestep.data.series.Season;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.transform.Bounds;
import dev.timestep.data.series.transform.FittedTransform;
import dev.timestep.data.series.transform.SeriesTransform;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores a forecaster on a real series by rolling-origin backtests: for each fold, the optional
 * transform is fitted on the fold's training rows, the forecaster is fitted on those rows (and
 * nothing after them) and forecasts the next {@code horizon} rows, the forecast is inverted to the
 * series' units and scored beside naive and seasonal naive, each fold with the MASE scale of its
 * own training rows.
 *
 * <p>Folds are {@code horizon} rows apart, the last one ending at the last row, so the folds' test
 * rows tile the end of the series without overlap: every row is scored once, and the residuals that
 * calibrate the intervals come from different rows. Without a given count there are as many folds
 * as fit, up to {@value #DEFAULT_MAX_FOLDS}, after the forecaster's fewest training rows (and at
 * least one season plus a row, for the baselines and the MASE scale).
 *
 * <p>Missing training values are filled linearly from the fold's training rows for the baselines
 * and for inverting a transform; the forecaster gets them missing and fills them its own way.
 * Missing test values are not scored.
 */
public final class RollingBacktest {
  /** The most folds used when no count is given. */
  public static final int DEFAULT_MAX_FOLDS = 5;

  /** The interval levels whose coverage is measured. */
  private static final double[] LEVELS = {0.8, 0.95};

  private RollingBacktest() {}

  /**
   * The folds of a series of {@code rows} rows: {@code folds} of them, or as many as fit up to
   * {@link #DEFAULT_MAX_FOLDS} when null, {@code horizon} rows apart, the earliest with at least
   * {@code minTrain} training rows.
   *
   * @throws IllegalArgumentException when the series is too short for one fold (or for the folds
   *     asked for), saying how many rows it needs
   */
  public static List<Fold> folds(int rows, int horizon, Integer folds, int minTrain) {
    if (horizon < 1) {
      throw new IllegalArgumentException(
          "backtest: the horizon must be at least 1 step, got " + horizon);
    }
    if (folds != null && folds < 1) {
      throw new IllegalArgumentException("backtest: folds must be at least 1, got " + folds);
    }
    int count = folds != null ? folds : fittingFolds(rows, horizon, minTrain);
    return RollingOrigin.expanding(horizon, count)
        .withStep(horizon)
        .withMinTrain(minTrain)
        .split(rows);
  }

  private static int fittingFolds(int rows, int horizon, int minTrain) {
    long spare = (long) rows - horizon - minTrain;
    if (spare < 0) {
      throw new IllegalArgumentException(
          "backtest: one fold of horizon "
              + horizon
              + " after at least "
              + minTrain
              + " training rows needs "
              + ((long) minTrain + horizon)
              + " rows, but the series has "
              + rows
              + "; use a shorter horizon (or window)");
    }
    return (int) Math.min(DEFAULT_MAX_FOLDS, 1 + spare / horizon);
  }

  /**
   * Backtests {@code forecaster} on {@code column} of {@code series}.
   *
   * @param folds the number of folds, or null for as many as fit up to {@link #DEFAULT_MAX_FOLDS}
   * @param season the season of seasonal naive and of the MASE scale
   * @param transform fitted on each fold's training rows before the forecaster sees them; null for
   *     none
   * @throws IllegalArgumentException when the series is too short, a fold's training rows cannot be
   *     transformed or scaled (a constant series has no MASE scale), or the forecaster returns the
   *     wrong number of values or a non-finite one
   */
  public static BacktestReport run(
      TimeSeries series,
      String column,
      int horizon,
      Integer folds,
      Season season,
      SeriesTransform transform,
      FoldForecaster forecaster) {
    if (series == null || column == null || season == null || forecaster == null) {
      throw new IllegalArgumentException(
          "backtest: a series, its column, a season and a forecaster are required");
    }
    TimeSeries target = series.select(column);
    int m = season.period();
    int minTrain = Math.max(forecaster.minTrainingRows(horizon), m + 1);
    List<Fold> split = folds(target.length(), horizon, folds, minTrain);
    double[] values = FloatArrays.toDoubles(target.column(0));
    List<FoldResult> results = new ArrayList<>(split.size());
    for (Fold fold : split) {
      results.add(runFold(target, values, fold, m, transform, forecaster));
    }
    int k = results.size();
    double[][] actual = new double[k][];
    double[] scales = new double[k];
    double[][] model = new double[k][];
    double[][] naive = new double[k][];
    double[][] seasonalNaive = new double[k][];
    for (int i = 0; i < k; i++) {
      FoldResult r = results.get(i);
      actual[i] = r.actual();
      scales[i] = r.maseScale();
      model[i] = r.model();
      naive[i] = r.naive();
      seasonalNaive[i] = r.seasonalNaive();
    }
    List<IntervalCheck> intervals = new ArrayList<>();
    for (double level : LEVELS) {
      intervals.add(coverage(results, level));
    }
    return new BacktestReport(
        season,
        transform == null ? "none" : transform.describe(),
        results,
        ForecastScores.of(actual, model, scales),
        ForecastScores.of(actual, naive, scales),
        ForecastScores.of(actual, seasonalNaive, scales),
        intervals);
  }

  private static FoldResult runFold(
      TimeSeries target,
      double[] values,
      Fold fold,
      int period,
      SeriesTransform transform,
      FoldForecaster forecaster) {
    int h = fold.horizon();
    TimeSeries training = fold.train(target);
    double[] raw = FloatArrays.toDoubles(training.column(0));
    double[] filled = filled(training, fold);
    FittedTransform fitted = transform == null ? null : transform.fit(raw);
    TimeSeries handed =
        fitted == null
            ? training
            : training.withValues(new float[][] {FloatArrays.toFloats(fitted.apply(raw))});
    double[] forecast = forecaster.forecast(handed, h);
    if (forecast == null || forecast.length != h) {
      throw new IllegalArgumentException(
          "backtest: fold "
              + fold.index()
              + " expected a forecast of "
              + h
              + " values, got "
              + (forecast == null ? "none" : forecast.length));
    }
    double[] inUnits = fitted == null ? forecast.clone() : fitted.inverse(forecast, filled);
    for (int s = 0; s < h; s++) {
      if (!Double.isFinite(inUnits[s])) {
        throw new IllegalArgumentException(
            "backtest: fold "
                + fold.index()
                + " (origin "
                + target.timeLabel(fold.origin())
                + ") forecast "
                + inUnits[s]
                + " at step "
                + (s + 1));
      }
    }
    return new FoldResult(
        fold,
        target.time(fold.origin()),
        fold.test(values),
        inUnits,
        Baselines.naive(filled, h),
        Baselines.seasonalNaive(filled, period, h),
        MaseScale.of(raw, period));
  }

  private static double[] filled(TimeSeries training, Fold fold) {
    try {
      return FloatArrays.toDoubles(LinearInterpolation.fill(training.column(0)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "backtest: fold " + fold.index() + " has no observed training value", e);
    }
  }

  /**
   * Coverage of level-{@code level} intervals, each fold against the residuals of the others.
   * Calibrating on the fold itself would put its own error inside its interval.
   */
  private static IntervalCheck coverage(List<FoldResult> results, double level) {
    int k = results.size();
    int needed = SplitConformal.residualsNeeded(level);
    if (k - 1 < needed) {
      return IntervalCheck.unavailable(
          level,
          "needs at least "
              + (needed + 1)
              + " folds ("
              + needed
              + " to calibrate the one left out), got "
              + k);
    }
    double[][] residuals = new double[k][];
    double[][] actual = new double[k][];
    for (int i = 0; i < k; i++) {
      residuals[i] = results.get(i).residuals();
      actual[i] = results.get(i).actual();
    }
    Bounds[] bounds = new Bounds[k];
    for (int i = 0; i < k; i++) {
      double[][] others = new double[k - 1][];
      for (int j = 0, o = 0; j < k; j++) {
        if (j != i) {
          others[o++] = residuals[j];
        }
      }
      try {
        bounds[i] = SplitConformal.fit(others).interval(results.get(i).model(), level);
      } catch (IllegalArgumentException e) {
        // Missing actuals leave a step with too few residuals.
        return IntervalCheck.unavailable(level, e.getMessage());
      }
    }
    int inside = 0;
    int scored = 0;
    for (int i = 0; i < k; i++) {
      double[] lower = bounds[i].lower();
      double[] upper = bounds[i].upper();
      for (int s = 0; s < actual[i].length; s++) {
        double y = actual[i][s];
        if (!Double.isNaN(y)) {
          scored++;
          inside += y >= lower[s] && y <= upper[s] ? 1 : 0;
        }
      }
    }
    return IntervalCheck.measured(
        level, Coverage.perStep(actual, bounds), (double) inside / Math.max(scored, 1));
  }
}
