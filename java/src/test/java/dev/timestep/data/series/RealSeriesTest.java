package dev.timestep.data.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class RealSeriesTest {

  @Test
  void maunaLoaHasEveryWeekWithItsFiftyNineGapsKeptAsMissing() {
    TimeSeries co2 = RealSeries.maunaLoaCo2();
    assertEquals(2284, co2.length());
    assertEquals(List.of("co2"), co2.columnNames());
    assertEquals(LocalDateTime.of(1958, 3, 29, 0, 0), co2.time(0));
    assertEquals(LocalDateTime.of(2001, 12, 29, 0, 0), co2.time(co2.length() - 1));
    // Counted from the file (blank co2 cells): 59.
    assertEquals(59, co2.missingCount());
    // The blank weeks are rows of their own, so the series stays on a weekly grid.
    for (int t = 1; t < co2.length(); t++) {
      assertEquals(Duration.ofDays(7), Duration.between(co2.time(t - 1), co2.time(t)), "row " + t);
    }
    MissingReport.Column gaps = co2.missingReport().column("co2");
    assertEquals(List.of(6, 9, 10, 11, 12), gaps.firstRows());
    assertEquals("19580510", co2.timeLabel(6));
    // No blank was read as zero: every present value is a plausible concentration.
    for (float v : co2.column(0)) {
      assertTrue(Float.isNaN(v) || (v >= 313f && v <= 374f), "value " + v);
    }
  }

  @Test
  void maunaLoaWindowsSkipExactlyThoseThatTouchAGap() {
    TimeSeries co2 = RealSeries.maunaLoaCo2();
    Windows w = SeriesWindows.build(co2, WindowSpec.vector(52, 4));
    boolean[] gap = co2.missingMask(0);
    int clean = 0;
    int starts = co2.length() - 56 + 1;
    for (int s = 0; s < starts; s++) {
      boolean ok = true;
      for (int t = s; t < s + 56; t++) {
        ok &= !gap[t];
      }
      clean += ok ? 1 : 0;
    }
    assertEquals(starts, w.candidates());
    assertEquals(clean, w.size());
    assertTrue(w.skippedForMissing() > 0 && w.size() > 0, w.toString());
  }

  @Test
  void sunspotsCoverThreeHundredAndNineYears() {
    TimeSeries sun = RealSeries.sunspots();
    assertEquals(309, sun.length());
    assertEquals(List.of("SUNACTIVITY"), sun.columnNames());
    assertEquals(TimeFormat.YEAR, sun.timeFormat());
    assertEquals("1700", sun.timeLabel(0));
    assertEquals("2008", sun.timeLabel(308));
    assertEquals(0, sun.missingCount());
    assertEquals(5f, sun.value(0, 0));
    assertEquals(2.9f, sun.value(308, 0));
  }

  @Test
  void theReportListsTheFirstGapsWithTheirTimes() {
    String report = RealSeries.maunaLoaCo2().missingReport().toString();
    assertTrue(report.startsWith("mauna-loa-co2-weekly.csv: 59 missing of 2284 values"), report);
    assertTrue(
        report.contains("co2: 59 missing, first at row 6 (1958-05-10), row 9 (1958-05-31)"),
        report);
    assertTrue(report.endsWith(", ..."), report);
  }
}
