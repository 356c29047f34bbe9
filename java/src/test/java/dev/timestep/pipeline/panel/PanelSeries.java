package dev.timestep.pipeline.panel;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.LongFormat;
import dev.timestep.data.series.ManySeries;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.models.ChapterModels;
import dev.timestep.pipeline.TrainingSettings;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Monthly test series of different levels, as one long table. */
final class PanelSeries {
  private PanelSeries() {}

  /** {@code level x (1 + 0.1 sin(2 pi t / 12))} plus noise of 0.5% of the level. */
  static float[] seasonal(int n, double level, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int t = 0; t < n; t++) {
      v[t] =
          (float)
              (level * (1 + 0.1 * Math.sin(2 * Math.PI * t / 12))
                  + level * 0.005 * (r.nextDouble() - 0.5));
    }
    return v;
  }

  static LocalDateTime month(int t) {
    return LocalDate.of(2000, 1, 1).plusMonths(t).atStartOfDay();
  }

  /** One series per id, from January 2000, as column "sales". */
  static ManySeries of(List<String> ids, List<float[]> values) {
    List<String> rowIds = new ArrayList<>();
    List<LocalDateTime> times = new ArrayList<>();
    List<Float> v = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      for (int t = 0; t < values.get(i).length; t++) {
        rowIds.add(ids.get(i));
        times.add(month(t));
        v.add(values.get(i)[t]);
      }
    }
    float[] column = new float[v.size()];
    for (int r = 0; r < column.length; r++) {
      column[r] = v.get(r);
    }
    return LongFormat.group(
        "test",
        TimeFormat.YEAR_MONTH,
        rowIds.toArray(new String[0]),
        times.toArray(new LocalDateTime[0]),
        List.of("sales"),
        new float[][] {column});
  }

  /** A linear model on absolute windows of 12 months, 1 step ahead. */
  static TrainingSettings linear(int epochs) {
    return TrainingSettings.of(ChapterModels.named("linear"), 12, 1, Backends.named("cpu"))
        .withEpochs(epochs)
        .withLearningRate(0.01);
  }
}
