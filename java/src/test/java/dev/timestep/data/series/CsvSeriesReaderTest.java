package dev.timestep.data.series;

import static dev.timestep.data.series.CsvTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSeriesReaderTest {
  @TempDir Path dir;

  private IllegalArgumentException failure(String name, String text) {
    return failure(CsvSeriesReader.defaults(), name, text);
  }

  private IllegalArgumentException failure(CsvSeriesReader reader, String name, String text) {
    Path file = write(dir, name, text);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> reader.read(file));
    assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
    assertTrue(e.getMessage().contains(name), "names the file: " + e.getMessage());
    return e;
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void readsAUnivariateSeriesWithItsNamesAndTimes() {
    TimeSeries s =
        CsvSeriesReader.defaults()
            .read(write(dir, "u.csv", "day,level\n2020-01-01,1.5\n2020-01-02,2\n"));
    assertEquals(List.of("level"), s.columnNames());
    assertEquals(TimeFormat.DATE, s.timeFormat());
    assertEquals(2, s.length());
    assertEquals(LocalDateTime.of(2020, 1, 2, 0, 0), s.time(1));
    assertArrayEquals(new float[] {1.5f, 2f}, s.column("level"));
    assertEquals(0, s.missingCount());
    assertTrue(s.source().endsWith("u.csv"));
  }

  @Test
  void readsAMultivariateSeriesAndPicksColumnsInTheOrderAsked() {
    String text =
        "temp,when,rain\n1,2000-01-01T00:00,10\n2,2000-01-01T06:00,20\n3,2000-01-01T12:00,30\n";
    TimeSeries all = CsvSeriesReader.defaults().timeColumn("when").read(write(dir, "m.csv", text));
    assertEquals(List.of("temp", "rain"), all.columnNames());
    assertArrayEquals(new float[] {10, 20, 30}, all.column("rain"));
    assertEquals(LocalDateTime.of(2000, 1, 1, 6, 0), all.time(1));

    TimeSeries picked =
        CsvSeriesReader.defaults()
            .timeColumn("when")
            .valueColumns("rain", "temp")
            .read(write(dir, "m2.csv", text));
    assertEquals(List.of("rain", "temp"), picked.columnNames());
    assertEquals(30f, picked.value(2, 0));
  }

  @Test
  void standardMarkersAreMissingNeverZero() {
    String text = "year,a,b\n1,,1\n2,NA,2\n3,NaN,n/a\n4,4,null\n5,5,5\n";
    TimeSeries s = CsvSeriesReader.defaults().read(write(dir, "gaps.csv", text));
    assertEquals(3, s.missingCount("a"));
    assertEquals(2, s.missingCount("b"));
    assertTrue(Float.isNaN(s.value(0, 0)));
    assertArrayEquals(new boolean[] {true, true, true, false, false}, s.missingMask(0));
    MissingReport.Column a = s.missingReport().column("a");
    assertEquals(List.of(0, 1, 2), a.firstRows());
    assertEquals(5, s.missingReport().totalMissing());
  }

  @Test
  void aSentinelIsMissingOnlyWhenTheCallerSaysSo() {
    String text = "year,v\n1,-99.99\n2,3\n3,-1\n";
    TimeSeries plain = CsvSeriesReader.defaults().read(write(dir, "s.csv", text));
    assertEquals(0, plain.missingCount());
    assertEquals(-99.99f, plain.value(0, 0));

    TimeSeries marked =
        CsvSeriesReader.defaults().missingMarkers("-99.990").read(write(dir, "s2.csv", text));
    assertEquals(1, marked.missingCount());
    assertTrue(marked.isMissing(0, 0));
    assertEquals(-1f, marked.value(2, 0));

    TimeSeries both =
        CsvSeriesReader.defaults().missingMarkers("-99.99", "-1").read(write(dir, "s3.csv", text));
    assertEquals(2, both.missingCount());

    TimeSeries dashes =
        CsvSeriesReader.defaults()
            .missingMarkers("--")
            .read(write(dir, "s4.csv", "year,v\n1,--\n2,3\n"));
    assertTrue(dashes.isMissing(0, 0));
  }

  @Test
  void aNonNumericValueNamesFileLineColumnAndText() {
    IllegalArgumentException e =
        failure("bad.csv", "date,co2\n19580329,316.1\n19580405,317.3\n19580412,abc\n");
    assertMentions(e, "bad.csv", "line 4", "column 'co2'", "'abc'", "number");
  }

  @Test
  void infinityAndOverflowAreNotNumbersHere() {
    assertMentions(failure("inf.csv", "year,v\n1,Infinity\n"), "line 2", "'Infinity'");
    assertMentions(failure("big.csv", "year,v\n1,1e60\n"), "line 2", "too large");
  }

  @Test
  void structuralProblemsGiveClearErrors() {
    assertMentions(failure("empty.csv", ""), "is empty");
    assertMentions(failure("blank.csv", "\n\n"), "is empty");
    assertMentions(failure("onlyheader.csv", "date,v\n"), "no data rows");
    assertMentions(failure("noheader.csv", "1700,5\n1701,11\n"), "line 1", "expected a header row");
    assertMentions(failure("onecolumn.csv", "date\n2001\n"), "at least one value column");
    assertMentions(failure("blankname.csv", "date,,v\n2001,1,2\n"), "column 2", "has no name");
    assertMentions(failure("twice.csv", "date,v,v\n2001,1,2\n"), "'v' appears twice");
    assertMentions(
        failure("ragged.csv", "date,v\n2001,1\n2002,2,3\n"), "line 3", "3 fields", "header has 2");
    assertMentions(failure("quote.csv", "date,v\n2001,\"1\n"), "malformed CSV");
  }

  @Test
  void unknownColumnsNameTheHeader() {
    String text = "date,co2\n2001,1\n";
    assertMentions(
        failure(CsvSeriesReader.defaults().timeColumn("time"), "t.csv", text),
        "no column 'time'",
        "[date, co2]");
    assertMentions(
        failure(CsvSeriesReader.defaults().valueColumns("ch4"), "v.csv", text), "no column 'ch4'");
    assertMentions(
        failure(CsvSeriesReader.defaults().timeColumn("date").valueColumns("date"), "d.csv", text),
        "'date' is the time column");
  }

  @Test
  void badTimesAreRefused() {
    assertMentions(
        failure("words.csv", "date,v\nMarch,1\n"),
        "line 2",
        "column 'date'",
        "'March'",
        "as a time");
    assertMentions(
        failure("mixed.csv", "date,v\n2001-01-01,1\n2001-02,2\n"),
        "line 3",
        "'2001-02'",
        "ISO date");
    assertMentions(failure("notime.csv", "date,v\n2001,1\n,2\n"), "line 3", "time is empty");
    assertMentions(
        failure("order.csv", "date,v\n2001,1\n2003,2\n2002,3\n"),
        "line 4",
        "does not come after",
        "2003");
    assertMentions(
        failure("feb30.csv", "date,v\n2001-02-28,1\n2001-02-30,2\n"), "line 3", "2001-02-30");
  }

  @Test
  void quotedHeadersBomDelimiterAndBlankLinesAreHandled() {
    TimeSeries s =
        CsvSeriesReader.defaults()
            .delimiter(';')
            .read(
                write(
                    dir, "semi.csv", "\uFEFF\"YEAR\";\"SUN ACTIVITY\"\n\n1700; 5\n1701;11.5\n\n"));
    assertEquals(List.of("SUN ACTIVITY"), s.columnNames());
    assertArrayEquals(new float[] {5f, 11.5f}, s.column(0));
    assertEquals(TimeFormat.YEAR, s.timeFormat());
    assertEquals("1701", s.timeLabel(1));
  }

  @Test
  void decimalYearsAreReadAsTimes() {
    TimeSeries s =
        CsvSeriesReader.defaults()
            .read(write(dir, "dec.csv", "time,co2\n1958.2027,316.1\n1958.2219,317.3\n"));
    assertEquals(TimeFormat.DECIMAL_YEAR, s.timeFormat());
    assertEquals(1958.2027, s.decimalYears()[0], 1e-6);
    // 0.2027 of 365 days is 73.99 days after 1 January: late on 15 March.
    assertEquals(java.time.LocalDate.of(1958, 3, 15), s.time(0).toLocalDate());
  }

  @Test
  void missingFilesAndResourcesAreNamed() {
    IllegalArgumentException file =
        assertThrows(
            IllegalArgumentException.class,
            () -> CsvSeriesReader.defaults().read(dir.resolve("absent.csv")));
    assertMentions(file, "not found", "absent.csv");
    IllegalArgumentException resource =
        assertThrows(
            IllegalArgumentException.class,
            () -> CsvSeriesReader.defaults().readResource("dev/timestep/data/absent.csv"));
    assertMentions(resource, "not found", "/dev/timestep/data/absent.csv");
  }

  @Test
  void readsAClasspathResource() {
    TimeSeries s = CsvSeriesReader.defaults().readResource("dev/timestep/data/sunspots-yearly.csv");
    assertEquals("sunspots-yearly.csv", s.source());
    assertEquals(List.of("SUNACTIVITY"), s.columnNames());
  }

  @Test
  void optionsRefuseNonsense() {
    assertThrows(IllegalArgumentException.class, () -> CsvSeriesReader.defaults().timeColumn(" "));
    assertThrows(IllegalArgumentException.class, () -> CsvSeriesReader.defaults().valueColumns());
    assertThrows(IllegalArgumentException.class, () -> CsvSeriesReader.defaults().delimiter('"'));
    assertThrows(
        IllegalArgumentException.class,
        () -> CsvSeriesReader.defaults().missingMarkers((String) null));
  }
}
