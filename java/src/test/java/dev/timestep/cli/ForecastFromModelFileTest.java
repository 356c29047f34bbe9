package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.testing.TestSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model file keeps the last rows it needs, so forecast works without the training CSV. */
class ForecastFromModelFileTest {
  private static final int ROWS = 200;

  private static Path train(Path csv, Path model) throws Exception {
    TestSeries.writeCsv(csv, TestSeries.values(ROWS, 26, 0.2, 1));
    CliRun r =
        CliRun.of(
            "train",
            "--split",
            "--csv",
            csv.toString(),
            "--model",
            "linear",
            "--window",
            "12",
            "--epochs",
            "1",
            "--backend",
            "cpu",
            "--out",
            model.toString());
    assertEquals(0, r.code(), r.toString());
    return model;
  }

  private static CliRun forecast(Path model, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "forecast",
                "--model",
                model.toString(),
                "--horizon",
                "3",
                "--backtest",
                "0",
                "--backend",
                "cpu"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  /** The table's rows: "time value". */
  private static List<String> table(CliRun r) {
    return r.out().lines().filter(l -> l.matches("\\d{4}-\\d{2}-\\d{2} +-?\\d.*")).toList();
  }

  @Test
  void aModelForecastsFromItsKeptRowsAfterItsCsvIsGone(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("s.csv");
    Path model = train(csv, dir.resolve("m.tsm"));
    List<String> withCsv = table(forecast(model, "--csv", csv.toString()));
    Files.delete(csv);
    Path moved =
        Files.move(model, Files.createDirectories(dir.resolve("elsewhere")).resolve("m.tsm"));
    CliRun r = forecast(moved);
    assertEquals(0, r.code(), r.toString());
    // the week after the CSV's last row (2000-01-01 + 199 weeks), with the same values
    String next = TestSeries.weeks(ROWS + 1).get(ROWS).toLocalDate().toString();
    assertEquals(3, table(r).size(), r.out());
    assertTrue(table(r).get(0).startsWith(next), r.out());
    assertEquals(withCsv, table(r), "the kept rows are the CSV's last rows");
  }

  @Test
  void aCsvGivenContinuesFromItsOwnEnd(@TempDir Path dir) throws Exception {
    Path model = train(dir.resolve("s.csv"), dir.resolve("m.tsm"));
    Path longer =
        TestSeries.writeCsv(dir.resolve("longer.csv"), TestSeries.values(ROWS + 10, 26, 0.2, 1));
    CliRun r = forecast(model, "--csv", longer.toString());
    assertEquals(0, r.code(), r.toString());
    String next = TestSeries.weeks(ROWS + 11).get(ROWS + 10).toLocalDate().toString();
    assertTrue(table(r).get(0).startsWith(next), r.out());
  }

  @Test
  void aModelFileWithoutKeptRowsStillReadsItsStoredCsv(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("s.csv");
    Path model = train(csv, dir.resolve("m.tsm"));
    Path old = dir.resolve("old.tsm");
    try (SeriesModel m = SeriesModel.load(model, Backends.named("cpu"))) {
      assertNotNull(m.tail(), "a new model file keeps its last rows");
      assertEquals(12, m.tail().rows());
      new SeriesModel(m.model(), m.info()).save(old); // as files were written before
    }
    try (SeriesModel m = SeriesModel.load(old, Backends.named("cpu"))) {
      assertNull(m.tail());
    }
    CliRun r = forecast(old);
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("input: TimeSeries[" + csv), r.out());
    Files.delete(csv);
    CliRun gone = forecast(old);
    assertEquals(2, gone.code(), gone.toString());
    assertTrue(gone.errorLine().contains("--csv"), gone.errorLine());
  }
}
