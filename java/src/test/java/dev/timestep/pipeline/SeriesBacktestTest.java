package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.Season;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.models.ChapterModels;
import dev.timestep.pipeline.evaluation.BacktestReport;
import dev.timestep.pipeline.evaluation.FoldForecaster;
import dev.timestep.pipeline.evaluation.RollingBacktest;
import dev.timestep.testing.TestSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backtests of a chapter model trained on each fold's rows. */
class SeriesBacktestTest {
  private static final int ORIGIN = 290;
  private static final int HORIZON = 10;

  private static TrainingSettings settings() {
    return new TrainingSettings(
        ChapterModels.named("linear"),
        12,
        1,
        20,
        32,
        0.01,
        "standard",
        true,
        0.0,
        0,
        Backends.named("cpu"),
        null);
  }

  @Test
  void aFoldCutAtARegimeChangeTrainsScalesAndFillsOnItsOwnRowsOnly() {
    // About 100 until the origin, 300 from it on; the last training row is missing, so the
    // forecast's window needs a fill: one that peeked at the next row would land near 200.
    float[] y = TestSeries.values(ORIGIN + HORIZON, 26, 0.2, 3, ORIGIN - 1);
    for (int t = ORIGIN; t < y.length; t++) {
      y[t] += 200;
    }
    TimeSeries series = TestSeries.weekly(y);
    List<TimeSeries> handed = new ArrayList<>();
    FoldForecaster model = SeriesBacktest.chapterModel(settings(), HORIZON);
    FoldForecaster recording =
        (training, h) -> {
          handed.add(training);
          return model.forecast(training, h);
        };
    BacktestReport r =
        RollingBacktest.run(series, "value", HORIZON, 1, new Season(1, "test"), null, recording);

    assertEquals(1, handed.size());
    assertArrayEquals(Arrays.copyOf(y, ORIGIN), handed.get(0).column(0), "rows [0, origin) only");
    double[] forecast = r.folds().get(0).model();
    for (double f : forecast) {
      assertTrue(f > 90 && f < 115, "a forecast at the old level: " + Arrays.toString(forecast));
    }
    // Honest forecasts miss the jump of 200 by far more than the in-sample step-to-step change.
    assertTrue(r.model().overallMase() > 50, "MASE " + r.model().overallMase());
    assertTrue(r.naive().overallMase() > 50, "MASE " + r.naive().overallMase());
  }

  @Test
  void theEarliestFoldHoldsAWindowAndHorizonInItsValidationPart() {
    assertEquals(255, SeriesBacktest.minRows(50, 1));
    assertEquals(110, SeriesBacktest.minRows(12, 10));
    // One row fewer would leave the trainer's 20% too short.
    assertTrue(Math.floor(109 * SeriesTrainer.VALID_FRACTION) < 22);
    assertEquals(110, SeriesBacktest.chapterModel(settings(), 10).minTrainingRows(10));
    assertEquals(Integer.MAX_VALUE, SeriesBacktest.minRows(Integer.MAX_VALUE - 5, 5));
  }

  @Test
  void theDefaultFoldsOfAChapterModelStartAfterItsFewestRows() {
    float[] y = TestSeries.values(140, 26, 0.2, 4);
    BacktestReport r =
        SeriesBacktest.run(
            TestSeries.weekly(y), "value", 5, null, new Season(26, "test"), null, settings());
    // The earliest fold needs 85 rows (window 12 + horizon 5 in 20%): 140 - 5 - 85 = 50 rows
    // spare, so 5 folds fit, 5 rows apart, the last testing on the last 5 rows.
    assertEquals(5, r.folds().size());
    assertEquals(135, r.folds().get(4).fold().origin());
    assertEquals(115, r.folds().get(0).fold().origin());
    assertTrue(r.model().overallMase() < r.naive().overallMase() * 3, "a sane model");
  }
}
