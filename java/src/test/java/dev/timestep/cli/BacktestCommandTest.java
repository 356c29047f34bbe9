package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.testing.TestSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backtest} as a user runs it, on small settings. */
class BacktestCommandTest {

  @Test
  void backtestsTheShippedCo2SeriesAndWritesEveryFoldAsCsv(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("out/co2-backtest.csv");
    CliRun r =
        CliRun.of(
            "backtest",
            "--builtin",
            "co2",
            "--window",
            "12",
            "--horizon",
            "4",
            "--epochs",
            "2",
            "--learning-rate",
            "0.01",
            "--backend",
            "cpu",
            "--output",
            csv.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("season: 52 (weekly steps"), r.out());
    assertTrue(r.out().contains("5 fold(s) of 4 step(s)"), r.out());
    List<String> steps = r.out().lines().filter(l -> l.matches("[1-4] .*|all .*")).toList();
    assertEquals(5, steps.size(), r.out());
    assertEquals(10, steps.get(4).trim().split("\\s+").length, "3 metrics x 3 forecasters");
    assertTrue(r.out().contains("80% intervals (split conformal"), r.out());
    assertTrue(r.out().contains("95% intervals: not measured, needs at least 20 folds"), r.out());
    assertTrue(r.err().contains("fold 5: training linear on"), "progress per fold: " + r.err());

    List<String> lines = Files.readAllLines(csv);
    assertEquals("fold,origin,step,time,actual,model,naive,seasonal_naive", lines.get(0));
    assertEquals(1 + 5 * 4, lines.size());
    String[] last = lines.get(lines.size() - 1).split(",", -1);
    assertEquals("5", last[0]);
    assertEquals("4", last[2]);
    assertEquals("20011229", last[3], "the last row of the series");
  }

  @Test
  void backtestsACsvWithALogTransformAndWritesJson(@TempDir Path dir) throws Exception {
    Path data = TestSeries.writeCsv(dir.resolve("series.csv"), TestSeries.values(200, 13, 0.2, 5));
    Path json = dir.resolve("report.json");
    CliRun r =
        CliRun.of(
            "--quiet",
            "backtest",
            "--csv",
            data.toString(),
            "--time-column",
            "date",
            "--value-column",
            "value",
            "--horizon",
            "3",
            "--folds",
            "6",
            "--season",
            "13",
            "--transform",
            "log",
            "--window",
            "8",
            "--epochs",
            "3",
            "--backend",
            "cpu",
            "--output",
            json.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("season: 13 (given: 13 rows per season); transform: log"), r.out());
    assertFalse(r.err().contains("fold 1:"), "no progress under --quiet: " + r.err());
    String text = Files.readString(json);
    assertTrue(text.contains("\"transform\" : \"log\""), text);
    assertTrue(text.contains("\"seasonal_naive\" : {"), text);
    assertTrue(text.contains("\"coverage\" : "), "6 folds measure 80% coverage: " + text);
    assertEquals(6, text.split("\"training_rows\"").length - 1, text);
  }

  @Test
  void badOptionsGetOneLineAndExitStatus2(@TempDir Path dir) {
    refused("--horizon must be at least 1 step", "--builtin", "sunspots", "--horizon", "0");
    refused(
        "--folds must be at least 1", "--builtin", "sunspots", "--horizon", "2", "--folds", "0");
    refused(
        "--season must be at least 1", "--builtin", "sunspots", "--horizon", "2", "--season", "0");
    refused(
        "unknown --transform 'cube'",
        "--builtin",
        "sunspots",
        "--horizon",
        "2",
        "--transform",
        "cube");
    refused(
        "must end in .csv or .json",
        "--builtin",
        "sunspots",
        "--horizon",
        "2",
        "--output",
        dir.resolve("r.txt").toString());
    refused("it is the naive forecast", "--builtin", "sunspots", "--horizon", "2", "--model", "1");
    refused("unknown model 'lstmx'", "--builtin", "sunspots", "--horizon", "2", "--model", "lstmx");
    refused("not --generator", "--generator", "--horizon", "2");
    refused("exactly one input", "--horizon", "2");
    refused(
        "need at least",
        "--builtin",
        "sunspots",
        "--horizon",
        "5",
        "--window",
        "20",
        "--folds",
        "100");
    refused("Missing required option: '--horizon", "--builtin", "sunspots");
    refused(
        "one fold of horizon 5 after at least",
        "--builtin",
        "sunspots",
        "--horizon",
        "5",
        "--window",
        "100");
  }

  private static void refused(String expected, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "backtest";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--backend";
    all[args.length + 2] = "cpu";
    CliRun r = CliRun.of(all);
    assertEquals(2, r.code(), r.toString());
    List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(1, errors.size(), r.toString());
    assertTrue(errors.get(0).contains(expected), "expected '" + expected + "' in: " + errors);
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }
}
