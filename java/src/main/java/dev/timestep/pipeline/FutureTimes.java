package dev.timestep.pipeline;

import dev.timestep.data.series.TimeSeries;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;

/**
 * The times of the steps after a series ends, continuing its last spacing: yearly, quarterly and
 * monthly series (by their time format's {@link dev.timestep.data.series.TimeFormat#calendarStep})
 * step by calendar years, quarters and months (whose lengths vary), others by the duration between
 * their last two times (a week for the CO2 series).
 */
public final class FutureTimes {
  private FutureTimes() {}

  /** The next {@code count} times after the last row of {@code series}. */
  public static List<LocalDateTime> after(TimeSeries series, int count) {
    if (series == null || series.length() < 2) {
      throw new IllegalArgumentException(
          "future times: need a series of at least 2 rows to know its spacing, got "
              + (series == null ? "null" : series.length() + " row(s)"));
    }
    if (count < 0) {
      throw new IllegalArgumentException("future times: count must be >= 0, got " + count);
    }
    LocalDateTime last = series.time(series.length() - 1);
    LocalDateTime before = series.time(series.length() - 2);
    Period calendar = series.timeFormat().calendarStep();
    List<LocalDateTime> out = new ArrayList<>();
    for (int k = 1; k <= count; k++) {
      out.add(
          calendar != null
              ? last.plus(calendar.multipliedBy(k))
              : last.plus(Duration.between(before, last).multipliedBy(k)));
    }
    return out;
  }
}
