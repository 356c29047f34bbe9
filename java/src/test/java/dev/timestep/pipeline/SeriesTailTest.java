package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesTailTest {
  private static TimeSeries quarterly(float[] a, float[] b) {
    List<LocalDateTime> times = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      times.add(LocalDate.of(1985, 1, 1).plusMonths(3L * i).atStartOfDay());
    }
    return TimeSeries.of(
        "q.csv", TimeFormat.YEAR_SPACE_QUARTER, times, List.of("a", "b"), new float[][] {a, b});
  }

  @Test
  void keepsTheLastRowsOfTheModelsColumnsWithGapsAndRoundTripsThroughMetadata() {
    float nan = Float.NaN;
    TimeSeries s =
        quarterly(new float[] {1, 2, 3, nan, 5.25f, 6}, new float[] {10, 20, 30, 40, 50, 60});
    SeriesTail t = SeriesTail.of(s, List.of("b", "a"), 3);
    assertEquals(3, t.rows());
    assertArrayEquals(new float[] {40, 50, 60}, t.values()[0]);
    assertArrayEquals(new float[] {nan, 5.25f, 6}, t.values()[1]);
    assertEquals(s.time(3), t.times().get(0));
    SeriesModelInfo info =
        new SeriesModelInfo(
            "linear",
            dev.timestep.data.series.WindowSpec.Layout.VECTOR,
            0,
            1,
            3,
            1,
            List.of("b", "a"),
            "b",
            "none",
            SeriesModelInfo.identityScaler(List.of("b", "a")),
            false,
            0,
            "csv q.csv",
            "t",
            null);
    SeriesTail back = SeriesTail.fromMetadata(t.toMetadata(), info, "m.tsm");
    assertEquals(t, back);
    assertEquals(TimeFormat.YEAR_SPACE_QUARTER, back.toSeries("x").timeFormat());
  }

  @Test
  void aWindowOfOneStillKeepsTwoRowsForTheStep() {
    SeriesTail t =
        SeriesTail.of(quarterly(new float[] {1, 2, 3}, new float[] {4, 5, 6}), List.of("a"), 1);
    assertEquals(2, t.rows());
  }

  @Test
  void refusesRowsThatDoNotMatchTheirTimes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new SeriesTail(
                    "s",
                    TimeFormat.YEAR,
                    List.of(LocalDateTime.of(2000, 1, 1, 0, 0), LocalDateTime.of(2001, 1, 1, 0, 0)),
                    List.of("a"),
                    new float[][] {{1}}));
    assertTrue(e.getMessage().contains("must hold 2 values"), e.getMessage());
  }
}
