package dev.timestep.pipeline;

import dev.timestep.data.series.LinearInterpolation;
import dev.timestep.data.series.Season;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.models.ChapterModels;
import dev.timestep.pipeline.AutoTrainer.Candidate;
import dev.timestep.pipeline.evaluation.BacktestReport;
import dev.timestep.pipeline.evaluation.FoldForecaster;
import dev.timestep.pipeline.evaluation.RollingBacktest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The backtests that choose {@link AutoTrainer}'s setup: every candidate (a chapter model, windows
 * relative or absolute, a transform) scored on the plan's rolling-origin folds, each fold trained
 * the way the final model will be.
 */
final class CandidateSearch {
  private CandidateSearch() {}

  /**
   * Every candidate's backtest, in the order tried; one that cannot run says why (and, when it is
   * the only candidate, throws).
   */
  static List<Candidate> run(
      TimeSeries kept,
      String target,
      AutoSettings a,
      AutoPlan plan,
      int maxEpochs,
      Season season,
      Consumer<String> say) {
    int rows = kept.length();
    int window = plan.window();
    int hm = plan.modelHorizon();
    boolean choosing =
        a.models().size() * a.transforms().size() > 1
            || a.models().stream().anyMatch(m -> relatives(a, m).size() > 1);
    List<Candidate> candidates = new ArrayList<>();
    for (String model : a.models()) {
      long work = AutoDefaults.fitWork(rows, window, hm, maxEpochs);
      if (a.budgeted() && !model.equals("linear") && work > AutoDefaults.RECURRENT_BUDGET) {
        String why =
            String.format(
                Locale.ROOT,
                "a fit would take %.1fM window steps, over the %.1fM auto allows; name it with --model"
                    + " to backtest it anyway",
                work / 1e6,
                AutoDefaults.RECURRENT_BUDGET / 1e6);
        for (TransformChoice t : a.transforms()) {
          candidates.add(new Candidate(model, true, t, null, why));
        }
        say.accept("backtest " + model + " skipped: " + why);
        continue;
      }
      for (boolean relative : relatives(a, model)) {
        for (TransformChoice t : a.transforms()) {
          Candidate c = backtest(kept, target, a, model, relative, t, plan, maxEpochs, season);
          candidates.add(c);
          if (c.report() == null && !choosing) {
            throw new IllegalArgumentException(c.label() + ": " + c.refused());
          }
          say.accept(
              c.report() == null
                  ? String.format(Locale.ROOT, "backtest %-26s skipped: %s", c.label(), c.refused())
                  : String.format(
                      Locale.ROOT,
                      "backtest %-26s MASE %.3f over %d fold(s) (seasonal naive %.3f)",
                      c.label(),
                      c.mase(),
                      c.report().folds().size(),
                      c.report().seasonalNaive().overallMase()));
        }
      }
    }
    return candidates;
  }

  /** A fold's forecaster: the final procedure (SeriesRefit) on the fold's rows alone. */
  private static FoldForecaster foldForecaster(
      TrainingSettings s, AutoSettings a, String target, int lead) {
    return new FoldForecaster() {
      @Override
      public double[] forecast(TimeSeries handed, int h) {
        // The rows a difference leaves undefined are not gaps to fill: they are left out.
        TimeSeries training = handed.slice(lead, handed.length());
        SeriesRefit.Result r =
            SeriesRefit.run(
                training,
                target,
                List.of(),
                "backtest fold",
                null,
                s,
                a.fill(),
                0,
                null,
                a.patience());
        try (SeriesModel model = r.model()) {
          TimeSeries filled = LinearInterpolation.fill(training);
          return model.forecast(filled, new int[] {training.length()}, h, 0).mean(0);
        }
      }

      @Override
      public int minTrainingRows(int h) {
        return 2 * (s.window() + s.horizon()) + lead;
      }
    };
  }

  /** Window kinds to backtest {@code model} with. */
  private static List<Boolean> relatives(AutoSettings a, String model) {
    if (a.relative() != null) {
      return List.of(a.relative());
    }
    return model.equals("linear") ? List.of(true, false) : List.of(true);
  }

  /** One candidate's rolling-origin backtest, or why it could not be run. */
  private static Candidate backtest(
      TimeSeries kept,
      String target,
      AutoSettings a,
      String model,
      boolean relative,
      TransformChoice t,
      AutoPlan plan,
      int maxEpochs,
      Season season) {
    if (!t.accepts(kept.column(0))) {
      return new Candidate(model, relative, t, null, "the series has values at or below 0");
    }
    TrainingSettings s = settings(a, model, relative, plan, maxEpochs, a.seed());
    try {
      BacktestReport r =
          RollingBacktest.run(
              kept,
              target,
              plan.foldHorizon(),
              plan.folds(),
              season,
              t.unfitted(season.period()),
              foldForecaster(s, a, target, t.leadingRows(season.period())));
      return new Candidate(model, relative, t, r, null);
    } catch (IllegalArgumentException e) {
      return new Candidate(model, relative, t, null, e.getMessage());
    }
  }

  static TrainingSettings settings(
      AutoSettings a, String model, boolean relative, AutoPlan plan, int epochs, long seed) {
    return new TrainingSettings(
        ChapterModels.named(model),
        plan.window(),
        plan.modelHorizon(),
        epochs,
        a.batchSize(),
        a.learningRate(),
        a.scaler(),
        relative,
        0.0,
        seed,
        a.backend(),
        List.of());
  }
}
