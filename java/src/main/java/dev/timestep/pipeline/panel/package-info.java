/**
 * Forecasting many series at once, read from one long-format table ({@link
 * dev.timestep.data.series.ManySeries}): one global network trained on the windows of every series,
 * each scaled by its own scaler fitted on its own training rows ({@link
 * dev.timestep.pipeline.panel.GlobalTrainer}, {@link dev.timestep.pipeline.panel.GlobalModel}), or
 * one model per series through the single-series workflow ({@link
 * dev.timestep.pipeline.panel.PerSeries}), usable one series at a time by a caller that groups the
 * rows itself (a Spark job). Ids left out are reported with their reasons, never dropped silently.
 * May import {@code pipeline}, {@code pipeline.evaluation}, {@code models}, {@code io}, {@code nn},
 * {@code data}, {@code backend} and {@code tensor}; only the CLI builds on it.
 */
package dev.timestep.pipeline.panel;
