package dev.timestep.pipeline.panel;

import dev.timestep.data.Dataset;
import dev.timestep.data.series.ColumnScaler;
import dev.timestep.data.series.ManySeries;
import dev.timestep.data.series.MinMaxScaler;
import dev.timestep.data.series.Seasonality;
import dev.timestep.data.series.SkippedSeries;
import dev.timestep.data.series.StandardScaler;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.data.series.Windows;
import dev.timestep.nn.History;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesModelInfo;
import dev.timestep.pipeline.SeriesRefit;
import dev.timestep.pipeline.SeriesTail;
import dev.timestep.pipeline.SeriesTrainer;
import dev.timestep.pipeline.TrainingData;
import dev.timestep.pipeline.TrainingResult;
import dev.timestep.pipeline.TrainingSettings;
import dev.timestep.tensor.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains one network on the windows of many series together. Each series is split in time order as
 * {@code train --refit} splits one (validation: its last max(20%, window + horizon) rows, after
 * {@code holdout} rows are set aside), scaled by its own scaler fitted on its own training rows
 * only, and windowed relative or absolute as the settings say; the training windows of every series
 * are trained on together and the validation windows validate. With {@code refit}, that fit only
 * chooses the epochs (lowest validation loss) and the network is trained again on every kept row of
 * every series, each scaler refitted on its series' kept rows, as {@link SeriesRefit} does for one
 * series. The model keeps each series' scaler and last rows and forecasts every id from its end.
 *
 * <pre>{@code
 * ManySeries stores = LongCsvReader.idColumn("store").timeColumn("date").read(Path.of("s.csv"));
 * GlobalTrainer.Result r = GlobalTrainer.train(stores, "sales", settings, GapFill.LINEAR, 0, null,
 *     "csv s.csv", "date", true);
 * try (GlobalModel m = r.model()) {
 *   m.save(Path.of("stores.tsm"));
 * }
 * }</pre>
 *
 * <p>A series too short for its split (2 x (window + horizon) rows besides the holdout), with no
 * observed value, constant on its training rows, or without a complete training window is skipped
 * and reported in {@link Result#skipped()}.
 */
public final class GlobalTrainer {
  private GlobalTrainer() {}

  /**
   * What the training produced.
   *
   * @param model the trained global model (the caller closes it)
   * @param history loss and validation loss per epoch of the split's fit (scaled units)
   * @param epochs the epochs the model was trained for: chosen on the split with refit, else all
   * @param refit whether the model was trained again on every kept row
   * @param skipped the ids left out, with their reasons (those of the input first)
   * @param trainWindows windows the model was trained on, all series together
   * @param validWindows validation windows of the split, all series together
   * @param holdouts per id, the scores of its held-out rows (empty without a holdout)
   * @param unscored ids trained on whose holdout could not be scored, and why (e.g. MASE's scale is
   *     0 for a series that repeats its season exactly)
   */
  public record Result(
      GlobalModel model,
      History history,
      int epochs,
      boolean refit,
      List<SkippedSeries> skipped,
      int trainWindows,
      int validWindows,
      Map<String, SeriesRefit.Holdout> holdouts,
      List<SkippedSeries> unscored) {}

  /**
   * As {@link #train(ManySeries, String, TrainingSettings, GapFill, int, Integer, String, String,
   * boolean)}, trained once on the split (no refit).
   */
  public static Result train(
      ManySeries data,
      String target,
      TrainingSettings s,
      GapFill fill,
      int holdout,
      Integer season,
      String input,
      String timeColumn) {
    return train(data, target, s, fill, holdout, season, input, timeColumn, false);
  }

  /**
   * Trains on column {@code target} of every series.
   *
   * @param holdout rows at the end of each series kept out of everything and scored (0: none)
   * @param season the seasonal-naive period for the holdout scores; null to detect it per series
   * @param input how the table was given, kept in the model's info ("csv FILE")
   * @param timeColumn the table's time column (may be null)
   * @param refit choose the epochs on the split, then train again on every kept row
   * @throws IllegalArgumentException on bad settings, or when no series can be trained (the message
   *     lists why each was skipped)
   */
  public static Result train(
      ManySeries data,
      String target,
      TrainingSettings s,
      GapFill fill,
      int holdout,
      Integer season,
      String input,
      String timeColumn,
      boolean refit) {
    if (data == null || target == null || s == null || fill == null || input == null) {
      throw new IllegalArgumentException(
          "global training: series, a target column, settings, a gap fill and an input are required");
    }
    if (holdout < 0) {
      throw new IllegalArgumentException("holdout must be 0 or more rows, got " + holdout);
    }
    int span = s.window() + s.horizon();
    ManySeries usable =
        data.withAtLeast(
            holdout + 2 * span,
            target,
            "2 x (window "
                + s.window()
                + " + horizon "
                + s.horizon()
                + ")"
                + (holdout > 0 ? " + holdout " + holdout : ""));
    SeriesModelInfo info = info(s, target, input, timeColumn);
    Parts split = parts(usable, target, s, fill, holdout, info.windowSpec(), false);
    List<SkippedSeries> skipped = new ArrayList<>(usable.skipped());
    skipped.addAll(split.skipped);
    if (split.scalers.isEmpty()) {
      throw new IllegalArgumentException(
          "global training: no series of " + data.source() + " can be trained on: " + skipped);
    }
    if (split.valid.size() == 0) {
      throw new IllegalArgumentException(
          "global training: every validation window of "
              + data.source()
              + " touches a missing value; nothing to validate on");
    }
    TrainingResult fitted = SeriesTrainer.fit(split.data(info, fill), s);
    History history = fitted.history();
    int epochs = s.epochs();
    Parts used = split;
    if (refit) {
      fitted.model().close();
      epochs = bestEpoch(history.get("val_loss"));
      // The same series on every kept row: a scaler the split accepted accepts them too.
      used =
          parts(usable.skipping(split.skipped), target, s, fill, holdout, info.windowSpec(), true);
      skipped.addAll(used.skipped);
      fitted = SeriesTrainer.fit(used.data(info, fill), s.withEpochs(epochs));
    }
    GlobalModel model;
    try {
      model = new GlobalModel(fitted.model(), s.scaler(), used.scalers, used.tails);
    } catch (RuntimeException e) {
      fitted.model().close();
      throw e;
    }
    try {
      Map<String, SeriesRefit.Holdout> holdouts = new LinkedHashMap<>();
      List<SkippedSeries> unscored = new ArrayList<>();
      if (holdout > 0) {
        for (String id : model.ids()) {
          TimeSeries series = usable.get(id).select(target);
          int k = series.length() - holdout;
          TimeSeries kept = series.slice(0, k);
          double[] forecast = model.forecast(id, kept, holdout, 0).mean();
          try {
            holdouts.put(
                id,
                HoldoutScores.of(
                    kept.column(0),
                    series.slice(k, series.length()).column(0),
                    forecast,
                    Seasonality.detect(series, season)));
          } catch (IllegalArgumentException e) {
            unscored.add(new SkippedSeries(id, e.getMessage()));
          }
        }
      }
      return new Result(
          model,
          history,
          epochs,
          refit,
          skipped,
          used.train.size(),
          split.valid.size(),
          holdouts,
          unscored);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The network's own info: it reads windows already scaled per series, so its scaler is none. */
  private static SeriesModelInfo info(
      TrainingSettings s, String target, String input, String timeColumn) {
    List<String> columns = List.of(target);
    return new SeriesModelInfo(
        s.model().name(),
        s.model().layout(),
        s.model().outputStart(),
        s.model().outputEvery(),
        s.window(),
        s.horizon(),
        columns,
        target,
        "none",
        SeriesModelInfo.identityScaler(columns),
        s.relative(),
        s.dropout(),
        input,
        timeColumn,
        null);
  }

  /** Every series' windows, scalers and kept rows, for the split or (whole) for the refit. */
  private static final class Parts {
    final Map<String, ColumnScaler> scalers = new LinkedHashMap<>();
    final Map<String, SeriesTail> tails = new LinkedHashMap<>();
    final List<SkippedSeries> skipped = new ArrayList<>();
    Windows train;
    Windows valid;
    int trainRows;
    int validRows;

    TrainingData data(SeriesModelInfo info, GapFill fill) {
      return new TrainingData(info, train, valid, trainRows, validRows, fill, null, null, null);
    }
  }

  /**
   * Each series' kept rows (all but the holdout) split as {@link SeriesRefit#validRows} says, and
   * scaled by a scaler fitted on its training part, or with {@code whole} on all of them (the
   * validation windows are then the last ones of the training rows, which a refit also trains on).
   */
  private static Parts parts(
      ManySeries usable,
      String target,
      TrainingSettings s,
      GapFill fill,
      int holdout,
      WindowSpec spec,
      boolean whole) {
    Parts p = new Parts();
    List<Windows> train = new ArrayList<>();
    List<Windows> valid = new ArrayList<>();
    for (String id : usable.ids()) {
      TimeSeries series = usable.get(id).select(target);
      TimeSeries kept = series.slice(0, series.length() - holdout);
      int k = kept.length();
      int v = SeriesRefit.validRows(k, s.window(), s.horizon());
      TimeSeries trainPart = whole ? kept : kept.slice(0, k - v);
      ColumnScaler scaler;
      try {
        scaler =
            s.scaler().equals("minmax")
                ? MinMaxScaler.fit(trainPart)
                : StandardScaler.fit(trainPart);
      } catch (IllegalArgumentException e) {
        p.skipped.add(
            new SkippedSeries(id, "its training rows cannot be scaled: " + e.getMessage()));
        continue;
      }
      Windows t = fill.windows(scaler.transform(trainPart), spec).windows();
      if (t.size() == 0) {
        p.skipped.add(
            new SkippedSeries(
                id,
                "no complete training window: all " + t.candidates() + " touch a missing value"));
        continue;
      }
      train.add(t);
      valid.add(fill.windows(scaler.transform(kept.slice(k - v, k)), spec).windows());
      p.trainRows += trainPart.length();
      p.validRows += v;
      p.scalers.put(id, scaler);
      p.tails.put(id, SeriesTail.of(kept, List.of(target), s.window()));
    }
    p.train = train.isEmpty() ? null : concat(train);
    p.valid = valid.isEmpty() ? null : concat(valid);
    return p;
  }

  /** The 1-based epoch of lowest validation loss (the first of equals), as SeriesRefit chooses. */
  static int bestEpoch(double[] v) {
    int best = 0;
    for (int e = 1; e < v.length; e++) {
      if (v[e] < v[best] || (Double.isNaN(v[best]) && !Double.isNaN(v[e]))) {
        best = e;
      }
    }
    return best + 1;
  }

  /** The windows of several series as one set, in order. */
  static Windows concat(List<Windows> parts) {
    int n = 0;
    int candidates = 0;
    int skipped = 0;
    int xSize = 0;
    int ySize = 0;
    for (Windows w : parts) {
      n += w.size();
      candidates += w.candidates();
      skipped += w.skippedForMissing();
      xSize += w.dataset().x().data().length;
      ySize += w.dataset().y().data().length;
    }
    float[] x = new float[xSize];
    float[] y = new float[ySize];
    int xAt = 0;
    int yAt = 0;
    for (Windows w : parts) {
      float[] px = w.dataset().x().data();
      float[] py = w.dataset().y().data();
      System.arraycopy(px, 0, x, xAt, px.length);
      System.arraycopy(py, 0, y, yAt, py.length);
      xAt += px.length;
      yAt += py.length;
    }
    Dataset first = parts.get(0).dataset();
    NDArray xs = NDArray.of(x, first.x().shape().withFirst(n).dims());
    NDArray ys = NDArray.of(y, first.y().shape().withFirst(n).dims());
    return new Windows(new Dataset(xs, ys), candidates, skipped);
  }
}
