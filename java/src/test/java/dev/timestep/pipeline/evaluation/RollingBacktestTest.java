package dev.timestep.pipeline.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.data.series.Season;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.transform.LogTransform;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rolling-origin backtests of a forecaster, scored beside naive and seasonal naive. */
class RollingBacktestTest {
  private static final double EPS = 1e-9;

  /** A zigzag that climbs: y[t] = y[t - 2] + 1, so "the last season plus one" is exact. */
  private static final float[] ZIGZAG = {1, 5, 2, 6, 3, 7, 4, 8};

  @Test
  void baselinesAreScoredAsWorkedOutByHand() {
    // Folds of horizon 2, 2 rows apart: origins 4 and 6. Fold 0 trains on [1 5 2 6] and tests
    // [3 7]: naive [6 6] (errors 3, 1), seasonal naive [2 6] (errors 1, 1). Fold 1 trains on
    // [1 5 2 6 3 7], tests [4 8]: naive [7 7] (3, 1), seasonal naive [3 7] (1, 1). Both MASE
    // scales are mean |y[t] - y[t-2]| = 1.
    BacktestReport r = run(series(ZIGZAG), 2, 2, lastSeasonPlus(1, 2));
    assertEquals(2, r.folds().size());
    assertEquals(4, r.folds().get(0).fold().origin());
    assertEquals(6, r.folds().get(1).fold().origin());
    assertArrayEquals(new double[] {6, 6}, r.folds().get(0).naive(), EPS);
    assertArrayEquals(new double[] {3, 7}, r.folds().get(1).seasonalNaive(), EPS);
    assertEquals(1, r.folds().get(0).maseScale(), EPS);

    assertArrayEquals(new double[] {3, 1}, r.naive().mase(), EPS);
    assertEquals(2, r.naive().overallMase(), EPS);
    assertArrayEquals(new double[] {3, 1}, r.naive().rmse(), EPS);
    assertEquals(Math.sqrt(5), r.naive().overallRmse(), EPS);
    // sMAPE of naive at step 1: 200*3/(3+6) and 200*3/(4+7), averaged.
    assertEquals((200.0 * 3 / 9 + 200.0 * 3 / 11) / 2, r.naive().smape()[0], EPS);
    assertArrayEquals(new double[] {1, 1}, r.seasonalNaive().mase(), EPS);

    // The last season plus one is exact here.
    assertArrayEquals(new double[] {0, 0}, r.model().mase(), EPS);
    assertFalse(r.worseThanSeasonalNaive());
    assertNull(r.warning());
  }

  @Test
  void aForecasterWorseThanSeasonalNaiveGetsAWarning() {
    BacktestReport r = run(series(ZIGZAG), 2, 2, lastSeasonPlus(3, 2));
    // Errors of 2 at every step, seasonal naive's are 1.
    assertEquals(2, r.model().overallMase(), EPS);
    assertTrue(r.worseThanSeasonalNaive());
    assertTrue(r.warning().contains("worse than seasonal naive"), r.warning());
  }

  @Test
  void theForecasterSeesOnlyTheRowsBeforeEachOrigin() {
    // Level 10 for 40 rows, then 1000 and up, every row a different value: what a fold was handed
    // shows exactly which rows it got.
    float[] y = new float[50];
    for (int t = 0; t < y.length; t++) {
      y[t] = t < 40 ? 10 + (t % 4) + t / 100f : 1000 + t;
    }
    List<TimeSeries> seen = new ArrayList<>();
    FoldForecaster recording =
        (training, h) -> {
          seen.add(training);
          float[] v = training.column(0);
          return new double[] {v[v.length - 1], v[v.length - 1]};
        };
    BacktestReport r =
        RollingBacktest.run(series(y), "value", 2, 5, new Season(1, "test"), null, recording);
    assertEquals(5, seen.size());
    for (int i = 0; i < 5; i++) {
      TimeSeries t = seen.get(i);
      int origin = r.folds().get(i).fold().origin();
      assertEquals(origin, t.length(), "fold " + i + " hands over exactly rows [0, origin)");
      assertArrayEquals(Arrays.copyOf(y, origin), t.column(0), "fold " + i);
      assertTrue(t.time(t.length() - 1).isBefore(r.folds().get(i).originTime()));
    }
    for (float v : seen.get(0).column(0)) {
      assertTrue(v < 1000, "the first fold, cut at the change, saw a row of the new regime");
    }
    // Origins 40..48: the honest forecasts stay at the old level, so every fold is far off.
    assertEquals(40, r.folds().get(0).fold().origin());
    assertTrue(r.model().overallMase() > 100, "scores: " + r.model().overallMase());
  }

