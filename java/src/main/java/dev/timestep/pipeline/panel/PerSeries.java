package dev.timestep.pipeline.panel;

import dev.timestep.data.series.ManySeries;
import dev.timestep.data.series.SkippedSeries;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.SeriesRefit;
import dev.timestep.pipeline.TrainingSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model per series, each trained by the single-series workflow on the whole history ({@link
 * SeriesRefit#run}: epochs chosen on a chronological split, then refit on every row but the
 * holdout, scaler fitted on that series' rows only). {@link #trainOne} trains one series, as a
 * caller that groups the rows itself (a Spark job, one group per id) needs; {@link #trainAll}
 * trains every id of a table and reports the ones it skipped.
 *
 * <pre>{@code
 * try (PerSeriesModels m = PerSeries.trainAll(stores, "sales", settings, GapFill.LINEAR, 12, null,
 *     "csv s.csv", "date")) {
 *   m.holdouts().forEach((id, h) -> System.out.println(id + " MASE " + h.model().overallMase()));
 *   m.save(Path.of("stores"));
 * }
 * }</pre>
 */
public final class PerSeries {
  private PerSeries() {}

  /**
   * Trains the model of series {@code id} ({@link SeriesRefit#run} with these arguments); its info
   * records the input as {@code input [id]}.
   *
   * @throws IllegalArgumentException when the series cannot be trained (too short, ...)
   */
  public static SeriesRefit.Result trainOne(
      String id,
      TimeSeries series,
      String target,
      TrainingSettings s,
      GapFill fill,
      int holdout,
      Integer season,
      String input,
      String timeColumn) {
    if (id == null || input == null) {
      throw new IllegalArgumentException("per-series training: an id and an input are required");
    }
    return SeriesRefit.run(
        series, target, List.of(), input + " [" + id + "]", timeColumn, s, fill, holdout, season);
  }

  /**
   * Trains every id of {@code data} with {@link #trainOne}; an id too short for 2 x (window +
   * horizon) rows besides the holdout, or that its training refuses, is skipped with the reason.
   *
   * @throws IllegalArgumentException when no id can be trained (the message lists why)
   */
  public static PerSeriesModels trainAll(
      ManySeries data,
      String target,
      TrainingSettings s,
      GapFill fill,
      int holdout,
      Integer season,
      String input,
      String timeColumn) {
    if (data == null || target == null || s == null) {
      throw new IllegalArgumentException(
          "per-series training: series, a target column and settings are required");
    }
    if (holdout < 0) {
      throw new IllegalArgumentException("holdout must be 0 or more rows, got " + holdout);
    }
    ManySeries usable =
        data.withAtLeast(
            holdout + 2 * (s.window() + s.horizon()),
            target,
            "2 x (window "
                + s.window()
                + " + horizon "
                + s.horizon()
                + ")"
                + (holdout > 0 ? " + holdout " + holdout : ""));
    Map<String, SeriesModel> models = new LinkedHashMap<>();
    Map<String, SeriesRefit.Holdout> holdouts = new LinkedHashMap<>();
    List<SkippedSeries> skipped = new ArrayList<>(usable.skipped());
    boolean done = false;
    try {
      for (String id : usable.ids()) {
        SeriesRefit.Result r;
        try {
          r = trainOne(id, usable.get(id), target, s, fill, holdout, season, input, timeColumn);
        } catch (IllegalArgumentException e) {
          skipped.add(new SkippedSeries(id, e.getMessage()));
          continue;
        }
        models.put(id, r.model());
        if (r.holdout() != null) {
          holdouts.put(id, r.holdout());
        }
      }
      if (models.isEmpty()) {
        throw new IllegalArgumentException(
            "per-series training: no series of " + data.source() + " can be trained: " + skipped);
      }
      PerSeriesModels out = new PerSeriesModels(models, holdouts, skipped);
      done = true;
      return out;
    } finally {
      if (!done) {
        models.values().forEach(SeriesModel::close);
      }
    }
  }
}
