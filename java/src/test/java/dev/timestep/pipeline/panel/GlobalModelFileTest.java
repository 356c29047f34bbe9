package dev.timestep.pipeline.panel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.ManySeries;
import dev.timestep.io.ModelFile;
import dev.timestep.io.ModelFileException;
import dev.timestep.io.SavedModel;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.SeriesTrainer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A global model's file keeps every id's scaler and last rows; single-series files still load. */
class GlobalModelFileTest {
  @Test
  void aSavedGlobalModelForecastsEveryIdExactlyTheSame(@TempDir Path dir) throws Exception {
    ManySeries data =
        PanelSeries.of(
            List.of("a", "b,with comma"),
            List.of(PanelSeries.seasonal(60, 10, 1), PanelSeries.seasonal(60, 500, 2)));
    Path file = dir.resolve("g.tsm");
    double[][] before = new double[2][];
    try (GlobalModel m =
        GlobalTrainer.train(
                data,
                "sales",
                PanelSeries.linear(2).withRelative(true),
                GapFill.LINEAR,
                0,
                null,
                "csv t.csv",
                "date")
            .model()) {
      for (int i = 0; i < 2; i++) {
        before[i] = m.forecast(m.ids().get(i), 5, 0).mean();
      }
      m.save(file);
    }
    try (GlobalModel back = GlobalModel.load(file, Backends.named("cpu"))) {
      assertEquals(List.of("a", "b,with comma"), back.ids());
      assertEquals("standard", back.scalerKind());
      assertTrue(back.network().info().relative());
      assertEquals("date", back.network().info().timeColumn());
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(before[i], back.forecast(back.ids().get(i), 5, 0).mean(), 0);
      }
      assertEquals(PanelSeries.month(59), back.tail("a").times().get(back.tail("a").rows() - 1));
      IllegalArgumentException unknown =
          assertThrows(IllegalArgumentException.class, () -> back.forecast("c", 1, 0));
      assertTrue(unknown.getMessage().contains("no series with id 'c'"), unknown.getMessage());
    }
    // a reader of single-series files refuses it rather than forecast with the wrong scaling
    ModelFileException single =
        assertThrows(ModelFileException.class, () -> SeriesModel.load(file, Backends.named("cpu")));
    assertTrue(single.getMessage().contains("holds a global model"), single.getMessage());
    try (SavedModel saved = ModelFile.load(file, Backends.named("reference"))) {
      assertEquals("per-series", saved.metadata().text("series.scaler").orElseThrow());
    }
  }

  @Test
  void singleSeriesFilesStillLoadAndAreNotTakenForGlobalOnes(@TempDir Path dir) throws Exception {
    ManySeries data = PanelSeries.of(List.of("a"), List.of(PanelSeries.seasonal(80, 10, 1)));
    Path file = dir.resolve("one.tsm");
    try (SeriesModel m =
        SeriesTrainer.train(
                data.get("a"), "sales", List.of(), "csv one.csv", "date", PanelSeries.linear(1))
            .model()) {
      m.save(file);
    }
    try (SeriesModel back = SeriesModel.load(file, Backends.named("cpu"))) {
      assertNotNull(back.tail());
      assertEquals("standard", back.info().scalerKind());
    }
    try (SavedModel saved = ModelFile.load(file, Backends.named("reference"))) {
      assertFalse(GlobalModel.isGlobal(saved.metadata()));
    }
    ModelFileException e =
        assertThrows(ModelFileException.class, () -> GlobalModel.load(file, Backends.named("cpu")));
    assertTrue(e.getMessage().contains("is not a global model"), e.getMessage());
  }
}
