package dev.timestep.data.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** Quarterly labels: each quarter is its first day, and is written back as it was read. */
class TimeFormatQuarterTest {

  @Test
  void recognisesTheThreeWaysOfWritingAQuarter() {
    assertEquals(TimeFormat.YEAR_DASH_QUARTER, TimeFormat.recognise("1985-Q2"));
    assertEquals(TimeFormat.YEAR_SPACE_QUARTER, TimeFormat.recognise("1985 Q2"));
    assertEquals(TimeFormat.YEAR_QUARTER, TimeFormat.recognise("1985Q2"));
    assertEquals(TimeFormat.YEAR_QUARTER, TimeFormat.recognise("1985q4"));
    assertEquals(null, TimeFormat.recognise("1985 Q5"));
    assertEquals(TimeFormat.YEAR_MONTH, TimeFormat.recognise("1985-04"));
  }

  @Test
  void aQuarterStartsOnItsFirstDay() {
    assertEquals(
        LocalDateTime.of(1985, 4, 1, 0, 0), TimeFormat.YEAR_SPACE_QUARTER.parse("1985 Q2"));
    assertEquals(
        LocalDateTime.of(1985, 10, 1, 0, 0), TimeFormat.YEAR_DASH_QUARTER.parse("1985-Q4"));
    assertEquals(LocalDateTime.of(1985, 1, 1, 0, 0), TimeFormat.YEAR_QUARTER.parse("1985q1"));
    assertEquals(LocalDateTime.of(1985, 4, 1, 0, 0), TimeFormat.YEAR_MONTH.parse("1985-04"));
  }

  @Test
  void writesAQuarterInItsOwnStyle() {
    LocalDateTime august = LocalDateTime.of(1985, 8, 15, 0, 0);
    assertEquals("1985-Q3", TimeFormat.YEAR_DASH_QUARTER.format(august));
    assertEquals("1985 Q3", TimeFormat.YEAR_SPACE_QUARTER.format(august));
    assertEquals("1985Q3", TimeFormat.YEAR_QUARTER.format(august));
  }

  @Test
  void refusesALabelOfAnotherForm() {
    assertThrows(
        IllegalArgumentException.class, () -> TimeFormat.YEAR_SPACE_QUARTER.parse("1985-Q2"));
  }
}
