/**
 * Forecasting live series one observation at a time: {@link
 * dev.timestep.stream.StreamingForecaster} carries each recurrent layer's state from point to
 * point, one stream per series (warm-up, snapshot, restore, reset, and many streams in one batched
 * step), falling back to a ring buffer and a full pass for models that need the whole window;
 * {@link dev.timestep.stream.BatchingPredictor} gathers concurrent callers' samples into one
 * batched {@code predict}. Works on any {@link dev.timestep.nn.Sequential}, so it may import {@code
 * nn}, {@code autodiff}, {@code backend} and {@code tensor}; the forecasting workflow ({@code
 * pipeline}) builds on it.
 */
package dev.timestep.stream;
