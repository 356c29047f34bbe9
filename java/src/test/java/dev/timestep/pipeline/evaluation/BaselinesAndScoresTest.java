package dev.timestep.pipeline.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Naive and seasonal-naive forecasts, and MASE, sMAPE and RMSE against hand-computed values. */
class BaselinesAndScoresTest {
  private static final double EPS = 1e-12;

  @Test
  void naiveRepeatsTheLastValue() {
    assertArrayEquals(new double[] {3, 3, 3}, Baselines.naive(new double[] {1, 2, 3}, 3));
  }

  @Test
  void seasonalNaiveRepeatsTheLastSeason() {
    double[] history = {1, 2, 3, 4, 5, 6, 7, 8};
    assertArrayEquals(new double[] {5, 6, 7, 8, 5, 6}, Baselines.seasonalNaive(history, 4, 6));
    assertArrayEquals(Baselines.naive(history, 5), Baselines.seasonalNaive(history, 1, 5));
  }

  @Test
  void baselinesRefuseTooLittleOrMissingHistory() {
    IllegalArgumentException tooShort =
        assertThrows(
            IllegalArgumentException.class,
            () -> Baselines.seasonalNaive(new double[] {1, 2, 3}, 4, 2));
    assertTrue(
        tooShort.getMessage().contains("at least 4 rows")
            && tooShort.getMessage().contains("got 3"),
        tooShort.getMessage());
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class, () -> Baselines.naive(new double[] {1, Double.NaN}, 2));
    assertTrue(missing.getMessage().contains("row 1"), missing.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Baselines.naive(new double[] {1}, 0));
  }

  @Test
  void maseScaleIsTheInSampleSeasonalNaiveError() {
    // |3-1|, |2-3|, |5-2|, |4-5| = 2, 1, 3, 1: mean 1.75.
    assertEquals(1.75, MaseScale.of(new double[] {1, 3, 2, 5, 4}, 1), EPS);
    // Season 4: |2-1|, |4-2|, |5-3|, |7-4| = 1, 2, 2, 3: mean 2.
    assertEquals(2, MaseScale.of(new double[] {1, 2, 3, 4, 2, 4, 5, 7}, 4), EPS);
    // A missing value drops the pairs it belongs to: |3-1| and |7-4| are left out.
    assertEquals(2, MaseScale.of(new double[] {1, Double.NaN, 3, 5}, 1), EPS);
  }

  @Test
  void maseScaleRefusesAConstantOrShortSeries() {
    IllegalArgumentException constant =
        assertThrows(IllegalArgumentException.class, () -> MaseScale.of(new double[] {5, 5, 5}, 1));
    assertTrue(constant.getMessage().contains("constant"), constant.getMessage());
    IllegalArgumentException seasonal =
        assertThrows(
            IllegalArgumentException.class, () -> MaseScale.of(new double[] {1, 2, 1, 2, 1}, 2));
    assertTrue(seasonal.getMessage().contains("MAE is 0"), seasonal.getMessage());
    IllegalArgumentException tooShort =
        assertThrows(
            IllegalArgumentException.class, () -> MaseScale.of(new double[] {1, 2, 3, 4}, 4));
    assertTrue(tooShort.getMessage().contains("at least 5 rows"), tooShort.getMessage());
  }

  @Test
  void scoresPerStepAndOverall() {
    double[][] actual = {{10, 20}, {30, 40}};
    double[][] forecast = {{12, 15}, {30, 50}};
    // Errors: fold 0: -2, 5 (scale 2); fold 1: 0, -10 (scale 4).
    ForecastScores s = ForecastScores.of(actual, forecast, new double[] {2, 4});
    assertArrayEquals(new double[] {(1 + 0) / 2.0, (2.5 + 2.5) / 2}, s.mase(), EPS);
    assertEquals((1 + 0 + 2.5 + 2.5) / 4, s.overallMase(), EPS);
    double a = 200.0 * 2 / 22;
    double b = 0;
    double c = 200.0 * 5 / 35;
    double d = 200.0 * 10 / 90;
    assertArrayEquals(new double[] {(a + b) / 2, (c + d) / 2}, s.smape(), EPS);
    assertEquals((a + b + c + d) / 4, s.overallSmape(), EPS);
    assertArrayEquals(new double[] {Math.sqrt(4 / 2.0), Math.sqrt(125 / 2.0)}, s.rmse(), EPS);
    assertEquals(Math.sqrt(129 / 4.0), s.overallRmse(), EPS);
  }

  @Test
  void missingActualsAreNotScored() {
    ForecastScores s =
        ForecastScores.of(new double[] {Double.NaN, 0, 20}, new double[] {1, 0, 18}, 1);
    assertTrue(Double.isNaN(s.mase()[0]), "a step with nothing to score is NaN");
    // 0 against 0 is a perfect forecast: sMAPE 0, not 0/0.
    assertEquals(0, s.smape()[1], 0);
    assertEquals(1, s.overallMase(), EPS);
    assertEquals(Math.sqrt(4 / 2.0), s.overallRmse(), EPS);
  }

  @Test
  void scoresRefuseMismatchedShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ForecastScores.of(new double[][] {{1, 2}}, new double[][] {{1}}, new double[] {1}));
    assertTrue(e.getMessage().contains("row 0"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ForecastScores.of(new double[][] {{1}}, new double[][] {{1}}, new double[] {0}));
  }

  @Test
  void geometricMeanOfMase() {
    assertEquals(2, GeometricMean.of(new double[] {1, 4}), EPS);
    assertEquals(1, GeometricMean.of(new double[] {0.5, 2, 1}), EPS);
    assertEquals(0, GeometricMean.of(new double[] {0, 3}), 0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GeometricMean.of(new double[] {1, -1}));
    assertTrue(e.getMessage().contains("index 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GeometricMean.of(new double[0]));
  }
}
