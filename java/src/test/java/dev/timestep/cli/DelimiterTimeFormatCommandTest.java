package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train and forecast on a European CSV: ';'-separated, dates as dd.MM.yyyy. The model file keeps
 * both, so forecast reads the stored CSV and labels its rows in the same pattern, with or without
 * the CSV.
 */
class DelimiterTimeFormatCommandTest {
  private static final int ROWS = 150;
  private static final DateTimeFormatter DAY_FIRST = DateTimeFormatter.ofPattern("dd.MM.yyyy");
  private static final LocalDate FIRST = LocalDate.of(2001, 1, 1);

  /** 150 days from 01.01.2001 (the last is 30.05.2001), values with 2 decimals. */
  private static Path writeCsv(Path file) throws Exception {
    StringBuilder sb = new StringBuilder("Datum;Umsatz\n");
    for (int i = 0; i < ROWS; i++) {
      double v = 50 + 5 * Math.sin(2 * Math.PI * i / 7) + 0.1 * i;
      sb.append(FIRST.plusDays(i).format(DAY_FIRST))
          .append(';')
          .append(String.format(Locale.ROOT, "%.2f", v))
          .append('\n');
    }
    return Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  private static CliRun train(Path csv, Path model, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "train",
                "--split",
                "--csv",
                csv.toString(),
                "--model",
                "linear",
                "--window",
                "14",
                "--epochs",
                "1",
                "--backend",
                "cpu",
                "--out",
                model.toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  private static CliRun forecast(Path model, Path output, String backtest) {
    return CliRun.of(
        "forecast",
        "--plot",
        output.resolveSibling(output.getFileName() + ".png").toString(),
        "--model",
        model.toString(),
        "--horizon",
        "3",
        "--backtest",
        backtest,
        "--backend",
        "cpu",
        "--output",
        output.toString());
  }

  private static List<String> times(Path output) throws Exception {
    return Files.readAllLines(output).stream().skip(1).map(l -> l.split(",")[0]).toList();
  }

  @Test
  void forecastLabelsFollowTheTrainingPatternWithAndWithoutTheCsv(@TempDir Path dir)
      throws Exception {
    Path csv = writeCsv(dir.resolve("umsatz.csv"));
    Path model = dir.resolve("m.tsm");
    CliRun t = train(csv, model, "--delimiter", ";", "--time-format", "dd.MM.yyyy");
    assertEquals(0, t.code(), t.toString());

    // the stored CSV is read again (for backtest error bars) with the kept delimiter and pattern
    Path withCsv = dir.resolve("f.csv");
    CliRun f = forecast(model, withCsv, "20");
    assertEquals(0, f.code(), f.toString());
    assertTrue(f.out().contains("error bars: +/- 2 x RMSE"), f.out());
    List<String> lines = Files.readAllLines(withCsv);
    assertEquals("time,forecast,lower_95,upper_95", lines.get(0));
    assertEquals(List.of("31.05.2001", "01.06.2001", "02.06.2001"), times(withCsv));
    assertTrue(f.out().contains("31.05.2001 "), "the printed table too: " + f.out());
    assertTrue(Files.size(dir.resolve("f.csv.png")) > 0);

    // without the CSV, from the rows the model file keeps
    Files.delete(csv);
    Path fromTail = dir.resolve("g.csv");
    CliRun g = forecast(model, fromTail, "0");
    assertEquals(0, g.code(), g.toString());
    assertEquals(List.of("31.05.2001", "01.06.2001", "02.06.2001"), times(fromTail));
  }

  @Test
  void aRowOutOfPatternFailsNamingFileLineValueAndPattern(@TempDir Path dir) throws Exception {
    Path csv = writeCsv(dir.resolve("umsatz.csv"));
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(csv));
    lines.set(40, "2001-02-09;55.00");
    Files.write(csv, lines);
    CliRun r = train(csv, dir.resolve("m.tsm"), "--delimiter", ";", "--time-format", "dd.MM.yyyy");
    assertEquals(2, r.code(), r.toString());
    String error = r.errorLine();
    for (String part : List.of("umsatz.csv line 41", "'2001-02-09'", "time format 'dd.MM.yyyy'")) {
      assertTrue(error.contains(part), "'" + part + "' missing from: " + error);
    }
  }

  @Test
  void badOptionsAreRefusedBeforeReading(@TempDir Path dir) throws Exception {
    Path csv = writeCsv(dir.resolve("umsatz.csv"));
    CliRun delimiter = train(csv, dir.resolve("m.tsm"), "--delimiter", "semicolon");
    assertEquals(2, delimiter.code(), delimiter.toString());
    assertTrue(delimiter.errorLine().contains("--delimiter"), delimiter.errorLine());
    CliRun pattern = train(csv, dir.resolve("m.tsm"), "--time-format", "dd.MM");
    assertEquals(2, pattern.code(), pattern.toString());
    assertTrue(
        pattern.errorLine().contains("--time-format") && pattern.errorLine().contains("'dd.MM'"),
        pattern.errorLine());
    CliRun builtin =
        CliRun.of(
            "backtest",
            "--builtin",
            "co2",
            "--horizon",
            "4",
            "--delimiter",
            ";",
            "--backend",
            "cpu");
    assertEquals(2, builtin.code(), builtin.toString());
    assertTrue(builtin.errorLine().contains("--builtin co2"), builtin.errorLine());
    // a comma-separated reading of the ';' file finds one column: the time format is not guessed
    CliRun comma = train(csv, dir.resolve("m.tsm"));
    assertEquals(2, comma.code(), comma.toString());
  }
}
