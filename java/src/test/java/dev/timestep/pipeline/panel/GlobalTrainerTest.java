package dev.timestep.pipeline.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.data.series.ColumnScaler;
import dev.timestep.data.series.ManySeries;
import dev.timestep.data.series.SkippedSeries;
import dev.timestep.data.series.StandardScaler;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesRefit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalTrainerTest {
  private static final double[] LEVELS = {10, 100, 1000};

  private static ManySeries threeLevels(int n) {
    return PanelSeries.of(
        List.of("small", "medium", "large"),
        List.of(
            PanelSeries.seasonal(n, LEVELS[0], 1),
            PanelSeries.seasonal(n, LEVELS[1], 2),
            PanelSeries.seasonal(n, LEVELS[2], 3)));
  }

  @Test
  void oneNetworkForecastsEachSeriesNearItsOwnLevel() {
    ManySeries data = threeLevels(120);
    GlobalTrainer.Result r =
        GlobalTrainer.train(
            data, "sales", PanelSeries.linear(40), GapFill.LINEAR, 0, null, "csv t.csv", "date");
    try (GlobalModel m = r.model()) {
      assertEquals(List.of("small", "medium", "large"), m.ids());
      assertTrue(r.skipped().isEmpty(), r.skipped().toString());
      // each series: 120 rows, validation the last 24 (20%), 96 - 13 + 1 training windows
      assertEquals(3 * 84, r.trainWindows());
      assertEquals(3 * 12, r.validWindows());
      for (int i = 0; i < 3; i++) {
        String id = m.ids().get(i);
        IdForecast f = m.forecast(id, 12, 0);
        float[] truth = PanelSeries.seasonal(132, LEVELS[i], 99); // the same curve, other noise
        double mae = 0;
        for (int k = 0; k < 12; k++) {
          mae += Math.abs(f.mean()[k] - truth[120 + k]) / 12;
        }
        // the season swings by 10% of the level; a forecast of another level is off by 90% or more
        assertTrue(
            mae < 0.03 * LEVELS[i], id + ": MAE " + mae + " for " + Arrays.toString(f.mean()));
        assertEquals(PanelSeries.month(120), f.times().get(0));
      }
    }
  }

  @Test
  void eachScalerIsFittedOnItsOwnTrainingRowsOnly() {
    float[] huge = PanelSeries.seasonal(60, 1e6, 5);
    float[] own = PanelSeries.seasonal(60, 50, 6);
    ManySeries data = PanelSeries.of(List.of("huge", "own"), List.of(huge, own));
    GlobalTrainer.Result r =
        GlobalTrainer.train(
            data, "sales", PanelSeries.linear(1), GapFill.LINEAR, 0, null, "csv t.csv", null);
    try (GlobalModel m = r.model()) {
      // validation: the last max(12, 13) = 13 rows; training: the 47 before them
      ColumnScaler expected = StandardScaler.fit(data.get("own").select("sales").slice(0, 47));
      assertEquals(expected.offset(0), m.scaler("own").offset(0), 1e-9);
      assertEquals(expected.scale(0), m.scaler("own").scale(0), 1e-9);
      assertTrue(m.scaler("own").offset(0) < 60, "no row of 'huge' reached it");
      assertEquals(PanelSeries.month(59), m.tail("own").times().get(m.tail("own").rows() - 1));
    }
  }

  @Test
  void theHeldOutRowsOfEachSeriesNeverReachTraining() {
    float[] changes = PanelSeries.seasonal(72, 100, 7);
    for (int t = 60; t < 72; t++) {
      changes[t] = 1e6f; // a new regime after the cut
    }
    ManySeries data =
        PanelSeries.of(
            List.of("steady", "changes"), List.of(PanelSeries.seasonal(72, 100, 8), changes));
    GlobalTrainer.Result r =
        GlobalTrainer.train(
            data, "sales", PanelSeries.linear(5), GapFill.LINEAR, 12, null, "csv t.csv", null);
    try (GlobalModel m = r.model()) {
      // 60 kept rows: validation the last 13, the scaler on the 47 before
      ColumnScaler expected = StandardScaler.fit(data.get("changes").select("sales").slice(0, 47));
      assertEquals(expected.offset(0), m.scaler("changes").offset(0), 1e-9);
      for (float v : m.tail("changes").values()[0]) {
        assertTrue(v < 1e5, "the kept rows end before the holdout: " + v);
      }
      assertEquals(2 * (47 - 13 + 1), r.trainWindows());
      SeriesRefit.Holdout h = r.holdouts().get("changes");
      assertEquals(12, h.actual().length);
      assertEquals(1e6, h.actual()[0], 1e-6);
      assertTrue(h.forecast()[0] < 1e3, "the forecast knows nothing of the new regime");
      assertEquals(12, h.season().period());
      SeriesRefit.Holdout steady = r.holdouts().get("steady");
      for (double v : steady.forecast()) {
        assertTrue(v > 80 && v < 120, "near the steady series' level of 100: " + v);
      }
    }
  }

  @Test
  void aRefitTrainsAgainOnEveryKeptRowForTheChosenEpochs() {
    float[] changes = PanelSeries.seasonal(72, 100, 7);
    for (int t = 60; t < 72; t++) {
      changes[t] = 1e6f; // a new regime after the cut
    }
    ManySeries data =
        PanelSeries.of(
            List.of("steady", "changes"), List.of(PanelSeries.seasonal(72, 100, 8), changes));
    GlobalTrainer.Result r =
        GlobalTrainer.train(
            data,
            "sales",
            PanelSeries.linear(6),
            GapFill.LINEAR,
            12,
            null,
            "csv t.csv",
            null,
            true);
    try (GlobalModel m = r.model()) {
      assertTrue(r.refit());
      assertEquals(6, r.history().epochs()); // the split's fit, which chose the epochs
      assertEquals(GlobalTrainer.bestEpoch(r.history().get("val_loss")), r.epochs());
      // every kept row of both series, none of the held-out ones
      ColumnScaler expected = StandardScaler.fit(data.get("changes").select("sales").slice(0, 60));
      assertEquals(expected.offset(0), m.scaler("changes").offset(0), 1e-9);
      assertEquals(expected.scale(0), m.scaler("changes").scale(0), 1e-9);
      assertEquals(2 * (60 - 13 + 1), r.trainWindows());
      assertEquals(2 * (13 - 13 + 1), r.validWindows());
      for (float v : m.tail("changes").values()[0]) {
        assertTrue(v < 1e5, "the kept rows end before the holdout: " + v);
      }
      assertEquals(1e6, r.holdouts().get("changes").actual()[0], 1e-6);
    }
    assertEquals(4, GlobalTrainer.bestEpoch(new double[] {0.5, 0.3, 0.31, 0.2, 0.25}));
    assertEquals(2, GlobalTrainer.bestEpoch(new double[] {Double.NaN, 0.3, 0.3}));
  }

  @Test
  void aHoldoutThatCannotBeScoredIsReportedNotFatal() {
    float[] exact = PanelSeries.seasonal(60, 10, 4);
    for (int t = 12; t < 60; t++) {
      exact[t] = exact[t - 12]; // repeats its season exactly: MASE's scale is 0
    }
    ManySeries data =
        PanelSeries.of(List.of("noisy", "exact"), List.of(PanelSeries.seasonal(60, 10, 3), exact));
    GlobalTrainer.Result r =
        GlobalTrainer.train(
            data, "sales", PanelSeries.linear(1), GapFill.LINEAR, 6, null, "csv t.csv", null);
    try (GlobalModel m = r.model()) {
      assertEquals(List.of("noisy", "exact"), m.ids());
      assertEquals(List.of("noisy"), List.copyOf(r.holdouts().keySet()));
      assertEquals("exact", r.unscored().get(0).id());
      assertTrue(r.unscored().get(0).reason().contains("MASE scale"), r.unscored().toString());
    }
  }

  @Test
  void seriesThatCannotBeTrainedAreSkippedWithTheirReasons() {
    float[] constant = new float[60];
    Arrays.fill(constant, 3);
    float[] empty = new float[60];
    Arrays.fill(empty, Float.NaN);
    ManySeries data =
        PanelSeries.of(
            List.of("ok", "short", "constant", "empty"),
            List.of(
                PanelSeries.seasonal(60, 10, 1), PanelSeries.seasonal(25, 10, 2), constant, empty));
    GlobalTrainer.Result r =
        GlobalTrainer.train(
            data, "sales", PanelSeries.linear(1), GapFill.LINEAR, 0, null, "csv t.csv", null);
    try (GlobalModel m = r.model()) {
      assertEquals(List.of("ok"), m.ids());
      List<SkippedSeries> s = r.skipped();
      assertEquals(
          List.of("short", "empty", "constant"), s.stream().map(SkippedSeries::id).toList());
      assertEquals(
          "25 rows, fewer than the 26 needed for 2 x (window 12 + horizon 1)", s.get(0).reason());
      assertEquals("no observed value in column 'sales'", s.get(1).reason());
      assertTrue(
          s.get(2).reason().startsWith("its training rows cannot be scaled"), s.get(2).reason());
    }
    ManySeries none = PanelSeries.of(List.of("short"), List.of(PanelSeries.seasonal(25, 10, 2)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GlobalTrainer.train(
                    none, "sales", PanelSeries.linear(1), GapFill.LINEAR, 0, null, "x", null));
    assertTrue(e.getMessage().contains("no series of test can be trained"), e.getMessage());
    assertTrue(e.getMessage().contains("short: 25 rows"), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }
}
