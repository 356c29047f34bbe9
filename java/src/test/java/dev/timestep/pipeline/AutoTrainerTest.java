package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.transform.Difference;
import dev.timestep.testing.TestSeries;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default forecasting workflow: backtested choices, a refit ensemble, a clean holdout. */
class AutoTrainerTest {
  static TimeSeries multiplicative(int n, long seed) {
    return TestSeries.multiplicativeMonthly(n, seed);
  }

  static TimeSeries monthly(float[] v) {
    return TestSeries.monthly(v);
  }

  private static AutoSettings linearOnly(int horizon) {
    return AutoSettings.defaults(horizon, Backends.named("cpu"))
        .withModels(List.of("linear"))
        .withMembers(2)
        .withFolds(4);
  }

  @Test
  void aMultiplicativeSeriesIsBacktestedUnderBothTransformsAndBeatsSeasonalNaive() {
    TimeSeries s = multiplicative(120, 1);
    AutoTrainer.Result r = AutoTrainer.run(s, "y", "test", null, linearOnly(1), 24, null);
    try (SeriesEnsemble e = r.ensemble()) {
      assertEquals(12, r.season().period());
      assertEquals(24, r.window(), "two seasons");
      assertEquals(4, r.candidates().size(), "relative and absolute windows, none and Box-Cox");
      for (AutoTrainer.Candidate c : r.candidates()) {
        assertNotNull(c.report(), c.label() + " " + c.refused());
        assertTrue(r.chosen().mase() <= c.mase());
      }
      assertEquals(2, e.members().size());
      assertEquals(2, r.memberEpochs().length);
      assertNotNull(r.holdout());
      double model = r.holdout().model().overallMase();
      double snaive = r.holdout().seasonalNaive().overallMase();
      assertTrue(model < 0.7 * snaive, "model " + model + " vs seasonal naive " + snaive);
      assertEquals(24, r.holdout().forecast().length);
      assertTrue(e.intervals().levels().length >= 1, "80% from 4 folds");
    }
  }

  @Test
  void theHeldOutRowsNeverReachTheModels() {
    // Same rows up to the cut; after it one series jumps tenfold. With the same seeds, everything
    // trained (transform, scalers, weights, kept tail) must be identical.
    TimeSeries calm = multiplicative(96, 3);
    float[] v = calm.column(0).clone();
    for (int t = 84; t < v.length; t++) {
      v[t] *= 10;
    }
    TimeSeries jumped = monthly(v);
    AutoSettings a = linearOnly(1);
    AutoTrainer.Result r1 = AutoTrainer.run(calm, "y", "test", null, a, 12, null);
    AutoTrainer.Result r2 = AutoTrainer.run(jumped, "y", "test", null, a, 12, null);
    try (SeriesEnsemble e1 = r1.ensemble();
        SeriesEnsemble e2 = r2.ensemble()) {
      TimeSeries kept = calm.slice(0, 84);
      double[] f1 = e1.forecast(kept, 6).point();
      double[] f2 = e2.forecast(kept, 6).point();
      assertArrayEquals(f1, f2, 0.0);
      assertEquals(r1.chosen().label(), r2.chosen().label());
      assertArrayEquals(e1.intervals().halfWidths()[0], e2.intervals().halfWidths()[0], 0.0);
      float[] tail = e2.tail().values()[0];
      assertEquals(kept.column(0)[83], tail[tail.length - 1], 0f, "the tail ends at the cut");
      assertEquals(
          calm.time(83), e2.members().get(0).info().trainedUntil(), "trained until the cut");
      assertTrue(r2.holdout().model().overallMase() > 1, "the jump is not forecast");
    }
  }

