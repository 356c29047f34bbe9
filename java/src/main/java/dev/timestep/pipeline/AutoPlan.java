package dev.timestep.pipeline;

import dev.timestep.data.series.Season;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the default workflow fits a series' rows: the window, the steps the model forecasts at once
 * (the requested horizon, or 1 with forecasts fed back), the steps each backtest fold scores and
 * the number of folds. Every backtest fold refits the way the final model does, so its earliest
 * fold needs two windows and their model horizons before it: {@code rows >= folds x foldHorizon + 2
 * x (window + modelHorizon)}.
 *
 * <p>On a long series that is the requested horizon, 5 folds and a window of two seasons. A short
 * one gives up, in this order, the longer window (down to one season, or 4 rows without a season),
 * then folds (down to 2), then the model's horizon (1, forecasts fed back), then scored steps per
 * fold (halved, down to 1), and says so.
 *
 * @param window input rows per forecast
 * @param modelHorizon steps the trained model forecasts at once
 * @param foldHorizon steps each backtest fold forecasts and scores
 * @param folds backtest folds
 * @param notes what was given up and why, for the user (empty when nothing was)
 */
public record AutoPlan(
    int window, int modelHorizon, int foldHorizon, int folds, List<String> notes) {
  public AutoPlan {
    notes = List.copyOf(notes);
  }

  /** Folds tried when none are given, most first. */
  static final int MAX_FOLDS = AutoSettings.DEFAULT_FOLDS;

  static final int MIN_FOLDS = 2;

  /** The shortest window chosen for a series without a season. */
  static final int MIN_NON_SEASONAL_WINDOW = 4;

  /**
   * The plan for {@code rows} kept rows and a requested {@code horizon}.
   *
   * @param window the given window, or null to choose
   * @param folds the given folds, or null to choose
   * @throws IllegalArgumentException when nothing fits, naming the rows needed
   */
  public static AutoPlan of(Season season, int rows, int horizon, Integer window, Integer folds) {
    if (season == null) {
      throw new IllegalArgumentException("plan: a season is required (Season.given(1) for none)");
    }
    if (horizon < 1 || (window != null && window < 1) || (folds != null && folds < 1)) {
      throw new IllegalArgumentException(
          "plan: horizon, window and folds must be at least 1, got "
              + horizon
              + ", "
              + window
              + " and "
              + folds);
    }
    int preferred = window != null ? window : AutoDefaults.preferredWindow(season, horizon);
    int shortest =
        window != null
            ? window
            : Math.min(preferred, season.period() > 1 ? season.period() : MIN_NON_SEASONAL_WINDOW);
    List<Integer> foldCounts = new ArrayList<>();
    if (folds != null) {
      foldCounts.add(folds);
    } else {
      for (int k = MAX_FOLDS; k >= MIN_FOLDS; k--) {
        foldCounts.add(k);
      }
    }
    Set<Integer> foldHorizons = new LinkedHashSet<>();
    for (int hf = horizon; hf > 1; hf = (hf + 1) / 2) {
      foldHorizons.add(hf);
    }
    foldHorizons.add(1);
    Set<Integer> modelHorizons = new LinkedHashSet<>(List.of(horizon, 1));
    for (int hf : foldHorizons) {
      for (int hm : modelHorizons) {
        for (int k : foldCounts) {
          long longest = ((long) rows - (long) k * hf) / 2 - hm;
          int w = (int) Math.min(preferred, longest);
          if (w >= shortest) {
            return new AutoPlan(
                w, hm, hf, k, notes(season, horizon, preferred, w, hm, hf, k, folds, window));
          }
        }
      }
    }
    int k = foldCounts.get(foldCounts.size() - 1);
    throw new IllegalArgumentException(
        String.format(
            Locale.ROOT,
            "%d rows are too few to backtest a window of %d: even %d fold(s) of 1 step with a model"
                + " forecasting 1 step need %d rows; give a shorter --window or more rows",
            rows,
            shortest,
            k,
            k + 2L * (shortest + 1)));
  }

  private static List<String> notes(
      Season season,
      int horizon,
      int preferred,
      int window,
      int hm,
      int hf,
      int k,
      Integer givenFolds,
      Integer givenWindow) {
    List<String> notes = new ArrayList<>();
    if (givenWindow == null && window < preferred) {
      notes.add(
          String.format(
              Locale.ROOT,
              "window %d instead of %d (%s): the rows allow no more",
              window,
              preferred,
              season.period() > 1 ? "two seasons" : "12 rows or two horizons"));
    }
    if (givenFolds == null && k < MAX_FOLDS) {
      notes.add(String.format(Locale.ROOT, "%d backtest folds instead of %d", k, MAX_FOLDS));
    }
    if (hm < horizon) {
      notes.add(
          String.format(
              Locale.ROOT,
              "the model forecasts 1 step and feeds its forecasts back for %d: a %d-step model does"
                  + " not fit the rows",
              horizon,
              horizon));
    }
    if (hf < horizon) {
      notes.add(
          String.format(
              Locale.ROOT,
              "each backtest fold scores %d step(s), not %d, so the intervals cover %d",
              hf,
              horizon,
              hf));
    }
    return notes;
  }
}
