package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.ColumnScaler;
import dev.timestep.data.series.StandardScaler;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.models.ChapterModels;
import dev.timestep.testing.TestSeries;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesRefitTest {
  private static TrainingSettings settings(int window, int horizon, int epochs) {
    return TrainingSettings.of(
            ChapterModels.named("linear"), window, horizon, Backends.named("cpu"))
        .withEpochs(epochs)
        .withLearningRate(0.01);
  }

  private static TimeSeries monthly(float[] v) {
    List<LocalDateTime> times = new ArrayList<>();
    for (int i = 0; i < v.length; i++) {
      times.add(LocalDate.of(2000, 1, 1).plusMonths(i).atStartOfDay());
    }
    return TimeSeries.of(
        "m.csv", TimeFormat.YEAR_MONTH, times, List.of("value"), new float[][] {v});
  }

  @Test
  void theHoldoutRowsNeverReachScalingTrainingOrTheKeptWindow() {
    float[] v = TestSeries.values(120, 12, 0.2, 3);
    for (int i = 108; i < 120; i++) {
      v[i] = 1e6f; // would dominate the scaler, the windows and the tail if they were seen
    }
    TimeSeries s = monthly(v);
    SeriesRefit.Result r =
        SeriesRefit.run(
            s, "value", List.of(), "csv m.csv", "t", settings(12, 1, 3), GapFill.LINEAR, 12, null);
    try (SeriesModel m = r.model()) {
      assertEquals(108, r.rows());
      ColumnScaler expected = StandardScaler.fit(s.slice(0, 108));
      assertEquals(expected.offset(0), m.info().scaler().offset(0), 1e-9);
      assertEquals(expected.scale(0), m.info().scaler().scale(0), 1e-9);
      assertEquals(s.time(107), m.info().trainedUntil());
      assertEquals(s.time(107), m.tail().times().get(m.tail().rows() - 1));
      for (float x : m.tail().values()[0]) {
        assertTrue(x < 1e5, "the kept window ends before the holdout: " + x);
      }
      // every window of the 108 kept rows, none of the held-out ones
      assertEquals(108 - 13 + 1, r.gaps().windows().candidates());
      // the holdout is scored on the held-out rows, and naive repeats the last kept value
      assertEquals(12, r.holdout().actual().length);
      assertEquals(1e6, r.holdout().actual()[0], 1e-6);
      assertEquals(1e6 - v[107], r.holdout().naive().overallRmse(), 1e-3);
      // seasonal naive (12, monthly) repeats the last kept year
      assertEquals(12, r.holdout().season().period());
    }
  }

  @Test
  void aFortyEightMonthSeriesTakesATwelveMonthWindow() {
    TimeSeries s = monthly(TestSeries.values(48, 12, 0.2, 5));
    TrainingSettings twelve = settings(12, 1, 2);
    IllegalArgumentException old =
        assertThrows(
            IllegalArgumentException.class,
            () -> SeriesTrainer.prepare(s, "value", List.of(), "csv m.csv", "t", twelve));
    assertTrue(old.getMessage().contains("validation part"), old.getMessage());
    SeriesRefit.Result r =
        SeriesRefit.run(s, "value", List.of(), "csv m.csv", "t", twelve, GapFill.LINEAR, 0, null);
    try (SeriesModel m = r.model()) {
      assertEquals(48, r.rows());
      assertEquals(13, r.selectionValidRows()); // max(floor(0.2 x 48) = 9, 12 + 1)
      assertEquals(35, r.selectionTrainRows());
      assertNull(r.holdout());
      assertEquals(s.time(47), m.tail().times().get(m.tail().rows() - 1));
    }
  }

  @Test
  void theSplitRuleAndItsRefusal() {
    assertEquals(20, SeriesRefit.validRows(100, 5, 1));
    assertEquals(13, SeriesRefit.validRows(48, 12, 1));
    TimeSeries s = monthly(TestSeries.values(25, 12, 0.2, 5));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SeriesRefit.run(
                    s, "value", List.of(), "x", null, settings(12, 1, 1), GapFill.LINEAR, 0, null));
    assertTrue(e.getMessage().contains("needs 26 rows to refit"), e.getMessage());
  }

  @Test
  void theChosenEpochHasTheLowestValidationLoss() {
    assertEquals(4, SeriesRefit.bestEpoch(new double[] {0.5, 0.3, 0.31, 0.2, 0.25}));
    assertEquals(2, SeriesRefit.bestEpoch(new double[] {Double.NaN, 0.3, 0.3}));
  }
}