  @Test
  void aThirtySixMonthSeriesForecastsTwoYearsFromAShortPlan() {
    // Three seasons: the horizon of 24 does not fit a backtest; the plan says what it gave up.
    TimeSeries s = multiplicative(36, 6);
    List<String> log = new ArrayList<>();
    AutoTrainer.Result r =
        AutoTrainer.run(s, "y", "test", null, linearOnly(24).withFolds(3), 0, log::add);
    try (SeriesEnsemble e = r.ensemble()) {
      assertEquals(1, e.info().horizon(), "a 1-step model fed back");
      assertEquals(24, e.horizon(), "forecasts 24 by default");
      assertEquals(24, e.forecast(s, e.horizon()).point().length);
      assertTrue(log.stream().anyMatch(l -> l.startsWith("short series: ")), log.toString());
    }
  }

  @Test
  void aFortyEightMonthSeriesTrainsWithATwelveMonthWindow() {
    TimeSeries s = multiplicative(48, 5);
    AutoSettings a = linearOnly(1).withWindowAndEpochs(12, 40);
    AutoTrainer.Result r = AutoTrainer.run(s, "y", "test", null, a, 0, null);
    try (SeriesEnsemble e = r.ensemble()) {
      assertEquals(12, e.info().window());
      assertNull(r.holdout());
      int lag = e.transform() instanceof Difference d ? d.lag() : 0;
      assertEquals(12 + lag, e.tail().rows(), "the window, and a difference's lag before it");
    }
    AutoTrainer.Result chosen = AutoTrainer.run(s, "y", "test", null, linearOnly(1), 0, null);
    try (SeriesEnsemble e = chosen.ensemble()) {
      assertTrue(e.info().window() >= 12, "at least a season: " + e.info().window());
    }
  }

  @Test
  void aSeriesTooShortForTheFoldsIsRefusedNamingTheRowsNeeded() {
    TimeSeries s = multiplicative(20, 5);
    AutoSettings twelve = linearOnly(1).withWindowAndEpochs(12, 10);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AutoTrainer.run(s, "y", "test", null, twelve, 0, null));
    assertTrue(
        e.getMessage().startsWith("20 rows are too few to backtest a window of 12"),
        e.getMessage());
  }

  @Test
  void boxCoxIsSkippedWithItsReasonForASeriesWithZeros() {
    float[] v = multiplicative(96, 2).column(0).clone();
    v[10] = 0;
    List<String> log = new ArrayList<>();
    AutoTrainer.Result r =
        AutoTrainer.run(monthly(v), "y", "test", null, linearOnly(1).withMembers(1), 0, log::add);
    try (SeriesEnsemble e = r.ensemble()) {
      assertNull(e.transform());
      AutoTrainer.Candidate boxcox = r.candidates().get(1);
      assertEquals(TransformChoice.BOXCOX, boxcox.transform());
      assertEquals("the series has values at or below 0", boxcox.refused());
      assertTrue(
          log.stream()
              .anyMatch(
                  l ->
                      l.contains("+ boxcox")
                          && l.contains("skipped: the series has values at or below 0")),
          log.toString());
    }
  }

  @Test
  void autoSkipsTheRecurrentModelPastItsBudget() {
    TimeSeries s = multiplicative(1200, 4);
    AutoSettings a =
        AutoSettings.defaults(1, Backends.named("cpu"))
            .withTransforms(List.of(TransformChoice.NONE))
            .withMembers(1)
            .withFolds(1)
            .withWindowAndEpochs(24, 2);
    // (1200 - 120) windows x 120 steps x 30 epochs: 3.9M window steps, over the budget.
    AutoSettings heavy = a.withWindowAndEpochs(120, 30);
    List<String> log = new ArrayList<>();
    AutoTrainer.Result r = AutoTrainer.run(s, "y", "test", null, heavy.withFolds(1), 0, log::add);
    try (SeriesEnsemble e = r.ensemble()) {
      assertEquals("linear", e.info().modelName());
      assertTrue(log.stream().anyMatch(l -> l.startsWith("backtest gru skipped")), log.toString());
    }
  }

  @Test
  void aSeriesWithNoObservedValueIsRefusedOnceNamingItsColumn() {
    float[] none = new float[60];
    java.util.Arrays.fill(none, Float.NaN);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AutoTrainer.run(monthly(none), "y", "test", null, linearOnly(1), 0, null));
    assertEquals("test monthly: column 'y' has no observed value", e.getMessage());
  }
}
