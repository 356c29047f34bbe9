package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.transform.BoxCox;
import dev.timestep.io.ModelFile;
import dev.timestep.io.ModelFileException;
import dev.timestep.io.ModelMetadata;
import dev.timestep.io.SavedModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Median forecasts, transforms and intervals of an ensemble, and its file. */
class SeriesEnsembleTest {
  @Test
  void theMedianTakesTheMiddleValueOrTheMeanOfTheMiddleTwo() {
    assertArrayEquals(
        new double[] {2, 5}, SeriesEnsemble.median(new double[][] {{3, 9}, {1, 5}, {2, 4}}, 2));
    assertArrayEquals(
        new double[] {2.5}, SeriesEnsemble.median(new double[][] {{4}, {1}, {2}, {3}}, 1));
  }

  private static AutoTrainer.Result trained() {
    TimeSeries s = AutoTrainerTest.multiplicative(96, 7);
    AutoSettings a =
        AutoSettings.defaults(2, Backends.named("cpu"))
            .withModels(List.of("linear"))
            .withTransforms(List.of(TransformChoice.BOXCOX))
            .withMembers(3)
            .withFolds(4)
            .withWindowAndEpochs(12, 40);
    return AutoTrainer.run(s, "y", "test", null, a, 0, null);
  }

  @Test
  void aSavedEnsembleLoadsToTheSameForecastsIntervalsAndTransform(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("e.tsm");
    TimeSeries s = AutoTrainerTest.multiplicative(96, 7);
    SeriesEnsemble.Forecast before;
    try (SeriesEnsemble e = trained().ensemble()) {
      before = e.forecast(s, 5);
      // The point forecast is the median of what each member forecasts, inverted.
      assertArrayEquals(SeriesEnsemble.median(before.members(), 5), before.point(), 0.0);
      assertEquals(3, before.members().length);
      e.save(file);
      // a new ensemble of the same (immutable) member list, as a caller rebuilding one would
      SeriesEnsemble again =
          new SeriesEnsemble(e.members(), e.transform(), e.intervals(), e.tail(), "", 5);
      assertArrayEquals(before.point(), again.forecast(s, 5).point(), 0.0);
    }
    try (SeriesEnsemble loaded = SeriesEnsemble.load(file, Backends.named("cpu"))) {
      assertEquals(3, loaded.members().size());
      assertTrue(loaded.transform() instanceof BoxCox);
      SeriesEnsemble.Forecast after = loaded.forecast(s, 5);
      assertArrayEquals(before.point(), after.point(), 0.0);
      // Past the 2 calibrated steps there are no intervals; within them there are.
      assertTrue(after.intervals().isEmpty());
      SeriesEnsemble.Forecast two = loaded.forecast(s, 2);
      assertEquals(1, two.intervals().size(), "80% from 4 folds");
      assertTrue(two.intervals().get(0).lower()[0] < two.point()[0]);
      assertTrue(loaded.report().contains(" + boxcox; member epochs"), loaded.report());
      assertEquals(12, loaded.tail().rows());
    }
  }

  @Test
  void anEnsembleFileIsRefusedByThePlainLoaderAndAPlainFileLoadsAsAnEnsembleOfOne(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("e.tsm");
    try (SeriesEnsemble e = trained().ensemble()) {
      e.save(file);
      Path plain = dir.resolve("plain.tsm");
      e.members().get(0).save(plain);
      try (SeriesEnsemble one = SeriesEnsemble.load(plain, Backends.named("cpu"))) {
        assertTrue(one.isPlain());
      }
    }
    ModelFileException refused =
        assertThrows(
            ModelFileException.class, () -> SeriesModel.load(file, Backends.named("cpu")).close());
    assertTrue(
        refused.getMessage().contains("an ensemble of 3 model(s) trained under a boxcox transform"),
        refused.getMessage());
  }

  @Test
  void aDamagedEnsembleSizeOrMemberIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("e.tsm");
    try (SeriesEnsemble e = trained().ensemble()) {
      e.save(file);
    }
    Path lying = dir.resolve("lying.tsm");
    Path garbled = dir.resolve("garbled.tsm");
    try (SavedModel saved = ModelFile.load(file, Backends.named("cpu"))) {
      ModelMetadata m = saved.metadata();
      ModelFile.save(
          saved.model(),
          lying,
          ModelMetadata.builder().putAll(m).put(SeriesEnsemble.MEMBERS_KEY, 5).build());
      ModelFile.save(
          saved.model(),
          garbled,
          ModelMetadata.builder()
              .putAll(m)
              .put(SeriesEnsemble.MEMBER_KEY + 1, "not*base64")
              .build());
    }
    ModelFileException missing =
        assertThrows(
            ModelFileException.class, () -> SeriesEnsemble.load(lying, Backends.named("cpu")));
    assertTrue(missing.getMessage().contains("lacks ensemble member 3 of 5"), missing.getMessage());
    ModelFileException bad =
        assertThrows(
            ModelFileException.class, () -> SeriesEnsemble.load(garbled, Backends.named("cpu")));
    assertTrue(bad.getMessage().contains("member 1 that is not base64"), bad.getMessage());
  }

  @Test
  void aSeasonallyDifferencedEnsembleForecastsFromItsKeptRowsAsFromTheSeries(@TempDir Path dir)
      throws Exception {
    TimeSeries s = AutoTrainerTest.multiplicative(96, 9);
    AutoSettings a =
        AutoSettings.defaults(3, Backends.named("cpu"))
            .withModels(List.of("linear"))
            .withTransforms(List.of(TransformChoice.SDIFF))
            .withMembers(2)
            .withFolds(4)
            .withWindowAndEpochs(12, 40);
    Path file = dir.resolve("d.tsm");
    double[] fromSeries;
    try (SeriesEnsemble e = AutoTrainer.run(s, "y", "test", null, a, 0, null).ensemble()) {
      assertTrue(e.transform() instanceof dev.timestep.data.series.transform.Difference);
      assertEquals(24, e.tail().rows(), "the window and one season before it");
      fromSeries = e.forecast(s, 3).point();
      e.save(file);
    }
    try (SeriesEnsemble loaded = SeriesEnsemble.load(file, Backends.named("cpu"))) {
      assertArrayEquals(
          fromSeries, loaded.forecast(loaded.tail().toSeries("tail"), 3).point(), 0.0);
    }
  }
}
