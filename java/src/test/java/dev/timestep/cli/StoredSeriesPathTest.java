package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.SeriesModelInfo;
import dev.timestep.testing.TestSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file is data, not instructions: the CSV it was trained on is recorded relative to the
 * model's folder and read back only from there, and its content is never quoted in errors.
 */
class StoredSeriesPathTest {
  private static final String SECRET = "SECRET-TOKEN-42";

  private static Path train(Path csv, Path model) throws Exception {
    TestSeries.writeCsv(csv, TestSeries.values(200, 26, 0.2, 1));
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

  private static CliRun forecastWithoutInput(Path model) {
    return CliRun.of(
        "forecast", "--model", model.toString(), "--backtest", "0", "--backend", "cpu");
  }

  private static String input(Path model) throws Exception {
    try (SeriesModel m = SeriesModel.load(model, Backends.named("cpu"))) {
      return m.info().input();
    }
  }

  /** The model as files were written before models kept their last rows: forecast reads the CSV. */
  private static Path withoutKeptRows(Path model) throws Exception {
    Path old = model.resolveSibling("old-" + model.getFileName());
    try (SeriesModel m = SeriesModel.load(model, Backends.named("cpu"))) {
      new SeriesModel(m.model(), m.info()).save(old);
    }
    return old;
  }

  /** A refusal that asks for --csv and quotes nothing of the file. */
  private static void assertRefusedWithoutEcho(CliRun r) {
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.errorLine().contains("--csv"), "says how to give the series: " + r.errorLine());
    assertFalse(
        r.err().contains(SECRET) || r.out().contains(SECRET),
        "the file's content is not echoed: " + r);
  }

  @Test
  void aCsvBesideTheModelIsRecordedRelativelyAndFoundAfterAMove(@TempDir Path dir)
      throws Exception {
    Path a = Files.createDirectories(dir.resolve("a/data"));
    Path model = train(a.resolve("series.csv"), dir.resolve("a/m.tsm"));
    assertEquals("csv data/series.csv", input(model));
    withoutKeptRows(model);
    Path b = Files.move(dir.resolve("a"), dir.resolve("b"));
    CliRun r = forecastWithoutInput(b.resolve("old-m.tsm"));
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("input: TimeSeries[" + b.resolve("data/series.csv")), r.out());
  }

  @Test
  void aCsvOutsideTheModelsFolderIsNotReadBack(@TempDir Path dir) throws Exception {
    Path csv = Files.createDirectories(dir.resolve("data")).resolve("s.csv");
    Path model = train(csv, Files.createDirectories(dir.resolve("models")).resolve("m.tsm"));
    Files.writeString(csv, SECRET + ",x\n1,2\n");
    CliRun kept = forecastWithoutInput(model);
    assertEquals(0, kept.code(), "forecasts from the rows the file keeps: " + kept);
    assertFalse(kept.out().contains(SECRET), kept.out());
    CliRun r = forecastWithoutInput(withoutKeptRows(model));
    assertRefusedWithoutEcho(r);
    assertTrue(r.errorLine().contains("not inside the model's folder"), r.errorLine());
    CliRun impute = CliRun.of("impute", "--model", model.toString(), "--backend", "cpu");
    assertRefusedWithoutEcho(impute);
  }

  @Test
  void aStoredPathEscapingTheFolderIsRefused(@TempDir Path dir) throws Exception {
    Path models = Files.createDirectories(dir.resolve("models"));
    Path model = train(models.resolve("s.csv"), models.resolve("m.tsm"));
    Files.writeString(dir.resolve("secret.csv"), SECRET + ",x\n1,2\n");
    for (String stored :
        new String[] {
          "../secret.csv", "sub/../../secret.csv", dir.resolve("secret.csv").toString()
        }) {
      Path crafted = models.resolve("crafted.tsm");
      try (SeriesModel m = SeriesModel.load(model, Backends.named("cpu"))) {
        SeriesModelInfo i = m.info();
        new SeriesModel(
                m.model(),
                new SeriesModelInfo(
                    i.modelName(),
                    i.layout(),
                    i.outputStart(),
                    i.outputEvery(),
                    i.window(),
                    i.horizon(),
                    i.columns(),
                    i.target(),
                    i.scalerKind(),
                    i.scaler(),
                    i.relative(),
                    i.dropout(),
                    "csv " + stored,
                    i.timeColumn(),
                    i.trainedUntil()))
            .save(crafted);
      }
      CliRun r = forecastWithoutInput(crafted);
      assertRefusedWithoutEcho(r);
      assertTrue(
          r.errorLine().contains("not inside the model's folder"), stored + ": " + r.errorLine());
    }
  }

  @Test
  void aStoredCsvThatNoLongerReadsIsReportedWithoutQuotingIt(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("s.csv");
    Path model = train(csv, dir.resolve("m.tsm"));
    Path old = withoutKeptRows(model);
    Files.writeString(csv, SECRET + ",x\n1,2\n");
    CliRun r = forecastWithoutInput(old);
    assertRefusedWithoutEcho(r);
    assertTrue(r.errorLine().contains(csv.toString()), "names the file it tried: " + r.errorLine());
  }
}
