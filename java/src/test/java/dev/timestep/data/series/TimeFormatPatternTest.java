package dev.timestep.data.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.Period;
import org.junit.jupiter.api.Test;

/** A time format given as a java.time pattern: parsing, writing, its step and its refusals. */
class TimeFormatPatternTest {

  private static void assertMentions(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void aDayFirstDateReadsAndWritesTheSameText() {
    TimeFormat f = TimeFormat.ofPattern("dd.MM.yyyy");
    assertEquals(LocalDateTime.of(2002, 1, 5, 0, 0), f.parse("05.01.2002"));
    assertEquals("05.01.2002", f.format(LocalDateTime.of(2002, 1, 5, 0, 0)));
    assertEquals("dd.MM.yyyy", f.pattern());
    assertNull(f.name());
    assertTrue(f.matches("31.12.1999"));
    assertFalse(f.matches("1999-12-31"));
    // a daily pattern steps by the series' own spacing, like an ISO date
    assertNull(f.calendarStep());
    assertSame(TimeFormat.DATE, f.nearestRecognised());
  }

  @Test
  void fieldsThePatternLeavesOutStartAtTheirFirstValue() {
    TimeFormat monthly = TimeFormat.ofPattern("MM/yyyy");
    assertEquals(LocalDateTime.of(1985, 4, 1, 0, 0), monthly.parse("04/1985"));
    assertEquals(Period.ofMonths(1), monthly.calendarStep());
    assertSame(TimeFormat.YEAR_MONTH, monthly.nearestRecognised());

    TimeFormat quarterly = TimeFormat.ofPattern("yyyy 'Q'Q");
    assertEquals(LocalDateTime.of(1985, 4, 1, 0, 0), quarterly.parse("1985 Q2"));
    assertEquals("1985 Q3", quarterly.format(LocalDateTime.of(1985, 8, 17, 0, 0)));
    assertTrue(quarterly.isQuarterly());
    assertSame(TimeFormat.YEAR_SPACE_QUARTER, quarterly.nearestRecognised());

    TimeFormat yearly = TimeFormat.ofPattern("'FY'yyyy");
    assertEquals(LocalDateTime.of(2010, 1, 1, 0, 0), yearly.parse("FY2010"));
    assertEquals(Period.ofYears(1), yearly.calendarStep());
  }

  @Test
  void readsTimesOfDayMonthNamesAndOffsets() {
    TimeFormat minutes = TimeFormat.ofPattern("yyyy/MM/dd HH:mm");
    assertEquals(LocalDateTime.of(2001, 12, 29, 10, 30), minutes.parse("2001/12/29 10:30"));
    assertEquals("2001/12/29 10:30", minutes.format(LocalDateTime.of(2001, 12, 29, 10, 30)));
    assertSame(TimeFormat.DATE_TIME, minutes.nearestRecognised());

    TimeFormat named = TimeFormat.ofPattern("MMM yyyy");
    assertEquals(LocalDateTime.of(1985, 4, 1, 0, 0), named.parse("Apr 1985"));
    assertEquals(LocalDateTime.of(1985, 4, 1, 0, 0), named.parse("APR 1985"));
    assertEquals("Apr 1985", named.format(LocalDateTime.of(1985, 4, 1, 0, 0)));

    // as for ISO date-times, a time with an offset is kept in UTC
    TimeFormat offset = TimeFormat.ofPattern("dd.MM.yyyy HH:mmXXX");
    assertEquals(LocalDateTime.of(2001, 12, 29, 8, 30), offset.parse("29.12.2001 10:30+02:00"));
  }

  @Test
  void refusesImpossibleDatesInsteadOfMovingThem() {
    TimeFormat f = TimeFormat.ofPattern("dd.MM.yyyy");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> f.parse("31.02.2001"));
    assertMentions(e, "'31.02.2001'", "'dd.MM.yyyy'", "FEBRUARY 31");
    assertFalse(f.matches("31.02.2001"));
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> f.parse("2001-02-03")),
        "'2001-02-03' does not match the time format 'dd.MM.yyyy' (e.g. 29.12.2001)");
  }

  @Test
  void refusesPatternsThatCannotNameATimeOfASeries() {
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> TimeFormat.ofPattern("dd.MM")),
        "'dd.MM'",
        "must write the year");
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> TimeFormat.ofPattern("yyyy-MM-{")),
        "'yyyy-MM-{'",
        "not a valid pattern");
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> TimeFormat.ofPattern(" ")),
        "pattern such as dd.MM.yyyy");
    assertThrows(IllegalArgumentException.class, () -> TimeFormat.ofPattern(null));
  }

  @Test
  void plotsWriteCompactAndDecimalTimesAsDates() {
    assertSame(TimeFormat.DATE, TimeFormat.BASIC_DATE.readable());
    assertSame(TimeFormat.DATE, TimeFormat.DECIMAL_YEAR.readable());
    assertSame(TimeFormat.YEAR_SPACE_QUARTER, TimeFormat.YEAR_SPACE_QUARTER.readable());
    assertEquals(
        "2001-12-29 10:30",
        TimeFormat.DATE_TIME.readable().format(LocalDateTime.of(2001, 12, 29, 10, 30)));
    TimeFormat dayFirst = TimeFormat.ofPattern("dd.MM.yyyy");
    assertSame(dayFirst, dayFirst.readable());
  }

  @Test
  void patternsAreEqualByTextAndRecognisedFormatsStayConstants() {
    assertEquals(TimeFormat.ofPattern("dd.MM.yyyy"), TimeFormat.ofPattern("dd.MM.yyyy"));
    assertEquals(
        TimeFormat.ofPattern("dd.MM.yyyy").hashCode(),
        TimeFormat.ofPattern("dd.MM.yyyy").hashCode());
    assertNotEquals(TimeFormat.ofPattern("dd.MM.yyyy"), TimeFormat.ofPattern("d.M.yyyy"));
    assertNotEquals(TimeFormat.DATE, TimeFormat.ofPattern("yyyy-MM-dd"));
    assertSame(TimeFormat.YEAR_MONTH, TimeFormat.valueOf("YEAR_MONTH"));
    assertEquals("pattern 'dd.MM.yyyy'", TimeFormat.ofPattern("dd.MM.yyyy").toString());
    assertThrows(IllegalArgumentException.class, () -> TimeFormat.valueOf("dd.MM.yyyy"));
    assertEquals(9, TimeFormat.recognised().size());
  }
}
