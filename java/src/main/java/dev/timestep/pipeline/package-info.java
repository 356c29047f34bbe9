/**
 * Forecasting real series end to end. The default workflow ({@link
 * dev.timestep.pipeline.AutoTrainer}) trains on the whole history with model, window kind and
 * transform chosen by rolling-origin backtests ({@link dev.timestep.pipeline.AutoPlan} fits them to
 * the rows), refits a median ensemble of seeds with split-conformal intervals ({@link
 * dev.timestep.pipeline.SeriesEnsemble}, {@link dev.timestep.pipeline.ForecastIntervals}). Its
 * parts, usable alone: train a chapter model on a series with a chronological split, training-only
 * scaling and gap-aware windows ({@link dev.timestep.pipeline.SeriesTrainer}), then forecast any
 * number of steps in the series' own units, past the model's horizon by feeding forecasts back
 * ({@link dev.timestep.pipeline.SeriesModel}), with backtested error bars ({@link
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
