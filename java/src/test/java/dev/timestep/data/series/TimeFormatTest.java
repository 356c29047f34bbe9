package dev.timestep.data.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class TimeFormatTest {

  @Test
  void recognisesEachWrittenForm() {
    assertEquals(TimeFormat.DATE_TIME, TimeFormat.recognise("2001-12-29T10:30"));
    assertEquals(TimeFormat.DATE_TIME, TimeFormat.recognise("2001-12-29 10:30:15"));
    assertEquals(TimeFormat.DATE_TIME, TimeFormat.recognise("2001-12-29T10:30:15Z"));
    assertEquals(TimeFormat.DATE, TimeFormat.recognise("2001-12-29"));
    assertEquals(TimeFormat.BASIC_DATE, TimeFormat.recognise("19580329"));
    assertEquals(TimeFormat.YEAR_MONTH, TimeFormat.recognise("2001-12"));
    assertEquals(TimeFormat.YEAR, TimeFormat.recognise("1749"));
    assertEquals(TimeFormat.DECIMAL_YEAR, TimeFormat.recognise("1958.2027"));
    assertNull(TimeFormat.recognise("March 1958"));
    assertNull(TimeFormat.recognise(""));
  }

  @Test
  void parsesToTheInstantItNames() {
    assertEquals(LocalDateTime.of(1958, 3, 29, 0, 0), TimeFormat.BASIC_DATE.parse("19580329"));
    assertEquals(LocalDateTime.of(1749, 1, 1, 0, 0), TimeFormat.YEAR.parse("1749"));
    assertEquals(LocalDateTime.of(2001, 12, 1, 0, 0), TimeFormat.YEAR_MONTH.parse("2001-12"));
    assertEquals(
        LocalDateTime.of(2001, 12, 29, 10, 30), TimeFormat.DATE_TIME.parse("2001-12-29 10:30"));
    // An offset is converted to UTC: 10:30 at +02:00 is 08:30 UTC (and +0200 is read the same way).
    assertEquals(
        LocalDateTime.of(2001, 12, 29, 8, 30),
        TimeFormat.DATE_TIME.parse("2001-12-29T10:30+02:00"));
    assertEquals(
        LocalDateTime.of(2001, 12, 29, 8, 30), TimeFormat.DATE_TIME.parse("2001-12-29T10:30+0200"));
    // 2001 has 365 days: 0.5 of it is 182.5 days after 1 January, i.e. 2 July at noon.
    assertEquals(LocalDateTime.of(2001, 7, 2, 12, 0), TimeFormat.DECIMAL_YEAR.parse("2001.5"));
  }

  @Test
  void decimalYearsRoundTripThroughTheirText() {
    LocalDateTime t = TimeFormat.DECIMAL_YEAR.parse("1958.2027");
    assertEquals("1958.2027", TimeFormat.DECIMAL_YEAR.format(t));
    assertEquals(1958.2027, TimeFormat.toDecimalYear(t), 1e-6);
    assertEquals("19580329", TimeFormat.BASIC_DATE.format(TimeFormat.BASIC_DATE.parse("19580329")));
  }

  @Test
  void impossibleDatesAreRefusedWithTheText() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TimeFormat.DATE.parse("2001-02-30"));
    assertTrue(
        e.getMessage().contains("'2001-02-30'") && e.getMessage().contains("ISO date"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TimeFormat.BASIC_DATE.parse("19581332"));
    assertThrows(IllegalArgumentException.class, () -> TimeFormat.YEAR.parse("2001-12"));
  }
}
