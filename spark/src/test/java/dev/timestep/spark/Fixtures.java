package dev.timestep.spark;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.LongFormat;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.models.ChapterModels;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.TrainingSettings;
import dev.timestep.pipeline.panel.PerSeries;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.SplittableRandom;

/** Small monthly series and a small model trained on one of them. */
final class Fixtures {
  private Fixtures() {}

  /** {@code level x (1 + 0.1 sin(2 pi (t + phase) / 12))} plus noise of 1% of the level. */
  static float[] seasonal(int n, double level, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int t = 0; t < n; t++) {
      v[t] =
          (float)
              (level * (1 + 0.1 * Math.sin(2 * Math.PI * (t + seed) / 12))
                  + level * 0.01 * (r.nextDouble() - 0.5));
    }
    return v;
  }

  static LocalDate month(int t) {
    return LocalDate.of(2000, 1, 1).plusMonths(t);
  }

  static TimeSeries series(String id, float[] values) {
    LocalDateTime[] times = new LocalDateTime[values.length];
    for (int t = 0; t < times.length; t++) {
      times[t] = month(t).atStartOfDay();
    }
    return LongFormat.series(id, TimeFormat.DATE, times, List.of("value"), new float[][] {values});
  }

  /** A linear model of 12-month windows, 2 steps ahead, on the cpu backend. */
  static TrainingSettings linear(int epochs) {
    return TrainingSettings.of(ChapterModels.named("linear"), 12, 2, Backends.named("cpu"))
        .withEpochs(epochs)
        .withLearningRate(0.01);
  }

  /** Trains {@link #linear} on one series and saves it to {@code file}. */
  static Path model(Path file) throws Exception {
    return model(file, linear(3));
  }

  /** Trains with {@code s} on one series and saves the model to {@code file}. */
  static Path model(Path file, TrainingSettings s) throws Exception {
    try (SeriesModel m =
        PerSeries.trainOne(
                "one",
                series("one", seasonal(60, 100, 1)),
                "value",
                s,
                GapFill.LINEAR,
                0,
                12,
                "test",
                null)
            .model()) {
      m.save(file);
    }
    return file;
  }
}
