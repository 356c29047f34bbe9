package dev.timestep.concurrency;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.models.ChapterModels;
import dev.timestep.nn.Sequential;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.SeriesTrainer;
import dev.timestep.pipeline.TrainingSettings;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestSeries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One small trained series model (stacked LSTMs with dropout, window 24, horizon 1) saved once;
 * each race case loads a fresh copy on the native CPU backend, so every case starts from the same
 * weights and closing it frees memory no other case uses.
 */
final class RaceFixture {
  static final int WINDOW = 24;

  private final Path dir;
  private final Path saved;
  private final TimeSeries data;
  private final TimeSeries gappy;
  private final NDArray x;
  private final NDArray y;

  RaceFixture(Path dir) {
    this.dir = dir;
    float[] values = TestSeries.values(240, 26, 0.2, 1);
    data = TestSeries.weekly(values);
    float[] holes = values.clone();
    for (int r : new int[] {60, 61, 62, 130, 200, 201}) {
      holes[r] = Float.NaN;
    }
    gappy = TestSeries.weekly(holes);
    TrainingSettings s =
        new TrainingSettings(
            ChapterModels.named("lstm"),
            WINDOW,
            1,
            1,
            32,
            0.01,
            "standard",
            true,
            0.2,
            3,
            CpuBackend.get(),
            null);
    saved = dir.resolve("fixture.tsm");
    try (SeriesModel model =
        SeriesTrainer.train(data, "value", List.of(), "race fixture", null, s).model()) {
      model.save(saved);
      float[] window = new float[8 * WINDOW];
      for (int i = 0; i < window.length; i++) {
        window[i] = (float) Math.sin(i * 0.3);
      }
      x = NDArray.of(window, 8, WINDOW, 1);
      y = model.model().predict(x); // targets of the model's own output shape
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A fresh model and the inputs every {@link ModelCall} needs; {@code id} names its output file.
   */
  Case open(int id) {
    try {
      SeriesModel series = SeriesModel.load(saved, CpuBackend.get());
      return new Case(series, data, gappy, x, y, dir.resolve("out-" + id + ".tsm"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What one race works on. */
  record Case(
      SeriesModel series, TimeSeries data, TimeSeries gappy, NDArray x, NDArray y, Path file) {
    Sequential model() {
      return series.model();
    }
  }
}
