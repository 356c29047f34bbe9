package dev.timestep.pipeline.evaluation;

import dev.timestep.data.series.Season;
import java.util.List;

/**
 * What a rolling-origin backtest measured: each fold's forecasts, the forecaster's scores beside
 * naive and seasonal naive (MASE, sMAPE and RMSE per horizon step and overall), and the coverage of
 * split-conformal intervals calibrated on the folds.
 *
 * @param season the season used by seasonal naive and MASE
 * @param transform the transform the forecaster was trained on, described ("none" for none)
 * @param folds earliest origin first
 * @param model the forecaster's scores over every fold
 * @param naive naive's scores over the same folds
 * @param seasonalNaive seasonal naive's scores over the same folds
 * @param intervals coverage at 80% and 95%, in that order
 */
public record BacktestReport(
    Season season,
    String transform,
    List<FoldResult> folds,
    ForecastScores model,
    ForecastScores naive,
    ForecastScores seasonalNaive,
    List<IntervalCheck> intervals) {
  public BacktestReport {
    folds = List.copyOf(folds);
    intervals = List.copyOf(intervals);
  }

  /** Steps forecast per fold. */
  public int horizon() {
    return model.steps();
  }

  /**
   * Whether the forecaster's overall MASE is above seasonal naive's: it does worse than repeating
   * the last season, and should not be used as it is.
   */
  public boolean worseThanSeasonalNaive() {
    return model.overallMase() > seasonalNaive.overallMase();
  }

  /** One line for a user when the forecaster loses to seasonal naive; null when it does not. */
  public String warning() {
    if (!worseThanSeasonalNaive()) {
      return null;
    }
    return String.format(
        java.util.Locale.ROOT,
        "the model's MASE %.3f is worse than seasonal naive's %.3f (season %d): repeating the last"
            + " season forecasts this series better",
        model.overallMase(),
        seasonalNaive.overallMase(),
        season.period());
  }
}
