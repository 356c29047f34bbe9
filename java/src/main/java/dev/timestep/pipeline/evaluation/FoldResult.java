package dev.timestep.pipeline.evaluation;

import java.time.LocalDateTime;

/**
 * One backtest fold's forecasts beside what happened, in the series' own units.
 *
 * @param fold the fold's rows
 * @param originTime the time of the first forecast row
 * @param actual the test rows (NaN where missing, not scored)
 * @param model the forecaster's forecast
 * @param naive the last training value repeated
 * @param seasonalNaive the last training season repeated
 * @param maseScale the in-sample seasonal-naive MAE of the fold's training rows
 */
public record FoldResult(
    Fold fold,
    LocalDateTime originTime,
    double[] actual,
    double[] model,
    double[] naive,
    double[] seasonalNaive,
    double maseScale) {
  public FoldResult {
    actual = actual.clone();
    model = model.clone();
    naive = naive.clone();
    seasonalNaive = seasonalNaive.clone();
  }

  @Override
  public double[] actual() {
    return actual.clone();
  }

  @Override
  public double[] model() {
    return model.clone();
  }

  @Override
  public double[] naive() {
    return naive.clone();
  }

  @Override
  public double[] seasonalNaive() {
    return seasonalNaive.clone();
  }

  /** {@code actual - model} per step (NaN where the actual is missing). */
  public double[] residuals() {
    double[] r = new double[actual.length];
    for (int k = 0; k < r.length; k++) {
      r[k] = actual[k] - model[k];
    }
    return r;
  }
}
