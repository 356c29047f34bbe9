package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.io.ModelFileException;
import dev.timestep.io.ModelMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A series read with the user's time pattern keeps it through the model file's last rows, continues
 * by its calendar step, and still loads in a reader that knows only the recognised formats.
 */
class TimePatternInModelFileTest {
  private static final TimeFormat MONTHLY = TimeFormat.ofPattern("MM/yyyy");

  private static TimeSeries monthly(String... labels) {
    float[] v = new float[labels.length];
    return TimeSeries.of(
        "m.csv",
        MONTHLY,
        java.util.Arrays.stream(labels).map(MONTHLY::parse).toList(),
        List.of("v"),
        new float[][] {v});
  }

  private static SeriesModelInfo info() {
    return new SeriesModelInfo(
        "linear",
        WindowSpec.Layout.VECTOR,
        0,
        1,
        2,
        1,
        List.of("v"),
        "v",
        "none",
        SeriesModelInfo.identityScaler(List.of("v")),
        false,
        0,
        "csv m.csv",
        "month",
        null);
  }

  @Test
  void futureTimesFollowTheCalendarMonthsOfAPattern() {
    TimeSeries s = monthly("11/2001", "12/2001");
    assertEquals(
        List.of("01/2002", "02/2002", "03/2002"),
        FutureTimes.after(s, 3).stream().map(MONTHLY::format).toList());
  }

  @Test
  void thePatternRoundTripsThroughTheKeptRows() {
    SeriesTail tail = SeriesTail.of(monthly("10/2001", "11/2001", "12/2001"), List.of("v"), 3);
    ModelMetadata m = tail.toMetadata();
    assertEquals("MM/yyyy", m.text("series.tail.time_pattern").orElseThrow());
    // an older reader, which knows no patterns, reads the recognised format of the same step
    assertEquals("YEAR_MONTH", m.text("series.tail.time_format").orElseThrow());
    SeriesTail back = SeriesTail.fromMetadata(m, info(), "m.tsm");
    assertEquals(tail, back);
    TimeSeries again = back.toSeries("kept rows");
    assertEquals(MONTHLY, again.timeFormat());
    assertEquals("12/2001", again.timeLabel(2));
    assertEquals("01/2002", MONTHLY.format(FutureTimes.after(again, 1).get(0)));
  }

  @Test
  void keptRowsWithoutAPatternLoadAsBefore() {
    SeriesTail tail =
        SeriesTail.of(
            TimeSeries.of(
                "m.csv",
                TimeFormat.YEAR_MONTH,
                List.of(
                    TimeFormat.YEAR_MONTH.parse("2001-11"), TimeFormat.YEAR_MONTH.parse("2001-12")),
                List.of("v"),
                new float[][] {{1, 2}}),
            List.of("v"),
            2);
    ModelMetadata m = tail.toMetadata();
    assertTrue(m.text("series.tail.time_pattern").isEmpty(), "no pattern entry: as files were");
    assertEquals(TimeFormat.YEAR_MONTH, SeriesTail.fromMetadata(m, info(), "m.tsm").format());
  }

  @Test
  void aBrokenPatternInAModelFileIsRefusedNamingTheFile() {
    ModelMetadata good = SeriesTail.of(monthly("11/2001", "12/2001"), List.of("v"), 2).toMetadata();
    ModelMetadata bad =
        ModelMetadata.builder().putAll(good).put("series.tail.time_pattern", "MM").build();
    ModelFileException e =
        assertThrows(
            ModelFileException.class, () -> SeriesTail.fromMetadata(bad, info(), "bad.tsm"));
    assertTrue(
        e.getMessage().contains("bad.tsm") && e.getMessage().contains("'MM'"), e.getMessage());
  }
}
