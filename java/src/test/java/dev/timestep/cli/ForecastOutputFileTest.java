package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forecast --output: CSV or JSON, labelled in the series' own step, at its own precision. */
class ForecastOutputFileTest {
  /** 100 quarters from 1960 Q1 to 1984 Q4, or 100 months from 1960-01, values with 2 decimals. */
  private static Path writeCsv(Path file, boolean quarterly) throws Exception {
    StringBuilder sb = new StringBuilder("t,value\n");
    for (int i = 0; i < 100; i++) {
      String time =
          quarterly
              ? (1960 + i / 4) + " Q" + (i % 4 + 1)
              : String.format(Locale.ROOT, "%d-%02d", 1960 + i / 12, i % 12 + 1);
      double v = 300 + 10 * Math.sin(2 * Math.PI * i / 4) + 0.37 * i + (i * 7 % 5) * 0.11;
      sb.append(time).append(',').append(String.format(Locale.ROOT, "%.2f", v)).append('\n');
    }
    return Files.writeString(file, sb.toString());
  }

  private static Path train(Path csv, Path model) {
    CliRun r =
        CliRun.of(
            "train",
            "--split",
            "--csv",
            csv.toString(),
            "--model",
            "linear",
            "--window",
            "8",
            "--epochs",
            "2",
            "--backend",
            "cpu",
            "--out",
            model.toString());
    assertEquals(0, r.code(), r.toString());
    return model;
  }

  private static CliRun forecast(Path model, Path csv, Path output, String backtest) {
    return CliRun.of(
        "forecast",
        "--model",
        model.toString(),
        "--csv",
        csv.toString(),
        "--horizon",
        "6",
        "--backtest",
        backtest,
        "--backend",
        "cpu",
        "--output",
        output.toString());
  }

  @Test
  void quarterlyCsvWithIntervalsAtTheSeriesPrecision(@TempDir Path dir) throws Exception {
    Path csv = writeCsv(dir.resolve("q.csv"), true);
    Path model = train(csv, dir.resolve("m.tsm"));
    Path out = dir.resolve("out/f.csv");
    CliRun r = forecast(model, csv, out, "20");
    assertEquals(0, r.code(), r.toString());
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertFalse(text.contains("\r"), "LF line endings");
    List<String> lines = text.lines().toList();
    assertEquals("time,forecast,lower_95,upper_95", lines.get(0));
    assertEquals(7, lines.size(), text);
    String[] quarters = {"1985 Q1", "1985 Q2", "1985 Q3", "1985 Q4", "1986 Q1", "1986 Q2"};
    for (int k = 0; k < 6; k++) {
      String[] cells = lines.get(k + 1).split(",");
      assertEquals(quarters[k], cells[0], text);
      for (int c = 1; c < 4; c++) {
        assertTrue(cells[c].matches("-?\\d+\\.\\d{4}"), "2 + 2 decimals: " + cells[c]);
      }
      double mean = Double.parseDouble(cells[1]);
      double lower = Double.parseDouble(cells[2]);
      double upper = Double.parseDouble(cells[3]);
      assertTrue(lower < mean && mean < upper, lines.get(k + 1));
      assertEquals(mean - lower, upper - mean, 2e-4, "symmetric: " + lines.get(k + 1));
    }
  }

  @Test
  void monthlyJsonWithoutIntervalsHasNoLevels(@TempDir Path dir) throws Exception {
    Path csv = writeCsv(dir.resolve("m.csv"), false);
    Path model = train(csv, dir.resolve("m.tsm"));
    Path out = dir.resolve("f.json");
    CliRun r = forecast(model, csv, out, "0");
    assertEquals(0, r.code(), r.toString());
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertTrue(text.contains("\"target\" : \"value\""), text);
    assertTrue(text.contains("\"levels\" : [ ]"), text);
    List<String> times =
        java.util.regex.Pattern.compile("\"time\" : \"([^\"]+)\"")
            .matcher(text)
            .results()
            .map(m -> m.group(1))
            .toList();
    assertEquals(
        List.of("1968-05", "1968-06", "1968-07", "1968-08", "1968-09", "1968-10"), times, text);
    assertFalse(text.contains("lower_95"), text);
    List<String> values =
        java.util.regex.Pattern.compile("\"forecast\" : (-?[0-9.]+)")
            .matcher(text)
            .results()
            .map(m -> m.group(1))
            .toList();
    assertEquals(6, values.size(), text);
    for (String v : values) {
      assertTrue(v.matches("-?\\d+\\.\\d{4}"), "2 + 2 decimals: " + v);
    }
  }

  @Test
  void anOutputThatIsNeitherCsvNorJsonIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
    Path notAModel = Files.writeString(dir.resolve("m.tsm"), "not read");
    CliRun r =
        CliRun.of(
            "forecast",
            "--model",
            notAModel.toString(),
            "--output",
            dir.resolve("f.txt").toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.errorLine().contains(".csv or .json"), r.errorLine());
  }
}
