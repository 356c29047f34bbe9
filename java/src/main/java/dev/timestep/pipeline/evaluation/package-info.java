/**
 * Measuring forecasts on a real series, independent of any model: naive and seasonal-naive
 * baselines, MASE (scaled by the in-sample seasonal-naive error), sMAPE and RMSE per horizon step,
 * rolling-origin backtest folds that never show a fold's future to its training rows, and
 * split-conformal intervals calibrated on backtest residuals; {@link
 * dev.timestep.pipeline.evaluation.RollingBacktest} runs the folds for any {@link
 * dev.timestep.pipeline.evaluation.FoldForecaster} and reports the scores. Everything works on
 * {@code double[]} values (NaN marking a missing one) so the same code scores a chapter model, a
 * baseline or an ensemble. May import {@code data.series} and {@code data.series.transform} only;
 * the forecasting workflow in {@code pipeline} and the CLI build on it.
 */
package dev.timestep.pipeline.evaluation;
