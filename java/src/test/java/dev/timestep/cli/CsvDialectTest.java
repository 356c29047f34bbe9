package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.data.series.TimeFormat;
import dev.timestep.io.ModelMetadata;
import org.junit.jupiter.api.Test;

/** --delimiter and --time-format as options, and as a model file keeps them. */
class CsvDialectTest {

  private static void assertMentions(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void readsEachDelimiterSpelling() {
    assertEquals(CsvDialect.DEFAULT, CsvDialect.of(null, null));
    assertEquals(';', CsvDialect.of(";", null).delimiter());
    assertEquals('|', CsvDialect.of("|", null).delimiter());
    assertEquals('\t', CsvDialect.of("tab", null).delimiter());
    assertEquals('\t', CsvDialect.of("TAB", null).delimiter());
    assertEquals('\t', CsvDialect.of("\\t", null).delimiter());
    assertEquals('\t', CsvDialect.of("\t", null).delimiter());
    assertNull(CsvDialect.of(";", null).timeFormat());
    assertEquals(
        TimeFormat.ofPattern("dd.MM.yyyy"), CsvDialect.of(null, "dd.MM.yyyy").timeFormat());
  }

  @Test
  void refusesBadOptionsNamingThem() {
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> CsvDialect.of(";;", null)),
        "--delimiter",
        "one character",
        "';;'");
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> CsvDialect.of(".", null)),
        "--delimiter",
        "'.'");
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> CsvDialect.of(null, "dd.MM")),
        "--time-format",
        "'dd.MM'");
  }

  @Test
  void aModelFileKeepsOnlyWhatDiffersFromTheDefault() {
    assertTrue(CsvDialect.DEFAULT.toMetadata().isEmpty(), "comma and recognised times: no entry");
    CsvDialect d = CsvDialect.of("tab", "yyyy/MM/dd HH:mm");
    ModelMetadata m = d.toMetadata();
    assertEquals("\t", m.text("series.csv.delimiter").orElseThrow());
    assertEquals("yyyy/MM/dd HH:mm", m.text("series.csv.time_format").orElseThrow());
    assertEquals(d, CsvDialect.fromMetadata(m, "m.tsm"));
    assertEquals(CsvDialect.DEFAULT, CsvDialect.fromMetadata(ModelMetadata.EMPTY, "old.tsm"));
  }

  @Test
  void aBadDialectInAModelFileIsRefusedNamingTheFile() {
    ModelMetadata bad = ModelMetadata.builder().put("series.csv.delimiter", "ab").build();
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> CsvDialect.fromMetadata(bad, "x.tsm")),
        "model file x.tsm",
        "series.csv.delimiter");
    ModelMetadata digit = ModelMetadata.builder().put("series.csv.delimiter", "7").build();
    assertThrows(IllegalArgumentException.class, () -> CsvDialect.fromMetadata(digit, "x.tsm"));
  }
}
