package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A quarterly series continues by calendar quarters, written as its own labels. */
class FutureQuarterTimesTest {

  @Test
  void quartersFollowTheCalendar() {
    TimeFormat f = TimeFormat.YEAR_SPACE_QUARTER;
    TimeSeries s =
        TimeSeries.of(
            "gdp",
            f,
            List.of(f.parse("1985 Q3"), f.parse("1985 Q4")),
            List.of("v"),
            new float[][] {{1, 2}});
    // Q4 to Q1 is 92 days and Q1 to Q2 is 90 (91 in a leap year): a fixed duration would drift.
    assertEquals(
        List.of("1986 Q1", "1986 Q2", "1986 Q3", "1986 Q4", "1987 Q1"),
        FutureTimes.after(s, 5).stream().map(f::format).toList());
    assertEquals(LocalDate.of(1987, 1, 1).atStartOfDay(), FutureTimes.after(s, 5).get(4));
  }
}