  @Test
  void aTransformIsFittedOnTrainingRowsAndItsForecastInverted() {
    List<double[]> handed = new ArrayList<>();
    FoldForecaster inLogs =
        (training, h) -> {
          float[] v = training.column(0);
          double[] d = new double[v.length];
          for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
          }
          handed.add(d);
          return new double[] {Math.log(10), Math.log(20)};
        };
    BacktestReport r =
        RollingBacktest.run(
            series(ZIGZAG), "value", 2, 1, new Season(2, "test"), LogTransform.create(), inLogs);
    assertEquals("log", r.transform());
    assertArrayEquals(
        new double[] {0, Math.log(5), Math.log(2), Math.log(6), Math.log(3), Math.log(7)},
        handed.get(0),
        1e-6);
    assertArrayEquals(new double[] {10, 20}, r.folds().get(0).model(), 1e-4);
  }

  @Test
  void foldsAreAHorizonApartAndAsManyAsFitUpToFive() {
    List<Fold> folds = RollingBacktest.folds(30, 3, null, 10);
    assertEquals(5, folds.size());
    assertEquals(List.of(15, 18, 21, 24, 27), folds.stream().map(Fold::origin).toList());
    assertEquals(2, RollingBacktest.folds(16, 3, null, 10).size(), "16 - 3 - 10 leaves one step");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RollingBacktest.folds(12, 3, null, 10));
    assertTrue(e.getMessage().contains("needs 13 rows, but the series has 12"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RollingBacktest.folds(30, 3, 7, 10));
  }

  @Test
  void coverageLeavesEachFoldOutAndSaysWhyWhenFoldsAreTooFew() {
    // The forecaster misses fold i by i + 1 at every step. Left out, fold i is compared with the
    // 80% half-width of the other four: the 4th smallest of 4, their largest miss. Only the fold
    // that misses by 5 falls outside: coverage 4 of 5.
    float[] y = new float[30];
    for (int t = 0; t < y.length; t++) {
      y[t] = 50 + (t % 3) * 2 + t;
    }
    TimeSeries s = series(y);
    FoldForecaster cheating =
        new FoldForecaster() {
          int fold;

          @Override
          public double[] forecast(TimeSeries training, int h) {
            int origin = training.length();
            double[] f = new double[h];
            for (int k = 0; k < h; k++) {
              f[k] = y[origin + k] + fold + 1;
            }
            fold++;
            return f;
          }
        };
    BacktestReport r = RollingBacktest.run(s, "value", 3, 5, new Season(3, "test"), null, cheating);
    IntervalCheck eighty = r.intervals().get(0);
    assertTrue(eighty.measured(), eighty.reason());
    assertEquals(0.8, eighty.overall(), EPS);
    assertArrayEquals(new double[] {0.8, 0.8, 0.8}, eighty.perStep(), EPS);
    IntervalCheck ninetyFive = r.intervals().get(1);
    assertFalse(ninetyFive.measured());
    assertTrue(ninetyFive.reason().contains("at least 20 folds"), ninetyFive.reason());
  }

  @Test
  void aForecastOfTheWrongLengthIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> run(series(ZIGZAG), 2, 2, (training, h) -> new double[] {1}));
    assertTrue(e.getMessage().contains("expected a forecast of 2 values, got 1"), e.getMessage());
  }

  private static BacktestReport run(TimeSeries s, int horizon, int folds, FoldForecaster f) {
    return RollingBacktest.run(s, "value", horizon, folds, new Season(2, "test"), null, f);
  }

  /** Repeats the last season of the training rows, plus {@code add}. */
  private static FoldForecaster lastSeasonPlus(double add, int period) {
    return (training, h) -> {
      float[] v = training.column(0);
      double[] f = new double[h];
      for (int k = 0; k < h; k++) {
        f[k] = v[v.length - period + k % period] + add;
      }
      return f;
    };
  }

  private static TimeSeries series(float[] values) {
    List<LocalDateTime> times = new ArrayList<>();
    for (int t = 0; t < values.length; t++) {
      times.add(LocalDate.of(2000, 1, 1).plusMonths(t).atStartOfDay());
    }
    return TimeSeries.of(
        "test", TimeFormat.DATE, times, List.of("value"), new float[][] {values.clone()});
  }
}
