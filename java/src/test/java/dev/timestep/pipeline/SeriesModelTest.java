package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.MinMaxScaler;
import dev.timestep.data.series.StandardScaler;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.io.ModelFileException;
import dev.timestep.io.ModelMetadata;
import dev.timestep.models.ChapterModels;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestSeries;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forecasting with a trained series model: feed-back past the horizon, levels, saving, refusals.
 */
class SeriesModelTest {
  private static final int WINDOW = 10;
  private static final int HORIZON = 3;
  private static TimeSeries series;
  private static SeriesModel model;

  @BeforeAll
  static void train() {
    series = TestSeries.weekly(TestSeries.values(400, 26, 0.2, 1));
    TrainingSettings s =
        new TrainingSettings(
            ChapterModels.named("linear"),
            WINDOW,
            HORIZON,
            5,
            32,
            0.01,
            "standard",
            true,
            0.0,
            3,
            Backends.named("cpu"),
            null);
    model = SeriesTrainer.train(series, "value", List.of(), "test", null, s).model();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void pastTheHorizonTheModelContinuesFromItsOwnForecasts() {
    int origin = 300;
    double[] eight = model.forecast(series, new int[] {origin}, 8, 0).mean(0);
    double[] first = model.forecast(series, new int[] {origin}, HORIZON, 0).mean(0);
    // The same forecast by hand: the series with the first three forecasts put in place of what
    // followed.
    float[] values = series.column(0);
    for (int k = 0; k < HORIZON; k++) {
      values[origin + k] = (float) first[k];
    }
    double[] next =
        model.forecast(TestSeries.weekly(values), new int[] {origin + HORIZON}, HORIZON, 0).mean(0);
    for (int k = 0; k < HORIZON; k++) {
      assertEquals(first[k], eight[k], 1e-4, "step " + (k + 1));
      assertEquals(next[k], eight[HORIZON + k], 1e-3, "step " + (HORIZON + k + 1));
    }
  }

  @Test
  void relativeWindowsMakeTheForecastFollowTheLevel() {
    float[] shifted = series.column(0);
    for (int t = 0; t < shifted.length; t++) {
      shifted[t] += 50; // far above anything seen in training
    }
    double[] base = model.forecast(series, new int[] {series.length()}, 6, 0).mean(0);
    double[] moved =
        model.forecast(TestSeries.weekly(shifted), new int[] {series.length()}, 6, 0).mean(0);
    for (int k = 0; k < base.length; k++) {
      assertEquals(base[k] + 50, moved[k], 1e-3, "step " + (k + 1));
    }
  }

  @Test
  void aSavedModelForecastsExactlyTheSame(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("m.tsm");
    model.save(file);
    int[] origins = {50, 200, 400};
    SeriesForecast before = model.forecast(series, origins, 7, 0);
    try (SeriesModel loaded = SeriesModel.load(file, Backends.named("cpu"))) {
      assertEquals(model.info().window(), loaded.info().window());
      assertEquals(model.info().trainedUntil(), loaded.info().trainedUntil());
      assertArrayEquals(before.mean().data(), loaded.forecast(series, origins, 7, 0).mean().data());
    }
  }

  @Test
  void infoSurvivesTheMetadataRoundTrip() {
    List<String> columns = List.of("co2", "temp");
    SeriesModelInfo info =
        new SeriesModelInfo(
            "conv-gru",
            WindowSpec.Layout.SEQUENCE,
            3,
            2,
            52,
            4,
            columns,
            "co2",
            "minmax",
            MinMaxScaler.of(columns, new double[] {300, -5}, new double[] {380, 30}),
            true,
            0.25,
            "csv a b.csv",
            "date",
            LocalDateTime.of(1990, 1, 6, 0, 0));
    SeriesModelInfo back = SeriesModelInfo.fromMetadata(info.toMetadata(), "f.tsm");
    assertEquals(info.modelName(), back.modelName());
    assertEquals(info.layout(), back.layout());
    assertEquals(3, back.outputStart());
    assertEquals(2, back.outputEvery());
    assertEquals(columns, back.columns());
    assertEquals(0, back.targetIndex());
    assertEquals(380, ((MinMaxScaler) back.scaler()).max(0), 1e-9);
    assertEquals(-5, back.scaler().offset(1), 0);
    assertTrue(back.relative());
    assertEquals("csv a b.csv", back.input());
    assertEquals("date", back.timeColumn());
    assertEquals(info.trainedUntil(), back.trainedUntil());
    assertEquals(0.25, back.dropout(), 0);
    assertTrue(
        SeriesModelInfo.fromMetadata(
                    new SeriesModelInfo(
                            "linear",
                            WindowSpec.Layout.VECTOR,
                            0,
                            1,
                            5,
                            1,
                            List.of("v"),
                            "v",
                            "standard",
                            StandardScaler.of(List.of("v"), new double[] {1}, new double[] {2}),
                            false,
                            0,
                            "generator",
                            null,
                            null)
                        .toMetadata(),
                    "g")
                .scaler()
            instanceof StandardScaler);
  }

  @Test
  void aModelFileWithoutSeriesMetadataIsNamedAsSuch() {
    ModelFileException e =
        assertThrows(
            ModelFileException.class,
            () -> SeriesModelInfo.fromMetadata(ModelMetadata.EMPTY, "plain.tsm"));
    assertTrue(
        e.getMessage().contains("plain.tsm") && e.getMessage().contains("no series metadata"),
        e.getMessage());
    ModelMetadata broken =
        ModelMetadata.builder()
            .putAll(model.info().toMetadata())
            .put("series.window", 1, 2)
            .build();
    e =
        assertThrows(
            ModelFileException.class, () -> SeriesModelInfo.fromMetadata(broken, "broken.tsm"));
    assertTrue(e.getMessage().contains("series.window"), e.getMessage());
  }

  @Test
  void badRequestsAreRefusedBeforeAnyWork() {
    IllegalStateException mc =
        assertThrows(
            IllegalStateException.class, () -> model.forecast(series, new int[] {100}, 2, 20));
    assertTrue(
        mc.getMessage().contains("needs a model with dropout")
            && mc.getMessage().contains("withDropout"),
        mc.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> model.forecast(series, new int[] {100}, 0, 0));
    IllegalArgumentException early =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.forecast(series, new int[] {WINDOW - 1}, 2, 0));
    assertTrue(early.getMessage().contains("origin row " + (WINDOW - 1)), early.getMessage());
    TimeSeries holed = TestSeries.weekly(TestSeries.values(400, 26, 0.2, 1, 395));
    IllegalArgumentException gap =
        assertThrows(
            IllegalArgumentException.class, () -> model.forecast(holed, new int[] {400}, 2, 0));
    assertTrue(
        gap.getMessage().contains("missing value") && gap.getMessage().contains("row 395"),
        gap.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> model.forecastWindows(NDArray.zeros(1, WINDOW + 1, 1), 1, 0));
  }

  @Test
  void aDeterministicForecastHasNoSpread() {
    assertNull(model.forecast(series, new int[] {100}, 2, 0).std());
  }
}
