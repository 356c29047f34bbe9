package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.testing.TestSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --refit / --holdout on a short monthly series. */
class TrainRefitCommandTest {
  /** 48 months from 2000-01 to 2003-12. */
  private static Path monthly(Path file) throws Exception {
    float[] v = TestSeries.values(48, 12, 0.2, 7);
    StringBuilder sb = new StringBuilder("month,value\n");
    for (int i = 0; i < v.length; i++) {
      sb.append(String.format(Locale.ROOT, "%d-%02d,%.2f%n", 2000 + i / 12, i % 12 + 1, v[i]));
    }
    return Files.writeString(file, sb.toString());
  }

  private static CliRun train(Path csv, Path model, String... more) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "train",
                "--csv",
                csv.toString(),
                "--model",
                "linear",
                "--window",
                "12",
                "--epochs",
                "3",
                "--backend",
                "cpu",
                "--out",
                model.toString()));
    args.addAll(java.util.List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  @Test
  void aFortyEightMonthSeriesRefitsWithATwelveMonthWindowAndScoresItsHoldout(@TempDir Path dir)
      throws Exception {
    Path csv = monthly(dir.resolve("m.csv"));
    CliRun split = train(csv, dir.resolve("split.tsm"), "--split");
    assertEquals(2, split.code(), "the 70/20/10 split refuses it: " + split);
    CliRun r = train(csv, dir.resolve("m.tsm"), "--refit", "--holdout", "12");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("then trained on all 36 rows but the 12 held out"), r.out());
    assertTrue(r.out().contains("until 2002-12"), r.out());
    assertTrue(r.out().contains("holdout: the last 12 rows (2003-01 .. 2003-12)"), r.out());
    assertTrue(r.out().contains("period 12"), r.out());
    for (String row : new String[] {"model", "naive", "seasonal naive"}) {
      assertTrue(r.out().lines().anyMatch(l -> l.matches(row + " +\\d.*")), row + ": " + r.out());
    }
    try (SeriesModel m = SeriesModel.load(dir.resolve("m.tsm"), Backends.named("cpu"))) {
      assertEquals("2002-12", m.tail().format().format(m.tail().times().get(11)));
    }
    String[] forecast = {
      "forecast",
      "--model",
      dir.resolve("m.tsm").toString(),
      "--horizon",
      "2",
      "--backtest",
      "0",
      "--backend",
      "cpu"
    };
    // the CSV beside the model is continued from its end, held-out rows as inputs
    CliRun f = CliRun.of(forecast);
    assertEquals(0, f.code(), f.toString());
    assertTrue(f.out().lines().anyMatch(l -> l.startsWith("2004-01 ")), f.out());
    // without it, the kept rows end where training ended, before the holdout
    Files.delete(csv);
    CliRun kept = CliRun.of(forecast);
    assertEquals(0, kept.code(), kept.toString());
    assertTrue(kept.out().lines().anyMatch(l -> l.startsWith("2003-01 ")), kept.out());
  }

  @Test
  void refitWithoutHoldoutForecastsFromTheSeriesEnd(@TempDir Path dir) throws Exception {
    Path csv = monthly(dir.resolve("m.csv"));
    CliRun r = train(csv, dir.resolve("m.tsm"), "--refit");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("then trained on all 48 rows for"), r.out());
    CliRun f =
        CliRun.of(
            "forecast",
            "--model",
            dir.resolve("m.tsm").toString(),
            "--horizon",
            "1",
            "--backtest",
            "0",
            "--backend",
            "cpu");
    assertTrue(f.out().lines().anyMatch(l -> l.startsWith("2004-01 ")), f.out());
  }

  @Test
  void badHoldoutsAreRefused(@TempDir Path dir) throws Exception {
    Path csv = monthly(dir.resolve("m.csv"));
    CliRun zero = train(csv, dir.resolve("m.tsm"), "--refit", "--holdout", "0");
    assertEquals(2, zero.code(), zero.toString());
    assertTrue(zero.errorLine().contains("--holdout must be at least 1"), zero.errorLine());
    CliRun tooMany = train(csv, dir.resolve("m.tsm"), "--refit", "--holdout", "30");
    assertEquals(2, tooMany.code(), tooMany.toString());
    assertTrue(tooMany.errorLine().contains("needs 26 rows to refit"), tooMany.errorLine());
  }
}
