package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.io.ModelMetadata;
import dev.timestep.models.ChapterModels;
import dev.timestep.testing.TestSeries;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A caller's own entries (the CLI's CSV dialect) travel in the model file beside the model's. */
class SeriesModelExtraMetadataTest {

  private static SeriesModel trained() {
    TrainingSettings s =
        new TrainingSettings(
            ChapterModels.named("linear"),
            8,
            1,
            1,
            32,
            0.01,
            "standard",
            true,
            0.0,
            3,
            Backends.named("reference"),
            null);
    return SeriesTrainer.train(
            TestSeries.weekly(TestSeries.values(120, 26, 0.2, 1)), "value", List.of(), "t", null, s)
        .model();
  }

  @Test
  void extraEntriesAreSavedAndReadBackBesideTheModelsOwn(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("m.tsm");
    try (SeriesModel model = trained()) {
      assertTrue(model.metadata().isEmpty(), "a model made in memory was read from no file");
      model.save(file, ModelMetadata.builder().put("series.csv.delimiter", ";").build());
      try (SeriesModel loaded = SeriesModel.load(file, Backends.named("reference"))) {
        assertEquals(";", loaded.metadata().text("series.csv.delimiter").orElseThrow());
        assertEquals(
            "8",
            loaded.metadata().numbers("series.window").map(w -> "" + (int) w[0]).orElseThrow());
        assertEquals(model.info().window(), loaded.info().window());
      }
      model.save(file);
      try (SeriesModel plain = SeriesModel.load(file, Backends.named("reference"))) {
        assertFalse(plain.metadata().text("series.csv.delimiter").isPresent());
      }
    }
  }

  @Test
  void anExtraEntryMayNotReplaceOneOfTheModels(@TempDir Path dir) throws Exception {
    try (SeriesModel model = trained()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  model.save(
                      dir.resolve("m.tsm"),
                      ModelMetadata.builder().put("series.target", "other").build()));
      assertTrue(e.getMessage().contains("'series.target'"), e.getMessage());
      assertFalse(dir.resolve("m.tsm").toFile().exists(), "nothing written");
    }
  }
}
