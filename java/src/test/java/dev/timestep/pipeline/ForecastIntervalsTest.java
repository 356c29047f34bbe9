package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.data.series.transform.Bounds;
import org.junit.jupiter.api.Test;

/** Split-conformal widths per step, kept by level, never narrower further ahead. */
class ForecastIntervalsTest {
  @Test
  void fourFoldsGiveEightyPercentOnlyAndWidthsNeverShrinkWithTheHorizon() {
    // |residuals| per step: step 1 {1,2,3,4}, step 2 {0.5,0.5,0.5,1}, step 3 {5,6,7,8}
    double[][] r = {{1, -0.5, 5}, {-2, 0.5, -6}, {3, 0.5, 7}, {4, -1, -8}};
    ForecastIntervals i = ForecastIntervals.calibrate(r);
    assertArrayEquals(new double[] {0.8}, i.levels());
    // 4 residuals at 80%: the ceil(5 x 0.8) = 4th smallest, i.e. the largest: 4, 1, 8; step 2
    // takes step 1's 4.
    assertArrayEquals(new double[] {4, 4, 8}, i.halfWidths()[0], 0.0);
    Bounds b = i.interval(new double[] {10, 10, 10}, 0);
    assertArrayEquals(new double[] {6, 6, 2}, b.lower(), 0.0);
    assertArrayEquals(new double[] {14, 14, 18}, b.upper(), 0.0);
  }

  @Test
  void threeFoldsAreTooFewForAnyLevel() {
    ForecastIntervals i = ForecastIntervals.calibrate(new double[][] {{1}, {2}, {3}});
    assertTrue(i.isEmpty());
    assertEquals(0, i.steps());
  }

  @Test
  void missingOrRaggedWidthsAndAnUnknownLevelAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ForecastIntervals(null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ForecastIntervals(new double[] {0.8, 0.95}, new double[][] {{1, 2}, {3}}));
    ForecastIntervals i = new ForecastIntervals(new double[] {0.8}, new double[][] {{1, 2}});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> i.interval(new double[] {5, 5}, 1));
    assertTrue(e.getMessage().contains("level index 1"), e.getMessage());
  }
}
