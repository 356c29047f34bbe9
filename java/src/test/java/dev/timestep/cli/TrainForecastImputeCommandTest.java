package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.testing.PngImages;
import dev.timestep.testing.TestSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, forecast and impute as a user runs them, on small settings. */
class TrainForecastImputeCommandTest {

  @Test
  void trainThenForecastOnTheShippedCo2Series(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("models/co2.tsm");
    CliRun train =
        CliRun.of(
            "train",
            "--split",
            "--builtin",
            "co2",
            "--model",
            "linear",
            "--window",
            "52",
            "--horizon",
            "4",
            "--epochs",
            "3",
            "--learning-rate",
            "0.01",
            "--backend",
            "cpu",
            "--out",
            model.toString());
    assertEquals(0, train.code(), train.toString());
    assertTrue(train.out().contains("59 missing"), train.out());
    assertTrue(
        train
            .out()
            .matches(
                "(?s).*windows: train \\d+ of \\d+ \\(\\d+ skipped for touching a missing value\\).*"),
        train.out());
    assertTrue(train.out().contains("validation MSE in co2's units"), train.out());
    assertTrue(train.err().contains("linear epoch  3/3"), "progress per epoch: " + train.err());
    PngImages.read(dir.resolve("models/co2-curves.png"), 1000, 600);

    Path png = dir.resolve("co2-forecast.png");
    CliRun forecast =
        CliRun.of(
            "forecast",
            "--model",
            model.toString(),
            "--horizon",
            "10",
            "--backtest",
            "20",
            "--plot",
            png.toString(),
            "--backend",
            "cpu");
    assertEquals(0, forecast.code(), forecast.toString());
    assertTrue(forecast.out().contains("fed back as inputs 2 time(s)"), forecast.out());
    List<String> rows = forecast.out().lines().filter(l -> l.matches("2002\\d{4} .*")).toList();
    assertEquals(10, rows.size(), forecast.out());
    assertTrue(
        rows.get(0).startsWith("20020105"), "a week after the last observation: " + rows.get(0));
    double first = Double.parseDouble(rows.get(0).trim().split("\\s+")[1]);
    assertTrue(first > 360 && first < 385, "a forecast in ppm, not in scaled units: " + first);
    assertEquals(
        3,
        rows.get(0).trim().split("\\s+").length,
        "time, value and backtest RMSE: " + rows.get(0));
    PngImages.read(png, 1000, 600);
  }

  @Test
  void aModelTrainedWithDropoutForecastsWithMcDropoutErrorBars(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("co2-dropout.tsm");
    CliRun train =
        CliRun.of(
            "train",
            "--split",
            "--builtin",
            "co2",
            "--model",
            "linear",
            "--window",
            "52",
            "--horizon",
            "4",
            "--epochs",
            "3",
            "--learning-rate",
            "0.01",
            "--dropout",
            "0.2",
            "--backend",
            "cpu",
            "--out",
            model.toString());
    assertEquals(0, train.code(), train.toString());
    assertTrue(train.out().contains("with Dropout(0.2) before its output layer"), train.out());
    try (SeriesModel saved = SeriesModel.load(model, Backends.named("cpu"))) {
      assertEquals(0.2, saved.info().dropout(), 0, "the rate is recorded in the model file");
      assertTrue(saved.model().hasDropout(), saved.model().summary());
    }

    Path png = dir.resolve("co2-mc.png");
    CliRun forecast =
        CliRun.of(
            "forecast",
            "--model",
            model.toString(),
            "--horizon",
            "10",
            "--mc-samples",
            "20",
            "--plot",
            png.toString(),
            "--backend",
            "cpu");
    assertEquals(0, forecast.code(), forecast.toString());
    assertTrue(
        forecast.out().contains("standard deviation of 20 MC-dropout samples"), forecast.out());
    assertTrue(forecast.out().contains("MC-dropout std"), "a std column: " + forecast.out());
    assertFalse(
        forecast.out().contains("backtest"),
        "MC error bars replace the backtest's: " + forecast.out());
    List<String> rows = forecast.out().lines().filter(l -> l.matches("2002\\d{4} .*")).toList();
    assertEquals(10, rows.size(), forecast.out());
    for (String row : rows) {
      String[] cells = row.trim().split("\\s+");
      assertEquals(3, cells.length, "time, mean and MC std: " + row);
      double mean = Double.parseDouble(cells[1]);
      double std = Double.parseDouble(cells[2]);
      assertTrue(mean > 360 && mean < 385, "a mean in ppm: " + row);
      assertTrue(
          std > 0 && std < 20,
          "dropout samples differ, by ppm rather than by the series' range: " + row);
    }
    PngImages.read(png, 1000, 600);
  }

