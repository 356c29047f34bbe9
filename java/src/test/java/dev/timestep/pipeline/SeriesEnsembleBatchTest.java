package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.TimeSeries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forecasting many histories at once equals forecasting each alone, bit for bit. */
class SeriesEnsembleBatchTest {
  @TempDir static Path dir;
  static Path boxCox;
  static Path seasonalDifference;
  static Path gru;
  static final TimeSeries SERIES = AutoTrainerTest.multiplicative(96, 7);

  @BeforeAll
  static void train() throws Exception {
    boxCox = train("boxcox.tsm", "linear", TransformChoice.BOXCOX, 3, 40);
    seasonalDifference = train("sdiff.tsm", "linear", TransformChoice.SDIFF, 2, 40);
    gru = train("gru.tsm", "gru", TransformChoice.NONE, 1, 2);
  }

  private static Path train(String name, String model, TransformChoice t, int members, int epochs)
      throws Exception {
    AutoSettings a =
        AutoSettings.defaults(3, Backends.named("cpu"))
            .withModels(List.of(model))
            .withTransforms(List.of(t))
            .withMembers(members)
            .withFolds(4)
            .withWindowAndEpochs(12, epochs);
    Path file = dir.resolve(name);
    try (SeriesEnsemble e = AutoTrainer.run(SERIES, "y", "test", null, a, 0, null).ensemble()) {
      e.save(file);
    }
    return file;
  }

  /** Histories of 24 to 40 rows ending at different points of the series. */
  private static float[][] histories(int count) {
    float[] y = SERIES.column(SERIES.columnNames().indexOf("y"));
    float[][] out = new float[count][];
    for (int i = 0; i < count; i++) {
      int length = 24 + (i * 7) % 17;
      int end = y.length - (i * 5) % 30;
      out[i] = Arrays.copyOfRange(y, end - length, end);
    }
    return out;
  }

  private static TimeSeries asSeries(float[] history) {
    float[] v = history.clone();
    return AutoTrainerTest.monthly(v).select("y");
  }

  private static void assertBatchesEqualOneByOne(Path file, String backend, int steps)
      throws Exception {
    float[][] all = histories(12);
    try (SeriesEnsemble e = SeriesEnsemble.load(file, Backends.named(backend))) {
      List<SeriesEnsemble.Forecast> alone = new ArrayList<>();
      for (float[] h : all) {
        alone.add(e.forecast(asSeries(h), steps));
      }
      // batches of 1, then of odd sizes whose last batch is short
      for (int size : new int[] {1, 5, 7}) {
        for (int from = 0; from < all.length; from += size) {
          int to = Math.min(all.length, from + size);
          List<SeriesEnsemble.Forecast> batch =
              e.forecastWindows(Arrays.copyOfRange(all, from, to), steps);
          assertEquals(to - from, batch.size());
          for (int i = from; i < to; i++) {
            String at =
                file.getFileName() + " on " + backend + ", batch " + size + ", history " + i;
            SeriesEnsemble.Forecast want = alone.get(i);
            SeriesEnsemble.Forecast got = batch.get(i - from);
            assertArrayEquals(want.point(), got.point(), 0.0, at);
            assertEquals(want.members().length, got.members().length, at);
            for (int m = 0; m < want.members().length; m++) {
              assertArrayEquals(want.members()[m], got.members()[m], 0.0, at);
            }
            assertEquals(want.intervals().size(), got.intervals().size(), at);
            for (int l = 0; l < want.intervals().size(); l++) {
              assertArrayEquals(
                  want.intervals().get(l).lower(), got.intervals().get(l).lower(), 0.0, at);
              assertArrayEquals(
                  want.intervals().get(l).upper(), got.intervals().get(l).upper(), 0.0, at);
            }
          }
        }
      }
    }
  }

  @Test
  void aBoxCoxEnsembleForecastsABatchAsEachHistoryAlone() throws Exception {
    assertBatchesEqualOneByOne(boxCox, "cpu", 3);
    assertBatchesEqualOneByOne(boxCox, "reference", 3);
    // past the calibrated steps: fed-back forecasts, no intervals
    assertBatchesEqualOneByOne(boxCox, "cpu", 5);
  }

  @Test
  void aSeasonalDifferenceReadsTheLagBeforeEachWindow() throws Exception {
    assertBatchesEqualOneByOne(seasonalDifference, "cpu", 3);
    assertBatchesEqualOneByOne(seasonalDifference, "reference", 3);
  }

  @Test
  void aRecurrentMemberPredictsTheBatchAsEachWindowAlone() throws Exception {
    assertBatchesEqualOneByOne(gru, "cpu", 3);
    assertBatchesEqualOneByOne(gru, "reference", 3);
  }

  @Test
  void aBadHistoryIsNamedBeforeAnyPrediction() throws Exception {
    try (SeriesEnsemble e = SeriesEnsemble.load(seasonalDifference, Backends.named("cpu"))) {
      float[][] h = histories(3);
      h[1] = Arrays.copyOf(h[1], 20);
      IllegalArgumentException shortLag =
          assertThrows(IllegalArgumentException.class, () -> e.forecastWindows(h, 3));
      assertTrue(
          shortLag.getMessage().contains("history 1 has a missing value in its window at row 8"),
          shortLag.getMessage());
      h[1] = new float[5];
      IllegalArgumentException tooShort =
          assertThrows(IllegalArgumentException.class, () -> e.forecastWindows(h, 3));
      assertTrue(tooShort.getMessage().contains("history 1 has 5 values"), tooShort.getMessage());
      assertThrows(IllegalArgumentException.class, () -> e.forecastWindows(new float[0][], 3));
      assertThrows(IllegalArgumentException.class, () -> e.forecastWindows(histories(2), 0));
    }
    try (SeriesEnsemble e = SeriesEnsemble.load(boxCox, Backends.named("cpu"))) {
      float[][] h = histories(2);
      h[1][30 % h[1].length] = -4;
      IllegalArgumentException domain =
          assertThrows(IllegalArgumentException.class, () -> e.forecastWindows(h, 3));
      assertTrue(domain.getMessage().startsWith("ensemble: history 1: "), domain.getMessage());
    }
  }
}
