/**
 * Forecasting real series end to end: train a chapter model on a series with a chronological split,
 * training-only scaling and gap-aware windows ({@link dev.timestep.pipeline.SeriesTrainer}), then
 * forecast any number of steps in the series' own units, past the model's horizon by feeding
 * forecasts back ({@link dev.timestep.pipeline.SeriesModel}), with backtested error bars ({@link
 * dev.timestep.pipeline.Backtest}), and rolling-origin backtests of a chapter model ({@link
 * dev.timestep.pipeline.SeriesBacktest}); training on the whole history with a scored holdout
 * ({@link dev.timestep.pipeline.SeriesRefit}), with gaps in inputs filled ({@link
 * dev.timestep.pipeline.GapFill}). The model file carries its window, horizon, columns, scaling and
 * the series' last rows ({@link dev.timestep.pipeline.SeriesTail}), so a saved model is all a
 * forecast needs. A live series is forecast row by row, as the batch forecast does, by {@link
 * dev.timestep.pipeline.SeriesStream}. May import {@code models}, {@code forecast}, {@code io},
 * {@code nn}, {@code optim}, {@code data}, {@code backend} and {@code tensor}; only {@code impute},
 * {@code pipeline.panel} (many series) and the CLI build on it.
 */
package dev.timestep.pipeline;
