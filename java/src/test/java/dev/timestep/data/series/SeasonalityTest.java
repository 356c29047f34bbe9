package dev.timestep.data.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The season detected from the step between a series' own time labels. */
class SeasonalityTest {

  @Test
  void monthlyLabelsGiveTwelve() {
    Season s =
        detect(TimeFormat.YEAR_MONTH, 30, t -> String.format("%d-%02d", 1985 + t / 12, t % 12 + 1));
    assertEquals(12, s.period());
    assertTrue(s.reason().contains("monthly"), s.reason());
  }

  @Test
  void monthEndDatesAreMonthlyToo() {
    Season s =
        detect(
            TimeFormat.DATE,
            30,
            t ->
                LocalDate.of(1985, 1, 31)
                    .plusMonths(t)
                    .withDayOfMonth(1)
                    .plusMonths(1)
                    .minusDays(1)
                    .toString());
    assertEquals(12, s.period(), s.reason());
  }

  @Test
  void quarterlyLabelsGiveFour() {
    IntFunction<String> quarter = t -> (1985 + t / 4) + " Q" + (t % 4 + 1);
    assertEquals(4, detect(TimeFormat.YEAR_SPACE_QUARTER, 20, quarter).period());
    assertEquals(
        4,
        detect(TimeFormat.YEAR_DASH_QUARTER, 20, t -> (1985 + t / 4) + "-Q" + (t % 4 + 1))
            .period());
    Season s =
        detect(TimeFormat.DATE, 20, t -> LocalDate.of(1985, 1, 1).plusMonths(3L * t).toString());
    assertEquals(4, s.period());
    assertTrue(s.reason().contains("quarterly"), s.reason());
  }

  @Test
  void weeklyDailyHourlyAndYearly() {
    Season weekly =
        detect(
            TimeFormat.BASIC_DATE,
            30,
            t -> LocalDate.of(1958, 3, 29).plusWeeks(t).toString().replace("-", ""));
    assertEquals(52, weekly.period());
    Season daily =
        detect(TimeFormat.DATE, 30, t -> LocalDate.of(2020, 2, 20).plusDays(t).toString());
    assertEquals(7, daily.period());
    assertTrue(daily.reason().contains("365"), "names the yearly alternative: " + daily.reason());
    Season hourly =
        detect(
            TimeFormat.DATE_TIME,
            30,
            t -> LocalDateTime.of(2020, 3, 28, 0, 0).plusHours(t).toString());
    assertEquals(24, hourly.period());
    Season yearly = detect(TimeFormat.YEAR, 30, t -> Integer.toString(1749 + t));
    assertEquals(1, yearly.period());
    assertTrue(yearly.reason().contains("yearly"), yearly.reason());
  }

  @Test
  void aSkippedRowDoesNotChangeTheStep() {
    // Weeks 0..29 without week 5: one step of two weeks among steps of one.
    Season s =
        detect(
            TimeFormat.DATE,
            29,
            t -> LocalDate.of(2000, 1, 1).plusWeeks(t < 5 ? t : t + 1).toString());
    assertEquals(52, s.period(), s.reason());
  }

  @Test
  void irregularOrUnusualStepsGiveOneWithAReason() {
    Season irregular =
        detect(
            TimeFormat.DATE_TIME,
            3,
            t ->
                LocalDateTime.of(2020, 1, 1, 0, 0)
                    .plusMinutes(new int[] {0, 60, 1510}[t])
                    .toString());
    assertEquals(1, irregular.period());
    assertTrue(irregular.reason().contains("irregular"), irregular.reason());
    Season tenMinutes =
        detect(
            TimeFormat.DATE_TIME,
            10,
            t -> LocalDateTime.of(2020, 1, 1, 0, 0).plusMinutes(10L * t).toString());
    assertEquals(1, tenMinutes.period());
    assertTrue(tenMinutes.reason().contains("10 minutes"), tenMinutes.reason());
    Season twoMonths =
        detect(
            TimeFormat.YEAR_MONTH,
            10,
            t -> String.format("%d-%02d", 2000 + t / 6, 2 * (t % 6) + 1));
    assertEquals(1, twoMonths.period());
    assertTrue(twoMonths.reason().contains("2 months"), twoMonths.reason());
    Season single = detect(TimeFormat.YEAR, 1, t -> "2000");
    assertEquals(1, single.period());
    assertTrue(single.reason().contains("1 row"), single.reason());
  }

  @Test
  void aGivenPeriodOverridesTheDetectedOne() {
    TimeSeries monthly =
        series(TimeFormat.YEAR_MONTH, 30, t -> String.format("%d-%02d", 1985 + t / 12, t % 12 + 1));
    Season s = Seasonality.detect(monthly, 3);
    assertEquals(3, s.period());
    assertTrue(s.reason().contains("given"), s.reason());
    assertEquals(12, Seasonality.detect(monthly, null).period());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Season.given(0));
    assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
  }

  @Test
  void aQuarterlyCsvIsReadWithItsLabels() throws IOException {
    TimeSeries s =
        CsvSeriesReader.defaults()
            .read(
                new StringReader("quarter,gdp\n1985 Q3,1.5\n1985 Q4,2\n1986 Q1,2.5\n"), "gdp.csv");
    assertEquals(TimeFormat.YEAR_SPACE_QUARTER, s.timeFormat());
    assertEquals(LocalDate.of(1986, 1, 1).atStartOfDay(), s.time(2));
    assertEquals("1985 Q4", s.timeLabel(1));
    assertEquals(4, Seasonality.detect(s).period());
  }

  private static Season detect(TimeFormat format, int n, IntFunction<String> label) {
    return Seasonality.detect(series(format, n, label));
  }

  private static TimeSeries series(TimeFormat format, int n, IntFunction<String> label) {
    List<LocalDateTime> times = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      String text = label.apply(t);
      assertEquals(format, TimeFormat.recognise(text), text);
      times.add(format.parse(text));
    }
    return TimeSeries.of("labels", format, times, List.of("v"), new float[][] {new float[n]});
  }
}
