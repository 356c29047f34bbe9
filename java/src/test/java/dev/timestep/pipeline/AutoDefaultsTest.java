package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.data.series.Season;
import org.junit.jupiter.api.Test;

/** The window, folds and horizons planned from the series, and the epoch budget. */
class AutoDefaultsTest {
  private static final Season MONTHLY = Season.given(12);

  private static void assertPlan(AutoPlan p, int window, int hm, int hf, int folds) {
    assertEquals(window, p.window(), "window " + p);
    assertEquals(hm, p.modelHorizon(), "model horizon " + p);
    assertEquals(hf, p.foldHorizon(), "fold horizon " + p);
    assertEquals(folds, p.folds(), "folds " + p);
  }

  @Test
  void aLongSeriesGetsTwoSeasonsTheHorizonAndFiveFolds() {
    AutoPlan p = AutoPlan.of(MONTHLY, 500, 24, null, null);
    assertPlan(p, 24, 24, 24, 5);
    assertTrue(p.notes().isEmpty(), p.notes().toString());
    assertPlan(AutoPlan.of(Season.given(1), 300, 4, null, null), 12, 4, 4, 5);
    assertPlan(AutoPlan.of(Season.given(1), 300, 10, null, null), 20, 10, 10, 5);
  }

  @Test
  void aShortSeriesGivesUpWindowThenFoldsThenModelHorizonThenFoldHorizon() {
    // 48 rows, horizon 1: 5 folds leave 43 rows, two windows of 20 + 1.
    AutoPlan window = AutoPlan.of(MONTHLY, 48, 1, null, null);
    assertPlan(window, 20, 1, 1, 5);
    assertTrue(
        window.notes().get(0).startsWith("window 20 instead of 24"), window.notes().toString());
    // 36 rows, horizon 24: 2 folds of 24 never fit; a 1-step model neither; 2 folds of 12 do not
    // either (12 rows left); 2 folds of 6 leave 24 = 2 x (11 + 1): window 11 < 12, so 3 steps.
    AutoPlan shortest = AutoPlan.of(MONTHLY, 36, 24, null, null);
    assertPlan(shortest, 12, 1, 3, 3);
    assertEquals(4, shortest.notes().size(), shortest.notes().toString());
    // 47 quarterly rows, horizon 8: 2 folds of 8 leave 31 rows, two windows of 7 + 8 (at least
    // one season, 4, so the 8-step model stays).
    assertPlan(AutoPlan.of(Season.given(4), 47, 8, null, null), 7, 8, 8, 2);
  }

  @Test
  void givenWindowAndFoldsAreKeptOrRefusedNamingTheRowsNeeded() {
    assertPlan(AutoPlan.of(MONTHLY, 48, 1, 12, 4), 12, 1, 1, 4);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AutoPlan.of(MONTHLY, 20, 1, 12, 4));
    assertTrue(
        e.getMessage().contains("4 fold(s) of 1 step with a model forecasting 1 step need 30"),
        e.getMessage());
  }

  @Test
  void theEpochBudgetAimsAtFifteenHundredStepsWithinThirtyAndThreeHundred() {
    assertEquals(188, AutoDefaults.maxEpochs(256, 32), "8 batches an epoch");
    assertEquals(300, AutoDefaults.maxEpochs(10, 32));
    assertEquals(30, AutoDefaults.maxEpochs(100_000, 32));
  }

  @Test
  void aPlanRefusesAMissingSeasonAndHorizonsWindowsOrFoldsBelowOne() {
    for (Runnable bad :
        new Runnable[] {
          () -> AutoPlan.of(null, 100, 1, null, null),
          () -> AutoPlan.of(MONTHLY, 100, 0, null, null),
          () -> AutoPlan.of(MONTHLY, 100, 1, 0, null),
          () -> AutoPlan.of(MONTHLY, 100, 1, null, 0)
        }) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
      assertTrue(e.getMessage().startsWith("plan: "), e.getMessage());
    }
  }
}
