package dev.timestep.pipeline.panel;

import dev.timestep.data.series.TimeFormat;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The forecast of one series of many, in its own units.
 *
 * @param id the series' id
 * @param format how the series writes its times
 * @param times one per step, after the series' last row
 * @param mean the forecast per step
 * @param std the spread per step (MC-dropout standard deviation), or null
 * @param decimals the decimals the series' values are written with, plus two (for output)
 */
public record IdForecast(
    String id,
    TimeFormat format,
    List<LocalDateTime> times,
    double[] mean,
    double[] std,
    int decimals) {
  public IdForecast {
    if (id == null || format == null || times == null || mean == null) {
      throw new IllegalArgumentException("id forecast: id, format, times and mean are required");
    }
    times = List.copyOf(times);
    if (times.size() != mean.length || (std != null && std.length != mean.length)) {
      throw new IllegalArgumentException(
          "id forecast: expected one time, mean (and spread) per step, got "
              + times.size()
              + " times and "
              + mean.length
              + " values");
    }
    mean = mean.clone();
    std = std == null ? null : std.clone();
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] std() {
    return std == null ? null : std.clone();
  }
}
