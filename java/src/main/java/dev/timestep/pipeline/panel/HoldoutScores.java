package dev.timestep.pipeline.panel;

import dev.timestep.data.series.FloatArrays;
import dev.timestep.data.series.LinearInterpolation;
import dev.timestep.data.series.Season;
import dev.timestep.pipeline.SeriesRefit;
import dev.timestep.pipeline.evaluation.Baselines;
import dev.timestep.pipeline.evaluation.ForecastScores;
import dev.timestep.pipeline.evaluation.MaseScale;

/**
 * Scores a forecast of held-out rows as {@code train --holdout} does: MASE scaled by the kept rows'
 * seasonal-naive error, sMAPE and RMSE, beside naive and seasonal naive from the kept rows.
 */
final class HoldoutScores {
  private HoldoutScores() {}

  /**
   * @param kept the target's kept rows (NaN where missing)
   * @param held the target's held-out rows
   * @param forecast the model's forecast of the held-out rows, from the end of the kept ones
   */
  static SeriesRefit.Holdout of(float[] kept, float[] held, double[] forecast, Season season) {
    double[] observed = FloatArrays.toDoubles(kept);
    double[] history = FloatArrays.toDoubles(LinearInterpolation.fill(kept));
    double[] actual = FloatArrays.toDoubles(held);
    int period = season.period() < kept.length ? season.period() : 1;
    double scale = MaseScale.of(observed, period);
    int steps = held.length;
    return new SeriesRefit.Holdout(
        season,
        actual,
        forecast,
        ForecastScores.of(actual, forecast, scale),
        ForecastScores.of(actual, Baselines.naive(history, steps), scale),
        ForecastScores.of(actual, Baselines.seasonalNaive(history, period, steps), scale));
  }
}
