package dev.timestep.data.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long-format rows (id, time, values) into one series per id. */
class LongFormatTest {
  private static LocalDateTime month(int m) {
    return LocalDate.of(2020, 1, 1).plusMonths(m).atStartOfDay();
  }

  private static ManySeries read(String csv) throws Exception {
    return LongCsvReader.idColumn("store").read(new StringReader(csv), "s.csv");
  }

  @Test
  void rowsInAnyOrderBecomeOneSortedSeriesPerIdInOrderOfFirstAppearance() throws Exception {
    ManySeries m =
        read(
            "store,date,sales\n"
                + "b,2020-02,20\n"
                + "a,2020-03,3\n"
                + "a,2020-01,1\n"
                + "b,2020-01,10\n"
                + "a,2020-02,NA\n");
    assertEquals(List.of("b", "a"), m.ids());
    TimeSeries a = m.get("a");
    assertEquals(List.of(month(0), month(1), month(2)), a.times());
    assertArrayEquals(new float[] {1, Float.NaN, 3}, a.column("sales"));
    assertEquals(TimeFormat.YEAR_MONTH, a.timeFormat());
    assertEquals("s.csv [a]", a.source());
    assertArrayEquals(new float[] {10, 20}, m.get("b").column(0));
    assertTrue(m.skipped().isEmpty());
  }

  @Test
  void aRepeatedIdAndTimeIsRefusedNamingBothLines() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> read("store,date,sales\na,2020-01,1\nb,2020-01,2\na,2020-01,3\n"));
    assertEquals(
        "s.csv line 4: id 'a' has two rows at 2020-01 (the other is line 2); each (id, time) must"
            + " appear once",
        e.getMessage());
  }

  @Test
  void theColumnsAreChosenByName() throws Exception {
    ManySeries m =
        LongCsvReader.idColumn("id")
            .timeColumn("t")
            .valueColumns("y")
            .missingMarkers("-1")
            .read(new StringReader("x,t,id,y\n5,2001,k,-1\n6,2002,k,4\n"), "p.csv");
    assertEquals(List.of("y"), m.get("k").columnNames());
    assertArrayEquals(new float[] {Float.NaN, 4}, m.get("k").column(0));
    IllegalArgumentException noId =
        assertThrows(
            IllegalArgumentException.class,
            () -> LongCsvReader.idColumn("shop").read(new StringReader("id,t,y\nk,2001,1\n"), "p"));
    assertTrue(noId.getMessage().contains("no column 'shop'"), noId.getMessage());
    IllegalArgumentException both =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LongCsvReader.idColumn("id")
                    .valueColumns("id")
                    .read(new StringReader("id,t,y\nk,2001,1\n"), "p"));
    assertTrue(both.getMessage().contains("is the id column"), both.getMessage());
    IllegalArgumentException emptyId =
        assertThrows(IllegalArgumentException.class, () -> read("store,date,v\n,2001,1\n"));
    assertEquals("s.csv line 2: the id is empty", emptyId.getMessage());
  }

  @Test
  void aFileIsReadWithTheSingleSeriesReadersChecks(@TempDir Path dir) throws Exception {
    Path csv = Files.writeString(dir.resolve("l.csv"), "store,date,v\na,2001-01-05,1\n");
    assertEquals(1, LongCsvReader.idColumn("store").read(csv).size());
    Path latin =
        Files.write(dir.resolve("latin.csv"), new byte[] {'s', ',', 'd', '\n', (byte) 0xe9});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LongCsvReader.idColumn("s").read(latin));
    assertTrue(e.getMessage().contains("is not UTF-8 text"), e.getMessage());
  }

  @Test
  void arraysFromMemoryGroupAsTheFileDoes() {
    String[] ids = {"x", "y", "x"};
    LocalDateTime[] times = {month(1), month(0), month(0)};
    ManySeries m =
        LongFormat.group(
            "mem", TimeFormat.YEAR_MONTH, ids, times, List.of("v"), new float[][] {{2, 9, 1}});
    assertArrayEquals(new float[] {1, 2}, m.get("x").column(0));
    // one group's rows, as a Spark group hands them over
    TimeSeries one =
        LongFormat.series(
            "x",
            TimeFormat.YEAR_MONTH,
            new LocalDateTime[] {month(1), month(0)},
            List.of("v"),
            new float[][] {{2, 1}});
    assertArrayEquals(new float[] {1, 2}, one.column(0));
    IllegalArgumentException dup =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LongFormat.group(
                    "mem",
                    TimeFormat.YEAR_MONTH,
                    new String[] {"x", "x"},
                    new LocalDateTime[] {month(0), month(0)},
                    List.of("v"),
                    new float[][] {{1, 2}}));
    assertTrue(dup.getMessage().contains("mem row 1: id 'x' has two rows"), dup.getMessage());
    IllegalArgumentException lengths =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LongFormat.group(
                    "mem", TimeFormat.YEAR, ids, times, List.of("v"), new float[][] {{1, 2}}));
    assertTrue(lengths.getMessage().contains("column 'v' has 2 values"), lengths.getMessage());
  }

  @Test
  void shortOrEmptySeriesAreSkippedWithTheirReason() throws Exception {
    ManySeries m =
        read(
            "store,date,v\n"
                + "long,2001,1\nlong,2002,2\nlong,2003,3\n"
                + "short,2001,1\nshort,2002,2\n"
                + "empty,2001,NA\nempty,2002,\nempty,2003,NA\n");
    ManySeries kept = m.withAtLeast(3, "v", "window 2 + horizon 1");
    assertEquals(List.of("long"), kept.ids());
    assertEquals(
        List.of(
            new SkippedSeries("short", "2 rows, fewer than the 3 needed for window 2 + horizon 1"),
            new SkippedSeries("empty", "no observed value in column 'v'")),
        kept.skipped());
  }
}
