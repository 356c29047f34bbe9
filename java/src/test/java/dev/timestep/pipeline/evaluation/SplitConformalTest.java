package dev.timestep.pipeline.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.data.series.transform.Bounds;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Interval half-widths from backtest residuals, and their coverage. */
class SplitConformalTest {

  @Test
  void halfWidthIsTheCorrectedQuantileOfAbsoluteResiduals() {
    // Step 1: |residuals| 1..9; step 2: twice that.
    double[][] residuals = new double[9][2];
    for (int i = 0; i < 9; i++) {
      double sign = i % 2 == 0 ? 1 : -1;
      residuals[i][0] = sign * (i + 1);
      residuals[i][1] = -2 * sign * (i + 1);
    }
    SplitConformal c = SplitConformal.fit(residuals);
    // ceil((9 + 1) * 0.8) = 8: the 8th smallest; ceil(10 * 0.5) = 5; ceil(10 * 0.9) = 9.
    assertArrayEquals(new double[] {8, 16}, c.halfWidths(0.8), 0);
    assertArrayEquals(new double[] {5, 10}, c.halfWidths(0.5), 0);
    assertArrayEquals(new double[] {9, 18}, c.halfWidths(0.9), 0);
    Bounds b = c.interval(new double[] {10, 20}, 0.8);
    assertArrayEquals(new double[] {2, 4}, b.lower(), 0);
    assertArrayEquals(new double[] {18, 36}, b.upper(), 0);
  }

  @Test
  void tooFewResidualsForTheLevelAreRefused() {
    assertEquals(4, SplitConformal.residualsNeeded(0.8));
    assertEquals(9, SplitConformal.residualsNeeded(0.9));
    assertEquals(19, SplitConformal.residualsNeeded(0.95));
    SplitConformal c = SplitConformal.fit(new double[9][1]);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.halfWidths(0.95));
    assertTrue(
        e.getMessage().contains("19 residuals") && e.getMessage().contains("step 1 has 9"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.halfWidths(1.0));
    assertThrows(
        IllegalArgumentException.class, () -> SplitConformal.fit(new double[][] {{1, 2}, {1}}));
  }

  @Test
  void missingResidualsAreLeftOut() {
    double[][] residuals = {{1}, {Double.NaN}, {2}, {3}, {4}};
    // 4 residuals: ceil(5 * 0.8) = 4, the largest.
    assertArrayEquals(new double[] {4}, SplitConformal.fit(residuals).halfWidths(0.8), 0);
  }

  @Test
  void coverageCountsActualsInsideTheirInterval() {
    double[][] actual = {{1, 2}, {3, Double.NaN}, {4, 4}};
    Bounds[] intervals = {
      new Bounds(new double[] {0, 0}, new double[] {2, 1}),
      new Bounds(new double[] {3, 0}, new double[] {3, 1}),
      new Bounds(new double[] {5, 5}, new double[] {6, 6})
    };
    // Step 1: 1 in [0, 2], 3 in [3, 3], 4 not in [5, 6]; step 2: neither scored value is inside.
    assertArrayEquals(new double[] {2 / 3.0, 0}, Coverage.perStep(actual, intervals), 1e-15);
  }

  @Test
  void coverageIsNearNominalOnASeriesWithGaussianNoise() {
    // A monthly season plus N(0, 1) noise; the seasonal-naive forecast's error at every step is the
    // difference of two independent draws, N(0, 2).
    Random random = new Random(2024);
    int n = 4000;
    int h = 6;
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      y[t] = 50 + 10 * Math.sin(2 * Math.PI * t / 12) + random.nextGaussian();
    }
    List<Fold> folds = RollingOrigin.expanding(h, 3000).withMinTrain(12).split(n);
    double[][] actual = new double[folds.size()][];
    double[][] forecast = new double[folds.size()][];
    double[][] residuals = new double[folds.size()][h];
    for (Fold f : folds) {
      actual[f.index()] = f.test(y);
      forecast[f.index()] = Baselines.seasonalNaive(f.train(y), 12, h);
      for (int k = 0; k < h; k++) {
        residuals[f.index()][k] = actual[f.index()][k] - forecast[f.index()][k];
      }
    }
    // Calibrate on the first 500 folds, measure on the 2,500 after them.
    int calibration = 500;
    SplitConformal c = SplitConformal.fit(java.util.Arrays.copyOf(residuals, calibration));
    for (double level : new double[] {0.8, 0.95}) {
      double z = level == 0.8 ? 1.2815516 : 1.9599640;
      Bounds[] intervals = new Bounds[folds.size() - calibration];
      double[][] heldOut = new double[intervals.length][];
      for (int i = 0; i < intervals.length; i++) {
        intervals[i] = c.interval(forecast[calibration + i], level);
        heldOut[i] = actual[calibration + i];
      }
      double[] coverage = Coverage.perStep(heldOut, intervals);
      double[] widths = c.halfWidths(level);
      for (int k = 0; k < h; k++) {
        assertEquals(level, coverage[k], 0.03, "coverage at level " + level + " step " + (k + 1));
        assertEquals(
            z * Math.sqrt(2), widths[k], 0.12 * z * Math.sqrt(2), "half-width, step " + (k + 1));
      }
    }
  }
}
