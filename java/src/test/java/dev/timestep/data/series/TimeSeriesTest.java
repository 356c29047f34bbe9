package dev.timestep.data.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.tensor.NDArray;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSeriesTest {
  static final float NA = Float.NaN;

  /** Yearly times from 2000, one per value. */
  static List<LocalDateTime> years(int n) {
    List<LocalDateTime> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(LocalDateTime.of(2000 + i, 1, 1, 0, 0));
    }
    return out;
  }

  static TimeSeries series(List<String> names, float[]... columns) {
    return TimeSeries.of("test", TimeFormat.YEAR, years(columns[0].length), names, columns);
  }

  @Test
  void missingValuesAreCountedAndLocatedPerColumn() {
    TimeSeries s = series(List.of("a", "b"), new float[] {1, NA, 3, NA}, new float[] {NA, 2, 3, 4});
    assertEquals(2, s.missingCount(0));
    assertEquals(1, s.missingCount("b"));
    assertEquals(3, s.missingCount());
    assertArrayEquals(new boolean[] {false, true, false, true}, s.missingMask(0));
    MissingReport r = s.missingReport();
    assertEquals(List.of(1, 3), r.column("a").firstRows());
    assertEquals(LocalDateTime.of(2001, 1, 1, 0, 0), r.column("a").firstTimes().get(0));
    assertEquals(List.of(0), r.column("b").firstRows());
    assertThrows(IllegalArgumentException.class, () -> r.column("c"));
  }

  @Test
  void theReportShowsAtMostTheFirstFiveGaps() {
    float[] v = new float[12];
    java.util.Arrays.fill(v, NA);
    v[0] = 1;
    MissingReport.Column c = series(List.of("x"), v).missingReport().column("x");
    assertEquals(11, c.missing());
    assertEquals(List.of(1, 2, 3, 4, 5), c.firstRows());
  }

  @Test
  void toArrayIsRowsByColumnsWithNaNKept() {
    NDArray a = series(List.of("a", "b"), new float[] {1, NA}, new float[] {3, 4}).toArray();
    assertEquals(List.of(2, 2), List.of(a.dim(0), a.dim(1)));
    assertEquals(1f, a.get(0, 0));
    assertEquals(3f, a.get(0, 1));
    assertTrue(Float.isNaN(a.get(1, 0)));
  }

  @Test
  void selectSliceAndWithValuesKeepNamesAndTimes() {
    TimeSeries s = series(List.of("a", "b"), new float[] {1, 2, 3}, new float[] {4, 5, 6});
    TimeSeries b = s.select("b");
    assertEquals(List.of("b"), b.columnNames());
    assertArrayEquals(new float[] {4, 5, 6}, b.column(0));
    TimeSeries tail = s.slice(1, 3);
    assertEquals("2001", tail.timeLabel(0));
    assertArrayEquals(new float[] {2, 3}, tail.column("a"));
    TimeSeries doubled = s.withValues(new float[][] {{2, 4, 6}, {8, 10, 12}});
    assertEquals(12f, doubled.value(2, 1));
    // accessors hand out copies: changing one leaves the series alone
    s.column(0)[0] = 99;
    assertEquals(1f, s.value(0, 0));
  }

  @Test
  void badPartsAreRefused() {
    IllegalArgumentException order =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TimeSeries.of(
                    "t",
                    TimeFormat.YEAR,
                    List.of(years(2).get(1), years(2).get(0)),
                    List.of("a"),
                    new float[][] {{1, 2}}));
    assertTrue(order.getMessage().contains("strictly increasing"), order.getMessage());
    IllegalArgumentException length =
        assertThrows(
            IllegalArgumentException.class,
            () -> series(List.of("a", "b"), new float[] {1, 2}, new float[] {1}));
    assertTrue(length.getMessage().contains("column 'b' has 1 values"), length.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> series(List.of("a", "a"), new float[] {1}, new float[] {1}));
    IllegalArgumentException inf =
        assertThrows(
            IllegalArgumentException.class,
            () -> series(List.of("a"), new float[] {Float.POSITIVE_INFINITY}));
    assertTrue(inf.getMessage().contains("infinite"), inf.getMessage());
    TimeSeries s = series(List.of("a"), new float[] {1, 2});
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> s.column("z"));
    assertTrue(unknown.getMessage().contains("unknown column 'z'"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.slice(1, 1));
  }
}
