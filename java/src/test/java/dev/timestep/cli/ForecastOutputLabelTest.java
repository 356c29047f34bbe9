package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.data.series.TimeFormat;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forecast --output writes times in the series' pattern, as fields a CSV reader splits right. */
class ForecastOutputLabelTest {

  @Test
  void aPatternWithACommaIsQuoted(@TempDir Path dir) throws Exception {
    TimeFormat f = TimeFormat.ofPattern("MMM d, yyyy");
    Path out = dir.resolve("f.csv");
    ForecastOutput.write(
        out,
        ForecastOutput.Table.withSpread(
            "sales",
            f,
            List.of(LocalDateTime.of(2001, 12, 29, 0, 0), LocalDateTime.of(2001, 12, 30, 0, 0)),
            new double[] {1.5, 2.5},
            new double[] {1, 1},
            2));
    assertEquals("\"Dec 29, 2001\",1.50,-0.46,3.46", Files.readAllLines(out).get(1));
    try (Reader in = Files.newBufferedReader(out);
        CSVParser p = CSVParser.builder().setReader(in).setFormat(CSVFormat.DEFAULT).get()) {
      List<CSVRecord> rows = p.getRecords();
      assertEquals(4, rows.get(2).size());
      assertEquals("Dec 30, 2001", rows.get(2).get(0));
      assertEquals(f.parse("Dec 30, 2001"), LocalDateTime.of(2001, 12, 30, 0, 0));
    }
    assertEquals("31.05.2001", ForecastOutput.field("31.05.2001"));
    assertEquals("\"a \"\"b\"\", c\"", ForecastOutput.field("a \"b\", c"));
  }
}
