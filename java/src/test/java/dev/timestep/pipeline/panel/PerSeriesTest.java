package dev.timestep.pipeline.panel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.ColumnScaler;
import dev.timestep.data.series.ManySeries;
import dev.timestep.data.series.StandardScaler;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.SeriesRefit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerSeriesTest {
  @Test
  void eachSeriesGetsItsOwnModelScaledAndScoredOnItsOwnRows(@TempDir Path dir) throws Exception {
    float[] changes = PanelSeries.seasonal(72, 100, 7);
    for (int t = 60; t < 72; t++) {
      changes[t] = 1e6f; // a new regime after the cut
    }
    ManySeries data =
        PanelSeries.of(
            List.of("steady", "changes", "short"),
            List.of(PanelSeries.seasonal(72, 10, 1), changes, PanelSeries.seasonal(30, 5, 2)));
    double[] before;
    try (PerSeriesModels m =
        PerSeries.trainAll(
            data, "sales", PanelSeries.linear(3), GapFill.LINEAR, 12, null, "csv t.csv", "date")) {
      assertEquals(List.of("steady", "changes"), m.ids());
      assertEquals("short", m.skipped().get(0).id());
      assertEquals(
          "30 rows, fewer than the 38 needed for 2 x (window 12 + horizon 1) + holdout 12",
          m.skipped().get(0).reason());
      // the refit scaler sees the 60 kept rows of its own series only
      SeriesModel changing = m.model("changes");
      ColumnScaler expected = StandardScaler.fit(data.get("changes").select("sales").slice(0, 60));
      assertEquals(expected.offset(0), changing.info().scaler().offset(0), 1e-9);
      assertTrue(changing.info().scaler().offset(0) < 200);
      assertEquals("csv t.csv [changes]", changing.info().input());
      SeriesRefit.Holdout h = m.holdouts().get("changes");
      assertEquals(1e6, h.actual()[0], 1e-6);
      assertTrue(h.forecast()[0] < 1e3, "the model knows nothing of the new regime");
      IdForecast f = m.forecast("steady", 3, 0);
      assertEquals(PanelSeries.month(60), f.times().get(0)); // from the end of the kept rows
      before = f.mean();
      m.save(dir.resolve("models"));
    }
    assertTrue(Files.isRegularFile(dir.resolve("models/series-00001.tsm")));
    try (PerSeriesModels back =
        PerSeriesModels.load(dir.resolve("models"), Backends.named("cpu"))) {
      assertEquals(List.of("steady", "changes"), back.ids());
      assertArrayEquals(before, back.forecast("steady", 3, 0).mean(), 0);
    }
    // each file also works alone, as a single-series model
    try (SeriesModel one =
        SeriesModel.load(dir.resolve("models/series-00002.tsm"), Backends.named("cpu"))) {
      assertEquals("csv t.csv [changes]", one.info().input());
    }
  }

  @Test
  void oneSeriesAtATimeAsASparkGroupWouldCallIt() {
    ManySeries data = PanelSeries.of(List.of("g"), List.of(PanelSeries.seasonal(48, 20, 3)));
    SeriesRefit.Result r =
        PerSeries.trainOne(
            "g",
            data.get("g"),
            "sales",
            PanelSeries.linear(2),
            GapFill.LINEAR,
            6,
            12,
            "spark",
            null);
    try (SeriesModel m = r.model()) {
      assertEquals(42, r.rows());
      assertEquals(6, r.holdout().actual().length);
      assertEquals("spark [g]", m.info().input());
    }
  }
}
