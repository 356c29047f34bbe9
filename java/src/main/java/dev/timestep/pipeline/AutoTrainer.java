package dev.timestep.pipeline;

import dev.timestep.data.series.FloatArrays;
import dev.timestep.data.series.LinearInterpolation;
import dev.timestep.data.series.Season;
import dev.timestep.data.series.Seasonality;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.transform.FittedTransform;
import dev.timestep.data.series.transform.SeriesTransform;
import dev.timestep.pipeline.evaluation.BacktestReport;
import dev.timestep.pipeline.evaluation.FoldResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The forecasting workflow's default: train on the whole history, with every choice made by
 * rolling-origin backtests rather than by one split.
 *
 * <ol>
 *   <li>The season comes from the time step, the window from the season and the rows ({@link
 *       AutoDefaults}).
 *   <li>Each candidate (a chapter model under a transform) is backtested on {@code folds} origins
 *       at the end of the kept rows: on each fold it is trained the way the final model is ({@link
 *       SeriesRefit}: epochs chosen with early stopping on the fold's last rows, then a refit on
 *       all of the fold's rows) and forecasts the horizon after it. The lowest MASE wins.
 *   <li>The winner is refit on every kept row with {@code members} seeds; the forecast is their
 *       median per step.
 *   <li>The winner's fold residuals calibrate split-conformal intervals per step.
 *   <li>The last {@code holdout} rows, when asked for, are kept out of all of it and score the
 *       ensemble beside naive and seasonal naive.
 * </ol>
 *
 * <pre>{@code
 * TimeSeries sales = CsvSeriesReader.read(Path.of("sales.csv"), "month");
 * AutoTrainer.Result r = AutoTrainer.run(sales, "sales", "csv sales.csv", "month",
 *     AutoSettings.defaults(12, Backends.auto()), 0, System.out::println);
 * try (SeriesEnsemble e = r.ensemble()) {
 *   e.save(Path.of("sales.tsm"));
 * }
 * }</pre>
 */
public final class AutoTrainer {
  private AutoTrainer() {}

  /**
   * A candidate's backtest.
   *
   * @param relative whether its windows are taken relative to their last value
   * @param report its scores over the folds, or null when it could not be trained or scored
   * @param refused why not, or null
   */
  public record Candidate(
      String model,
      boolean relative,
      TransformChoice transform,
      BacktestReport report,
      String refused) {
    /** Its overall MASE, or +infinity when refused. */
    public double mase() {
      return report == null ? Double.POSITIVE_INFINITY : report.model().overallMase();
    }

    /** "gru relative + boxcox". */
    public String label() {
      return model + (relative ? " relative" : " absolute") + " + " + transform.label();
    }
  }

  /**
   * What the workflow chose and made.
   *
   * @param ensemble the models refit on every kept row (the caller closes it)
   * @param season the season used for seasonal naive, MASE and the window
   * @param window the window used
   * @param maxEpochs the epoch limit of every fit
   * @param folds the folds each candidate was scored on
   * @param candidates every candidate's backtest, in the order tried
   * @param chosen the winner
   * @param memberEpochs the epochs each member was refit for
   * @param holdout the ensemble's scores on the held-out rows, or null when none were held out
   */
  public record Result(
      SeriesEnsemble ensemble,
      Season season,
      int window,
      int maxEpochs,
      int folds,
      List<Candidate> candidates,
      Candidate chosen,
      int[] memberEpochs,
      SeriesRefit.Holdout holdout) {}

  /**
   * Runs the workflow on {@code target} of {@code series}, keeping the last {@code holdout} rows
   * out of everything.
   *
   * @param input how the series was given, kept in the model's info
   * @param timeColumn the CSV's time column (may be null)
   * @param log receives one line per step of progress (may be null)
   */
  public static Result run(
      TimeSeries series,
      String target,
      String input,
      String timeColumn,
      AutoSettings a,
      int holdout,
      Consumer<String> log) {
    if (series == null || target == null || a == null) {
      throw new IllegalArgumentException("auto: a series, its target and settings are required");
    }
    Consumer<String> say = log == null ? line -> {} : log;
    TimeSeries data = series.select(target);
    if (holdout < 0 || holdout >= data.length()) {
      throw new IllegalArgumentException(
          "holdout must be from 0 to fewer than the series' "
              + data.length()
              + " rows, got "
              + holdout);
    }
    TimeSeries kept = data.slice(0, data.length() - holdout);
    int rows = kept.length();
    if (kept.missingCount() == rows) {
      throw new IllegalArgumentException(
          data.source()
              + ": column '"
              + target
              + "' has no observed value"
              + (holdout > 0 ? " before the " + holdout + " held-out rows" : ""));
    }
    Season season = Seasonality.detect(data, a.season());
    int h = a.horizon();
    AutoPlan plan = plan(season, rows, a);
    int window = plan.window();
    int folds = plan.folds();
    int hm = plan.modelHorizon();
    int hf = plan.foldHorizon();
    int maxEpochs =
        a.epochs() != null
            ? a.epochs()
            : AutoDefaults.maxEpochs(rows - window - hm + 1, a.batchSize());
    say.accept(
        String.format(
            Locale.ROOT,
            "season %d (%s); window %d%s; the model forecasts %d step(s) at once; %d backtest"
                + " fold(s) of %d step(s); up to %d epochs, early stopping after %d without progress",
            season.period(),
            season.reason(),
            window,
            a.window() != null ? " (given)" : windowReason(season, h, window),
            hm,
            folds,
            hf,
            maxEpochs,
            a.patience()));
    plan.notes().forEach(n -> say.accept("short series: " + n));

    List<Candidate> candidates = CandidateSearch.run(kept, target, a, plan, maxEpochs, season, say);
    float[] values = kept.column(0);
    Candidate chosen = null;
    for (Candidate c : candidates) {
      if (c.report() != null && (chosen == null || c.mase() < chosen.mase())) {
        chosen = c;
      }
    }
    if (chosen == null) {
      throw new IllegalArgumentException(
          "auto: no candidate could be trained: "
              + candidates.stream().map(c -> c.label() + ": " + c.refused()).toList());
    }
    if (candidates.size() > 1) {
      say.accept("chosen: " + chosen.label() + " (lowest backtest MASE)");
    }

    // The refit: every kept row, one member per seed.
    SeriesTransform unfitted = chosen.transform().unfitted(season.period());
    double[] raw = FloatArrays.toDoubles(values);
    FittedTransform fitted = unfitted == null ? null : unfitted.fit(raw);
    int lead = TransformChoice.leadingRows(fitted);
    TimeSeries handed =
        fitted == null
            ? kept
            : kept.withValues(new float[][] {FloatArrays.toFloats(fitted.apply(raw))})
                .slice(lead, rows);
    List<SeriesModel> members = new ArrayList<>();
    int[] epochs = new int[a.members()];
    SeriesEnsemble ensemble;
    try {
      for (int i = 0; i < a.members(); i++) {
        TrainingSettings s =
            CandidateSearch.settings(
                a, chosen.model(), chosen.relative(), plan, maxEpochs, a.seed() + i);
        SeriesRefit.Result r =
            SeriesRefit.run(
                handed,
                target,
                List.of(),
                input,
                timeColumn,
                s,
                a.fill(),
                0,
                season.period(),
                a.patience());
        members.add(r.model());
        epochs[i] = r.epochs();
        say.accept(
            String.format(
                Locale.ROOT,
                "member %d of %d (seed %d): %d epochs, refit on all %d rows",
                i + 1,
                a.members(),
                a.seed() + i,
                r.epochs(),
                rows));
      }
      ForecastIntervals intervals = ForecastIntervals.calibrate(residuals(chosen.report()));
      // A difference needs its lag's rows before the window to form the window's first values.
      SeriesTail tail = SeriesTail.of(kept, List.of(target), Math.min(rows, window + lead));
      ensemble =
          new SeriesEnsemble(
              members,
              fitted,
              intervals,
              tail,
              report(season, window, maxEpochs, folds, candidates, chosen, epochs),
              h);
    } catch (RuntimeException e) {
      members.forEach(SeriesModel::close);
      throw e;
    }
    try {
      SeriesRefit.Holdout scores = null;
      if (holdout > 0) {
        TimeSeries inputs = kept.missingCount() > 0 ? LinearInterpolation.fill(kept) : kept;
        double[] forecast = ensemble.forecast(inputs, holdout).point();
        scores = SeriesRefit.score(forecast, kept, data.slice(rows, data.length()), season);
      }
      return new Result(
          ensemble,
          season,
          window,
          maxEpochs,
          folds,
          List.copyOf(candidates),
          chosen,
          epochs,
          scores);
    } catch (RuntimeException e) {
      ensemble.close();
      throw e;
    }
  }

  /**
   * One plan for every candidate, so they are scored on the same folds: with room for the rows a
   * difference leaves undefined when the series has them, else without (the differenced candidates
   * are then refused as too short).
   */
  private static AutoPlan plan(Season season, int rows, AutoSettings a) {
    int lead =
        a.transforms().stream().mapToInt(t -> t.leadingRows(season.period())).max().orElse(0);
    if (lead > 0) {
      try {
        return AutoPlan.of(season, rows - lead, a.horizon(), a.window(), a.folds());
      } catch (IllegalArgumentException tooShortForTheDifference) {
        // fall through: plan for the other candidates
      }
    }
    return AutoPlan.of(season, rows, a.horizon(), a.window(), a.folds());
  }

  private static double[][] residuals(BacktestReport r) {
    List<FoldResult> f = r.folds();
    double[][] out = new double[f.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.get(i).residuals();
    }
    return out;
  }

  private static String windowReason(Season season, int h, int window) {
    int preferred = AutoDefaults.preferredWindow(season, h);
    String why =
        season.period() > 1
            ? "two seasons"
            : "max(" + AutoDefaults.NON_SEASONAL_WINDOW + ", 2 x horizon)";
    return window == preferred
        ? " (" + why + ")"
        : " (" + why + " would be " + preferred + ", more than the rows allow)";
  }

  private static String report(
      Season season,
      int window,
      int maxEpochs,
      int folds,
      List<Candidate> candidates,
      Candidate chosen,
      int[] epochs) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "season %d, window %d, up to %d epochs, %d fold(s)%n",
            season.period(),
            window,
            maxEpochs,
            folds));
    for (Candidate c : candidates) {
      b.append(
          c.report() == null
              ? String.format(Locale.ROOT, "%s: refused (%s)%n", c.label(), c.refused())
              : String.format(Locale.ROOT, "%s: backtest MASE %.4f%n", c.label(), c.mase()));
    }
    b.append("chosen ").append(chosen.label()).append("; member epochs ");
    for (int i = 0; i < epochs.length; i++) {
      b.append(i == 0 ? "" : ", ").append(epochs[i]);
    }
    return b.toString();
  }
}