  @Test
  void forecastRefusesMcSamplesForAModelWithoutDropout(@TempDir Path dir) throws Exception {
    Path model = trainSmall(dir, "gru");
    CliRun r =
        CliRun.of(
            "forecast", "--model", model.toString(), "--mc-samples", "10", "--backend", "cpu");
    assertEquals(2, r.code(), "a usage error: " + r);
    assertTrue(r.errorLine().contains("needs a model with dropout"), r.errorLine());
    assertTrue(r.errorLine().contains("--dropout"), "tells how to get one: " + r.errorLine());
    assertEquals(1, r.err().lines().count(), "one line: " + r.err());
    CliRun one =
        CliRun.of("forecast", "--model", model.toString(), "--mc-samples", "1", "--backend", "cpu");
    assertEquals(2, one.code(), "a usage error: " + one);
    assertTrue(
        one.errorLine().contains("--mc-samples must be 0 (no MC dropout) or at least 2"),
        one.errorLine());
  }

  @Test
  void imputeFillsAndEvaluatesAgainstInterpolation(@TempDir Path dir) throws Exception {
    Path model = trainSmall(dir, "linear");
    CliRun eval =
        CliRun.of(
            "impute",
            "--model",
            model.toString(),
            "--evaluate",
            "--singles",
            "10",
            "--runs",
            "2",
            "--run-length",
            "4",
            "--backend",
            "cpu");
    assertEquals(0, eval.code(), eval.toString());
    assertTrue(
        eval.out().contains("removed 10 single values and 2 runs of 4 (18 values)"), eval.out());
    assertTrue(
        eval.out().contains("linear interpolation") && eval.out().contains("than interpolation"),
        eval.out());
    Path filled = dir.resolve("filled.csv");
    CliRun fill =
        CliRun.of(
            "impute", "--model", model.toString(), "--out", filled.toString(), "--backend", "cpu");
    assertEquals(0, fill.code(), fill.toString());
    List<String> lines = Files.readAllLines(filled);
    assertEquals("date,value,imputed", lines.get(0));
    assertEquals(301, lines.size());
    assertEquals(
        3, lines.stream().filter(l -> l.endsWith(",1")).count(), "the three missing weeks");
    assertTrue(lines.stream().noneMatch(l -> l.contains(",,")), "no empty value left");
  }

  @Test
  void theGeneratorTrainsAChapterModelAndForecastsWithTheTruthBeside(@TempDir Path dir) {
    Path model = dir.resolve("gen.tsm");
    CliRun train =
        CliRun.of(
            "train",
            "--split",
            "--generator",
            "--series",
            "60",
            "--model",
            "wavenet",
            "--window",
            "16",
            "--horizon",
            "4",
            "--epochs",
            "1",
            "--backend",
            "cpu",
            "--out",
            model.toString());
    assertEquals(0, train.code(), train.toString());
    assertTrue(train.out().contains("60 generated series of 20 steps"), train.out());
    Path png = dir.resolve("gen.png");
    CliRun f =
        CliRun.of(
            "forecast",
            "--model",
            model.toString(),
            "--horizon",
            "6",
            "--plot",
            png.toString(),
            "--backend",
            "cpu");
    assertEquals(0, f.code(), f.toString());
    assertEquals(6, f.out().lines().filter(l -> l.matches("\\d{2} .*")).count(), f.out());
  }

  @Test
  void everyCommandHasHelpAndTrainListsEveryModel() {
    for (String command : List.of("train", "forecast", "impute", "reproduce")) {
      CliRun r = CliRun.of(command, "--help");
      assertEquals(0, r.code(), command);
      assertTrue(r.out().contains("Usage: timestep " + command), r.out());
    }
    String help = CliRun.of("train", "--help").out();
    for (String name : dev.timestep.models.ChapterModels.names()) {
      assertTrue(help.contains("\n  " + name + " "), name + " in\n" + help);
    }
  }

  /** A small CSV with 3 missing weeks, and a model trained on it for 2 epochs. */
  static Path trainSmall(Path dir, String modelName) throws Exception {
    Path csv =
        TestSeries.writeCsv(
            dir.resolve("series.csv"), TestSeries.values(300, 26, 0.2, 1, 150, 250, 251));
    Path model = dir.resolve(modelName + ".tsm");
    CliRun r =
        CliRun.of(
            "train",
            "--split",
            "--csv",
            csv.toString(),
            "--model",
            modelName,
            "--window",
            "12",
            "--horizon",
            "2",
            "--epochs",
            "2",
            "--backend",
            "cpu",
            "--out",
            model.toString());
    assertEquals(0, r.code(), r.toString());
    return model;
  }
}
