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

/** CSV files with other delimiters and time formats than the recognised, comma-separated ones. */
class CsvDialectReadTest {
  @TempDir Path dir;

  private static final TimeFormat DAY_FIRST = TimeFormat.ofPattern("dd.MM.yyyy");

  private static void assertMentions(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  private TimeSeries read(char delimiter, String name, String text) {
    return CsvSeriesReader.defaults()
        .delimiter(delimiter)
        .timeFormat(DAY_FIRST)
        .read(write(dir, name, text));
  }

  @Test
  void readsEachDelimiterWithADayFirstDate() {
    for (char d : new char[] {';', '\t', '|', ','}) {
      String text =
          ("datum;menge;preis\n30.12.2001;1.5;10\n31.12.2001;;11\n01.01.2002;2.25;12\n")
              .replace(';', d);
      TimeSeries s = read(d, "d" + (int) d + ".csv", text);
      assertEquals(List.of("menge", "preis"), s.columnNames(), "delimiter " + (int) d);
      assertEquals(LocalDateTime.of(2002, 1, 1, 0, 0), s.time(2));
      assertArrayEquals(new float[] {1.5f, Float.NaN, 2.25f}, s.column("menge"));
      assertArrayEquals(new float[] {10, 11, 12}, s.column("preis"));
      assertEquals(DAY_FIRST, s.timeFormat());
      assertEquals("31.12.2001", s.timeLabel(1), "labels are written in the given pattern");
    }
  }

  @Test
  void aGivenFormatIsTheOnlyOneTried() {
    // 2001-12-30 would be recognised as an ISO date; with a pattern given, it is refused
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> read(';', "iso.csv", "datum;menge\n29.12.2001;1\n2001-12-30;2\n"));
    assertMentions(
        e, "iso.csv line 3", "column 'datum'", "'2001-12-30'", "time format 'dd.MM.yyyy'");
  }

  @Test
  void aRowThatDoesNotParseNamesTheFileLineValueAndPattern() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                read(
                    ';',
                    "feb.csv",
                    "datum;menge\n27.02.2001;1\n28.02.2001;2\n\n29.02.2001;3\n01.03.2001;4\n"));
    assertMentions(e, "feb.csv line 5", "'29.02.2001'", "'dd.MM.yyyy'", "February 29");
  }

  @Test
  void aDecimalCommaIsRefusedNamingTheCell() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> read(';', "eu.csv", "datum;menge\n29.12.2001;1,5\n30.12.2001;2\n"));
    assertMentions(e, "eu.csv line 2", "column 'menge'", "'1,5'", "decimal comma", "'.'");
    IllegalArgumentException grouped =
        assertThrows(
            IllegalArgumentException.class,
            () -> read(';', "eu2.csv", "datum;menge\n29.12.2001;1.234,5\n"));
    assertMentions(grouped, "'1.234,5'", "decimal comma");
  }

  @Test
  void refusesDelimitersThatValuesAndTimesUse() {
    for (char bad : new char[] {'.', '-', ':', '+', ' ', 'a', '7', '"', '\n'}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> CsvSeriesReader.defaults().delimiter(bad),
              "delimiter " + (int) bad);
      assertMentions(e, "delimiter");
    }
    assertEquals(';', CsvSeriesReader.defaults().delimiter(';').delimiter());
  }

  @Test
  void aFileSeparatedOtherwiseGetsAHintToGiveItsDelimiter() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CsvSeriesReader.defaults()
                    .read(write(dir, "semi.csv", "Datum;Umsatz\n29.12.2001;1\n")));
    assertMentions(e, "semi.csv", "separated by ';'", "--delimiter ';'");
    IllegalArgumentException tab =
        assertThrows(
            IllegalArgumentException.class,
            () -> CsvSeriesReader.defaults().read(write(dir, "tab.csv", "t\tv\n2001\t1\n")));
    assertMentions(tab, "separated by tab", "--delimiter tab");
  }

  @Test
  void withoutAGivenFormatTheFirstRowStillDecides() {
    TimeSeries s =
        CsvSeriesReader.defaults()
            .delimiter('|')
            .read(write(dir, "q.csv", "quarter|sales\n1985 Q1|1\n1985 Q2|2\n"));
    assertEquals(TimeFormat.YEAR_SPACE_QUARTER, s.timeFormat());
    assertEquals(null, CsvSeriesReader.defaults().timeFormat());
  }
}
