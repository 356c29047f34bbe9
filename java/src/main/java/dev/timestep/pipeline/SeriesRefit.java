package dev.timestep.pipeline;

import dev.timestep.data.Dataset;
import dev.timestep.data.series.ColumnScaler;
import dev.timestep.data.series.FloatArrays;
import dev.timestep.data.series.LinearInterpolation;
import dev.timestep.data.series.Season;
import dev.timestep.data.series.Seasonality;
import dev.timestep.data.series.SeriesSplit;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.nn.Callback;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.History;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.callbacks.EarlyStopping;
import dev.timestep.pipeline.evaluation.Baselines;
import dev.timestep.pipeline.evaluation.ForecastScores;
import dev.timestep.pipeline.evaluation.MaseScale;
import java.util.List;

/**
 * Trains on the whole history: the number of epochs is chosen on a chronological split (the epoch
 * of lowest validation loss), then the same setup is trained again on every row for that many
 * epochs, so the model has seen the most recent data and its file forecasts from the series' end.
 * {@code holdout} rows at the end are kept out of everything (split, scaling, refit) and score the
 * refit model's forecast beside naive and seasonal naive.
 *
 * <p>The split: validation is the last max(20% of the rows, window + horizon) rows, so that it
 * holds at least one window; training the rows before it, which must hold at least window + horizon
 * rows too. So a series needs 2 x (window + horizon) rows: a 48-month series takes a 12-month
 * window, which the fixed 70/20/10 split refuses.
 */
public final class SeriesRefit {
  private SeriesRefit() {}

  /**
   * Scores on the held-out rows, each over the same steps.
   *
   * @param season the period of the seasonal-naive forecast
   * @param actual the held-out target values (NaN where missing; not scored)
   * @param forecast the refit model's forecast from the last kept row
   */
  public record Holdout(
      Season season,
      double[] actual,
      double[] forecast,
      ForecastScores model,
      ForecastScores naive,
      ForecastScores seasonalNaive) {}

  /**
   * What the refit produced.
   *
   * @param model the model trained on every kept row (the caller closes it)
   * @param epochs the epochs chosen on the split and used for the refit
   * @param selection the history of the epoch-choosing fit (loss and val_loss)
   * @param refit the history of the refit (loss only)
   * @param selectionTrainRows rows of the split's training part
   * @param selectionValidRows rows of its validation part
   * @param rows rows the refit was trained on (every row but the holdout)
   * @param gaps what gap filling did to those rows
   * @param holdout scores on the held-out rows, or null when none were held out
   */
  public record Result(
      SeriesModel model,
      int epochs,
      History selection,
      History refit,
      int selectionTrainRows,
      int selectionValidRows,
      int rows,
      GapFill.Result gaps,
      Holdout holdout) {}

  /** The validation rows of the epoch-choosing split of {@code rows} rows. */
  public static int validRows(int rows, int window, int horizon) {
    return Math.max((int) Math.floor(rows * SeriesTrainer.VALID_FRACTION), window + horizon);
  }

  /**
   * Chooses the epochs (at most {@code s.epochs()}) on the split, refits on every row but the last
   * {@code holdout}, and scores the refit model on those.
   *
   * @param input how the series was given, kept in the model's info
   * @param timeColumn the CSV's time column (may be null)
   * @param season the period of the seasonal-naive baseline; null to detect it from the time step
   */
  public static Result run(
      TimeSeries series,
      String target,
      List<String> features,
      String input,
      String timeColumn,
      TrainingSettings s,
      GapFill fill,
      int holdout,
      Integer season) {
    return run(series, target, features, input, timeColumn, s, fill, holdout, season, 0);
  }

