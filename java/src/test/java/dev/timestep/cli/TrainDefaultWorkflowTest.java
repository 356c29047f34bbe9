package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.testing.TestSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train's default on a real series: backtested choices, an ensemble, intervals in forecast. */
class TrainDefaultWorkflowTest {
  private static Path csv(Path file) throws Exception {
    float[] v = TestSeries.multiplicativeMonthly(96, 11).column(0);
    StringBuilder sb = new StringBuilder("month,sales\n");
    for (int i = 0; i < v.length; i++) {
      sb.append(String.format(Locale.ROOT, "%d-%02d,%.1f%n", 2000 + i / 12, i % 12 + 1, v[i]));
    }
    return Files.writeString(file, sb.toString());
  }

  @Test
  void trainChoosesByBacktestScoresItsHoldoutAndForecastWritesIntervals(@TempDir Path dir)
      throws Exception {
    Path data = csv(dir.resolve("sales.csv"));
    Path model = dir.resolve("sales.tsm");
    CliRun t =
        CliRun.of(
            "train",
            "--csv",
            data.toString(),
            "--model",
            "linear",
            "--horizon",
            "3",
            "--holdout",
            "12",
            "--members",
            "2",
            "--folds",
            "4",
            "--backend",
            "cpu",
            "--out",
            model.toString());
    assertEquals(0, t.code(), t.toString());
    String out = t.out();
    assertTrue(out.contains("training on the whole history but the last 12 rows"), out);
    assertTrue(out.contains("season 12 (monthly steps"), out);
    assertTrue(out.contains("window 24 (two seasons)"), out);
    for (String c : List.of("relative + none", "relative + boxcox", "absolute + none")) {
      assertTrue(out.contains("backtest linear " + c), c + " in\n" + out);
    }
    assertTrue(out.contains("chosen: linear "), out);
    assertTrue(out.contains("member 2 of 2 (seed 1)"), out);
    assertTrue(out.contains("holdout: the last 12 rows (2007-01 .. 2007-12)"), out);
    assertTrue(out.contains("intervals kept at [80]% for 3 step(s)"), out);

    Path csvOut = dir.resolve("f.csv");
    CliRun f =
        CliRun.of(
            "forecast",
            "--model",
            model.toString(),
            "--horizon",
            "3",
            "--output",
            csvOut.toString());
    assertEquals(0, f.code(), f.toString());
    assertTrue(f.out().contains("an ensemble of 2 linear model(s)"), f.out());
    List<String> rows = Files.readAllLines(csvOut);
    assertEquals("time,forecast,lower_80,upper_80", rows.get(0));
    // The CSV beside the model is continued from its own end (2007-12), held-out rows included.
    assertTrue(rows.get(1).startsWith("2008-01,"), rows.toString());
    String[] first = rows.get(1).split(",");
    assertTrue(
        Double.parseDouble(first[2]) < Double.parseDouble(first[1])
            && Double.parseDouble(first[1]) < Double.parseDouble(first[3]),
        rows.get(1));

    CliRun longer = CliRun.of("forecast", "--model", model.toString(), "--horizon", "6");
    assertEquals(0, longer.code(), longer.toString());
    assertTrue(
        longer.out().contains("no intervals past the 3 steps the backtests calibrated"),
        longer.out());

    CliRun mc = CliRun.of("forecast", "--model", model.toString(), "--mc-samples", "10");
    assertEquals(2, mc.code(), mc.toString());
    assertTrue(mc.err().contains("whose intervals come from its backtests"), mc.err());

    CliRun impute = CliRun.of("impute", "--model", model.toString());
    assertEquals(2, impute.code(), impute.toString());
    assertTrue(impute.err().contains("load it with SeriesEnsemble.load"), impute.err());

    CliRun export =
        CliRun.of("export", model.toString(), "--out", dir.resolve("m.onnx").toString());
    assertEquals(2, export.code(), export.toString());
    assertTrue(export.err().contains("ONNX export takes one network"), export.err());
    assertTrue(Files.notExists(dir.resolve("m.onnx")));
  }

  @Test
  void optionsOfTheSingleSplitWorkflowsAreRefusedByTheDefaultOne(@TempDir Path dir)
      throws Exception {
    Path data = csv(dir.resolve("sales.csv"));
    CliRun dropout =
        CliRun.of(
            "train",
            "--csv",
            data.toString(),
            "--dropout",
            "0.2",
            "--out",
            dir.resolve("m.tsm").toString());
    assertEquals(2, dropout.code(), dropout.toString());
    assertTrue(dropout.err().contains("--dropout is for --split and --refit"), dropout.err());
    CliRun generator = CliRun.of("train", "--generator", "--out", dir.resolve("g.tsm").toString());
    assertEquals(2, generator.code(), generator.toString());
    assertTrue(generator.err().contains("train one named --model"), generator.err());
  }
}
