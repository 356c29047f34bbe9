package dev.timestep.pipeline.panel;

import java.util.List;

/**
 * Forecasts each of many series from the last rows its model keeps: a {@link GlobalModel} (one
 * network for all) or {@link PerSeriesModels} (one model each). Owns native memory: close it.
 */
public interface ManySeriesForecaster extends AutoCloseable {
  /** The ids it can forecast, in training order. */
  List<String> ids();

  /**
   * The next {@code steps} values of series {@code id}, from the end of its kept rows.
   *
   * @param mcSamples 0 for one deterministic pass; 2 or more for MC dropout (a model trained with
   *     dropout)
   * @throws IllegalArgumentException for an unknown id or bad steps
   */
  IdForecast forecast(String id, int steps, int mcSamples);

  @Override
  void close();
}