  /**
   * As {@link #run(TimeSeries, String, List, String, String, TrainingSettings, GapFill, int,
   * Integer)}, stopping the epoch-choosing fit once its validation loss has not improved for {@code
   * patience} epochs (0: never; it then runs all {@code s.epochs()}).
   */
  public static Result run(
      TimeSeries series,
      String target,
      List<String> features,
      String input,
      String timeColumn,
      TrainingSettings s,
      GapFill fill,
      int holdout,
      Integer season,
      int patience) {
    if (patience < 0) {
      throw new IllegalArgumentException("refit: patience must be >= 0 epochs, got " + patience);
    }
    if (series == null || target == null || s == null || fill == null) {
      throw new IllegalArgumentException(
          "refit: a series, a target column, settings and a gap fill are required");
    }
    List<String> columns = SeriesTrainer.columns(target, features);
    TimeSeries data = series.select(columns.toArray(new String[0]));
    int span = s.window() + s.horizon();
    if (holdout < 0 || holdout >= data.length()) {
      throw new IllegalArgumentException(
          "holdout must be from 0 to fewer than the series' "
              + data.length()
              + " rows, got "
              + holdout);
    }
    if (holdout > s.horizon() && columns.size() > 1) {
      throw new IllegalArgumentException(
          "a holdout of "
              + holdout
              + " rows is scored on one forecast from its start, which past the horizon of "
              + s.horizon()
              + " feeds forecasts back and so needs a model of the target alone, but it also reads "
              + columns);
    }
    TimeSeries kept = data.slice(0, data.length() - holdout);
    int k = kept.length();
    int valid = validRows(k, s.window(), s.horizon());
    if (k - valid < span) {
      throw new IllegalArgumentException(
          "window "
              + s.window()
              + " + horizon "
              + s.horizon()
              + " needs "
              + 2 * span
              + " rows to refit (one window's span to choose the epochs on, one to train before it),"
              + " but "
              + data.source()
              + " has "
              + k
              + (holdout > 0 ? " rows besides the " + holdout + " held out" : " rows")
              + "; use a shorter window or horizon");
    }
    SeriesSplit split = new SeriesSplit(kept.slice(0, k - valid), kept.slice(k - valid, k), kept);
    Season seasonUsed = Seasonality.detect(data, season);

    // 1. Choose the epochs on the split.
    ColumnScaler splitScaler = SeriesTrainer.fitScaler(s, split.train());
    SeriesModelInfo splitInfo = info(s, columns, target, splitScaler, input, timeColumn, kept);
    WindowSpec spec = splitInfo.windowSpec();
    GapFill.Result trainPart = fill.windows(splitScaler.transform(split.train()), spec);
    GapFill.Result validPart = fill.windows(splitScaler.transform(split.valid()), spec);
    TrainingData choose =
        new TrainingData(
            splitInfo,
            trainPart.windows(),
            validPart.windows(),
            split.train().length(),
            split.valid().length(),
            fill,
            trainPart,
            validPart,
            null);
    TrainingResult chosen = SeriesTrainer.fit(choose, patience == 0 ? s : stopping(s, patience));
    History selection = chosen.history();
    chosen.model().close();
    int epochs = bestEpoch(selection.get("val_loss"));

    // 2. Refit on every kept row for that many epochs; the scaler now sees every kept row too.
    ColumnScaler scaler = SeriesTrainer.fitScaler(s, kept);
    SeriesModelInfo info = info(s, columns, target, scaler, input, timeColumn, kept);
    GapFill.Result all = fill.windows(scaler.transform(kept), spec);
    Dataset set = SeriesTrainer.forModel(info, s.model(), all.windows().dataset());
    Sequential m = SeriesTrainer.compiled(s);
    SeriesModel model;
    History refit;
    try {
      refit =
          m.fit(
              set.x(),
              set.y(),
              FitOptions.defaults()
                  .epochs(epochs)
                  .batchSize(s.batchSize())
                  .seed(s.seed())
                  .callbacks(s.callbacks().toArray(new Callback[0])));
      model = new SeriesModel(m, info, SeriesTail.of(kept, columns, s.window()));
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    try {
      Holdout scores =
          holdout == 0 ? null : score(model, kept, data.slice(k, data.length()), seasonUsed);
      return new Result(
          model,
          epochs,
          selection,
          refit,
          split.train().length(),
          split.valid().length(),
          k,
          all,
          scores);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** {@code s} with early stopping on the validation loss added to its callbacks. */
  private static TrainingSettings stopping(TrainingSettings s, int patience) {
    List<Callback> callbacks = new java.util.ArrayList<>(s.callbacks());
    callbacks.add(new EarlyStopping().monitor("val_loss").patience(patience));
    return s.withCallbacks(callbacks.toArray(new Callback[0]));
  }

  /** The 1-based epoch of lowest validation loss {@code v} per epoch (the first of equals). */
  static int bestEpoch(double[] v) {
    int best = 0;
    for (int e = 1; e < v.length; e++) {
      if (v[e] < v[best] || (Double.isNaN(v[best]) && !Double.isNaN(v[e]))) {
        best = e;
      }
    }
    return best + 1;
  }

  private static Holdout score(SeriesModel model, TimeSeries kept, TimeSeries held, Season season) {
    TimeSeries inputs = kept.missingCount() > 0 ? LinearInterpolation.fill(kept) : kept;
    double[] forecast = model.forecast(inputs, new int[] {kept.length()}, held.length(), 0).mean(0);
    return score(forecast, kept, held, season);
  }

  /**
   * Scores {@code forecast} of the held-out rows {@code held} (target first column) beside naive
   * and seasonal naive from the end of {@code kept}, on the MASE scale of {@code kept}.
   */
  static Holdout score(double[] forecast, TimeSeries kept, TimeSeries held, Season season) {
    int target = 0; // the target is the first selected column
    TimeSeries inputs = kept.missingCount() > 0 ? LinearInterpolation.fill(kept) : kept;
    int steps = held.length();
    double[] actual = FloatArrays.toDoubles(held.column(target));
    double[] observed = FloatArrays.toDoubles(kept.column(target));
    double[] history = FloatArrays.toDoubles(inputs.column(target));
    int period = season.period() < kept.length() ? season.period() : 1;
    double scale = MaseScale.of(observed, period);
    return new Holdout(
        season,
        actual,
        forecast,
        ForecastScores.of(actual, forecast, scale),
        ForecastScores.of(actual, Baselines.naive(history, steps), scale),
        ForecastScores.of(actual, Baselines.seasonalNaive(history, period, steps), scale));
  }

  private static SeriesModelInfo info(
      TrainingSettings s,
      List<String> columns,
      String target,
      ColumnScaler scaler,
      String input,
      String timeColumn,
      TimeSeries kept) {
    return SeriesModelInfo.of(
        s, columns, target, s.scaler(), scaler, input, timeColumn, kept.time(kept.length() - 1));
  }
}
