package dev.timestep.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.pipeline.AutoDefaults;
import dev.timestep.pipeline.AutoSettings;
import dev.timestep.pipeline.AutoTrainer;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesEnsemble;
import dev.timestep.pipeline.TransformChoice;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring ensemble files (the default workflow's) equals their forecast in one process. */
class TimestepForecasterEnsembleTest {
  @TempDir static Path dir;
  static Path boxCox;
  static Path seasonalDifference;

  @BeforeAll
  static void setUp() throws Exception {
    boxCox = ensemble(TransformChoice.BOXCOX, dir.resolve("boxcox.tsm"));
    seasonalDifference = ensemble(TransformChoice.SDIFF, dir.resolve("sdiff.tsm"));
  }

  /** Two linear members under {@code t}, 4 folds (the fewest that calibrate 80% intervals). */
  static Path ensemble(TransformChoice t, Path file) throws Exception {
    AutoSettings a =
        new AutoSettings(
            List.of("linear"),
            List.of(t),
            12,
            2,
            3,
            32,
            0.01,
            "standard",
            null,
            0,
            2,
            4,
            12,
            AutoDefaults.PATIENCE,
            Backends.named("cpu"),
            GapFill.LINEAR,
            false);
    AutoTrainer.Result r =
        AutoTrainer.run(
            Fixtures.series("one", Fixtures.seasonal(60, 100, 1)),
            "value",
            "test",
            null,
            a,
            0,
            null);
    try (SeriesEnsemble e = r.ensemble()) {
      e.save(file);
    }
    return file;
  }

  static Map<String, float[]> series() {
    Map<String, float[]> s = new LinkedHashMap<>();
    for (int i = 0; i < 7; i++) {
      s.put("s" + i, Fixtures.seasonal(26 + 3 * i, 60 + 9 * i, i));
    }
    return s;
  }

  static Dataset<Row> longFrame(Map<String, float[]> series) {
    List<Row> rows = new ArrayList<>();
    series.forEach(
        (id, v) -> {
          for (int t = 0; t < v.length; t++) {
            rows.add(RowFactory.create(id, Date.valueOf(Fixtures.month(t)), (double) v[t]));
          }
        });
    return LocalSpark.get().createDataFrame(rows, TimestepForecasterTest.LONG).repartition(3);
  }

  static Dataset<Row> windowFrame(List<float[]> windows, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      List<Double> w = new ArrayList<>();
      for (float v : windows.get(i)) {
        w.add((double) v);
      }
      rows.add(RowFactory.create(i, w));
    }
    return LocalSpark.get()
        .createDataFrame(rows, TimestepForecasterTest.WINDOWS)
        .repartition(partitions);
  }

  static double[] doubles(Row r, String column) {
    List<Double> v = r.getList(r.fieldIndex(column));
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Every id's forecast and 80% bounds through Spark equal the ensemble's own, bit for bit. */
  static void assertLongFormatEqualsTheEnsemble(Path file) throws Exception {
    TimestepForecaster f =
        TimestepForecaster.fromFile(file)
            .setFormat("long")
            .setIdCol("store")
            .setTimeCol("date")
            .setValueCol("sales");
    assertFalse(f.isPlain());
    Dataset<Row> scored = f.transform(longFrame(series()));
    assertEquals(
        List.of("store", "forecast", "lower_80", "upper_80", "error"), List.of(scored.columns()));
    List<Row> out = scored.collectAsList();
    assertEquals(7, out.size());
    try (SeriesEnsemble e = SeriesEnsemble.load(file, Backends.named("cpu"))) {
      for (Row r : out) {
        String id = r.getString(0);
        assertNull(r.get(r.fieldIndex("error")), id);
        SeriesEnsemble.Forecast expected =
            e.forecast(Fixtures.series(id, series().get(id)), e.horizon());
        assertArrayEquals(expected.point(), doubles(r, "forecast"), 0, id);
        assertArrayEquals(expected.intervals().get(0).lower(), doubles(r, "lower_80"), 0, id);
        assertArrayEquals(expected.intervals().get(0).upper(), doubles(r, "upper_80"), 0, id);
      }
    }
  }

  @Test
  void scoringABoxCoxEnsembleEqualsItsForecastInOneProcess() throws Exception {
    assertLongFormatEqualsTheEnsemble(boxCox);
  }

  @Test
  void aSeasonalDifferenceReadsItsLagBeforeTheWindow() throws Exception {
    TimestepForecaster f = TimestepForecaster.fromFile(seasonalDifference);
    assertEquals(12, f.window());
    assertEquals(24, f.inputRows());
    assertLongFormatEqualsTheEnsemble(seasonalDifference);
  }

  @Test
  void windowsPastTheCalibratedStepsGetForecastsWithoutBounds() throws Exception {
    List<float[]> windows = TimestepForecasterTest.windows();
    TimestepForecaster f = TimestepForecaster.fromFile(boxCox).setSteps(5);
    List<Row> out = f.transform(windowFrame(windows, 2)).collectAsList();
    assertEquals(windows.size(), out.size());
    try (SeriesEnsemble e = SeriesEnsemble.load(boxCox, Backends.named("cpu"))) {
      for (Row r : out) {
        int i = r.getInt(0);
        SeriesEnsemble.Forecast expected = e.forecast(Fixtures.series("w", windows.get(i)), 5);
        assertTrue(expected.intervals().isEmpty());
        assertArrayEquals(expected.point(), doubles(r, "forecast"), 0, "window " + i);
        assertNull(r.get(r.fieldIndex("lower_80")));
        assertNull(r.get(r.fieldIndex("upper_80")));
      }
    }
  }

  /**
   * Windows of {@code rows} values, the fifth of the wrong length and (Box-Cox) the eighth with a
   * value outside the transform's domain.
   */
  static List<float[]> windowsWithBadRows(int rows, boolean negative) {
    List<float[]> windows = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      float[] s = Fixtures.seasonal(rows + i, 50 + 10 * i, i);
      windows.add(Arrays.copyOfRange(s, i, rows + i));
    }
    windows.set(4, new float[3]);
    if (negative) {
      windows.get(7)[rows - 2] = -5;
    }
    return windows;
  }

  @Test
  void batchesOfAnySizeEqualEachWindowAloneAndBadRowsGetTheirError() throws Exception {
    for (Path file : List.of(boxCox, seasonalDifference)) {
      boolean negative = file == boxCox;
      TimestepForecaster f = TimestepForecaster.fromFile(file);
      List<float[]> windows = windowsWithBadRows(f.inputRows(), negative);
      try (SeriesEnsemble e = SeriesEnsemble.load(file, Backends.named("cpu"))) {
        for (int batch : new int[] {1, 3, 256}) {
          List<Row> out = f.setBatchSize(batch).transform(windowFrame(windows, 2)).collectAsList();
          assertEquals(windows.size(), out.size());
          for (Row r : out) {
            int i = r.getInt(0);
            String at = file.getFileName() + ", batch " + batch + ", window " + i;
            Object error = r.get(r.fieldIndex("error"));
            if (i == 4) {
              assertTrue(String.valueOf(error).contains("3 values"), at + ": " + error);
              assertNull(r.get(r.fieldIndex("forecast")), at);
              continue;
            }
            TimeSeries series = Fixtures.series("w", windows.get(i));
            if (i == 7 && negative) {
              String alone =
                  assertThrows(
                          IllegalArgumentException.class, () -> e.forecast(series, e.horizon()))
                      .getMessage();
              assertEquals(alone, error, at);
              assertNull(r.get(r.fieldIndex("forecast")), at);
              continue;
            }
            assertNull(error, at);
            SeriesEnsemble.Forecast expected = e.forecast(series, e.horizon());
            assertArrayEquals(expected.point(), doubles(r, "forecast"), 0, at);
            assertArrayEquals(expected.intervals().get(0).lower(), doubles(r, "lower_80"), 0, at);
            assertArrayEquals(expected.intervals().get(0).upper(), doubles(r, "upper_80"), 0, at);
          }
        }
      }
    }
  }

  @Test
  void mcSamplesAreRefusedForAnEnsemble() throws Exception {
    TimestepForecaster f = TimestepForecaster.fromFile(boxCox).setMcSamples(10);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> f.transform(windowFrame(List.of(new float[12]), 1)));
    assertTrue(e.getMessage().contains("MC-dropout samples need a plain model"), e.getMessage());
  }

  @Test
  void aPlainModelFileIsAnEnsembleOfOne() throws Exception {
    assertTrue(TimestepForecaster.fromFile(Fixtures.model(dir.resolve("plain.tsm"))).isPlain());
  }
}
