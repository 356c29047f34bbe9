package dev.timestep.pipeline;

import dev.timestep.data.series.LinearInterpolation;
import dev.timestep.data.series.Season;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.transform.SeriesTransform;
import dev.timestep.pipeline.evaluation.BacktestReport;
import dev.timestep.pipeline.evaluation.FoldForecaster;
import dev.timestep.pipeline.evaluation.RollingBacktest;
import java.util.List;

/**
 * Rolling-origin backtests of a chapter model trained the way {@link SeriesTrainer} trains: on each
 * fold a fresh model is trained on the fold's training rows alone (split 70/20/10 inside them for
 * early stopping and validation, the scaler fitted on the first 70% of them), and forecasts the
 * next {@code horizon} rows from a window filled linearly from those rows. Rows at or after a
 * fold's origin never reach training, scaling or gap filling. See {@link RollingBacktest} for the
 * folds and the scores.
 *
 * <pre>{@code
 * TrainingSettings s = TrainingSettings.of(ChapterModels.named("linear"), 20, 1, Backends.auto());
 * TimeSeries sunspots = RealSeries.sunspots();
 * BacktestReport r = SeriesBacktest.run(sunspots, "SUNACTIVITY", 10, null,
 *     Seasonality.detect(sunspots), null, s);
 * System.out.println(r.model().overallMase() + " vs " + r.seasonalNaive().overallMase());
 * }</pre>
 */
public final class SeriesBacktest {
  private SeriesBacktest() {}

  /**
   * Backtests the chapter model of {@code settings} on {@code column} of {@code series},
   * forecasting {@code horizon} steps at once (the settings' horizon is replaced by it).
   *
   * @param folds the number of folds, or null for as many as fit, up to {@link
   *     RollingBacktest#DEFAULT_MAX_FOLDS}
   * @param transform fitted on each fold's training rows; null for none
   */
  public static BacktestReport run(
      TimeSeries series,
      String column,
      int horizon,
      Integer folds,
      Season season,
      SeriesTransform transform,
      TrainingSettings settings) {
    return RollingBacktest.run(
        series, column, horizon, folds, season, transform, chapterModel(settings, horizon));
  }

  /** A forecaster that trains {@code settings}' model on each fold, forecasting {@code horizon}. */
  public static FoldForecaster chapterModel(TrainingSettings settings, int horizon) {
    if (settings == null) {
      throw new IllegalArgumentException("backtest: training settings are required");
    }
    TrainingSettings s = withHorizon(settings, horizon);
    return new FoldForecaster() {
      @Override
      public double[] forecast(TimeSeries training, int h) {
        if (h != s.horizon()) {
          throw new IllegalArgumentException(
              "backtest: this forecaster was made for horizon " + s.horizon() + ", not " + h);
        }
        String target = training.columnNames().get(0);
        TrainingResult result =
            SeriesTrainer.train(training, target, List.of(), "backtest fold", null, s);
        try (SeriesModel model = result.model()) {
          TimeSeries filled = LinearInterpolation.fill(training);
          return model.forecast(filled, new int[] {training.length()}, h, 0).mean(0);
        }
      }

      @Override
      public int minTrainingRows(int h) {
        return minRows(s.window(), h);
      }
    };
  }

  /**
   * The fewest rows {@link SeriesTrainer} trains on with this window and horizon: its validation
   * part, {@link SeriesTrainer#VALID_FRACTION} of the rows, must hold one window and its horizon.
   */
  static int minRows(int window, int horizon) {
    long span = (long) window + horizon;
    long n = (long) Math.ceil(span / SeriesTrainer.VALID_FRACTION);
    while ((long) Math.floor(n * SeriesTrainer.VALID_FRACTION) < span) {
      n++;
    }
    // More than any series can have: the fold split then refuses the series as too short.
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  private static TrainingSettings withHorizon(TrainingSettings s, int horizon) {
    return new TrainingSettings(
        s.model(),
        s.window(),
        horizon,
        s.epochs(),
        s.batchSize(),
        s.learningRate(),
        s.scaler(),
        s.relative(),
        s.dropout(),
        s.seed(),
        s.backend(),
        s.callbacks());
  }
}
