package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.data.series.Season;
import org.junit.jupiter.api.Test;

/** The window and epoch budget chosen from the series. */
class AutoDefaultsTest {
  @Test
  void theWindowIsTwoSeasonsWhereTheRowsAllowAndShorterWhereTheyDoNot() {
    Season monthly = Season.given(12);
    assertEquals(24, AutoDefaults.window(monthly, 240, 1, 5));
    // 48 rows, 5 folds of 1 step: the earliest fold has 43 rows, two windows of 20 + 1.
    assertEquals(20, AutoDefaults.window(monthly, 48, 1, 5));
    assertEquals(12, AutoDefaults.window(Season.given(1), 300, 4, 5), "no season: 12 rows");
    assertEquals(20, AutoDefaults.window(Season.given(1), 300, 10, 5), "or two horizons");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AutoDefaults.window(monthly, 30, 12, 5));
    assertTrue(e.getMessage().contains("needs at least 86 rows"), e.getMessage());
  }

  @Test
  void theEpochBudgetAimsAtFifteenHundredStepsWithinThirtyAndThreeHundred() {
    assertEquals(188, AutoDefaults.maxEpochs(256, 32), "8 batches an epoch");
    assertEquals(300, AutoDefaults.maxEpochs(10, 32));
    assertEquals(30, AutoDefaults.maxEpochs(100_000, 32));
  }
}
