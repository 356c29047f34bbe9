package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.backend.Backends;
import dev.timestep.data.series.StandardScaler;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.models.ChapterModels;
import dev.timestep.testing.TestSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Training on a real-looking series: chronological parts, scaling from training rows, gaps skipped.
 */
class SeriesTrainerTest {
  private static final Backend CPU = Backends.named("cpu");

  private static TrainingSettings settings(String model, int window, int horizon, int epochs) {
    return new TrainingSettings(
        ChapterModels.named(model),
        window,
        horizon,
        epochs,
        32,
        0.01,
        "standard",
        true,
        0.0,
        0,
        CPU,
        null);
  }

  @Test
  void splitsInTimeOrderScalesOnTrainingRowsAndSkipsWindowsWithGaps() {
    // 500 rows: training rows 0..349; one gap at row 100 (inside training), none later.
    float[] values = TestSeries.values(500, 26, 0.2, 2, 100);
    TimeSeries series = TestSeries.weekly(values);
    TrainingResult r =
        SeriesTrainer.train(
            series, "value", List.of(), "test", null, settings("linear", 12, 2, 30));
    try (SeriesModel m = r.model()) {
      assertEquals(350, r.trainRows());
      assertEquals(100, r.validRows());
      // Windows of 12 + 2 rows that contain row 100 are skipped: starts 87..100.
      assertEquals(350 - 14 + 1, r.train().candidates());
      assertEquals(14, r.train().skippedForMissing());
      assertEquals(0, r.valid().skippedForMissing());
      StandardScaler expected = StandardScaler.fit(series.slice(0, 350));
      assertEquals(
          expected.mean(0),
          m.info().scaler().offset(0),
          1e-9,
          "scaler fitted on the training rows only");
      assertEquals(series.time(349), m.info().trainedUntil());
      assertEquals(30, r.history().epochs());
      assertTrue(
          r.validMse() < r.naiveValidMse(),
          "a trained model beats repeating the last value: "
              + r.validMse()
              + " vs "
              + r.naiveValidMse());
    }
  }

  @Test
  void aSequenceModelIsScoredOnItsLastStep() {
    TimeSeries series = TestSeries.weekly(TestSeries.values(300, 26, 0.2, 3));
    TrainingResult r =
        SeriesTrainer.train(
            series, "value", List.of(), "test", null, settings("conv-gru", 12, 2, 2));
    try (SeriesModel m = r.model()) {
      assertEquals(WindowSpec.Layout.SEQUENCE, m.info().layout());
      assertEquals(3, m.info().outputStart());
      assertTrue(
          r.history().epoch(0).containsKey("val_last_time_step_mse"), r.history().toString());
      assertTrue(Double.isFinite(r.validMse()) && r.validMse() > 0);
      assertEquals(2, m.forecast(series, new int[] {300}, 2, 0).steps());
    }
  }

  @Test
  void theGeneratorGivesOnePairPerSeries() {
    TrainingResult r =
        SeriesTrainer.trainOnGenerator(100, settings("gru", 8, 2, 1).withRelative(false));
    try (SeriesModel m = r.model()) {
      assertEquals(70, r.train().size());
      assertEquals(20, r.valid().size());
      assertEquals("generator", m.info().input());
      assertEquals(0, m.info().scaler().offset(0), "the generator's series are left unscaled");
    }
  }

  @Test
  void windowsThatDoNotFitAreRefusedWithTheReason() {
    TimeSeries series = TestSeries.weekly(TestSeries.values(100, 26, 0.2, 4));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SeriesTrainer.train(
                    series, "value", List.of(), "t", null, settings("linear", 150, 1, 1)));
    assertTrue(
        e.getMessage().contains("window of 150 steps is longer than the series"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SeriesTrainer.train(
                    series, "value", List.of(), "t", null, settings("linear", 30, 1, 1)));
    assertTrue(
        e.getMessage().contains("validation part") && e.getMessage().contains("only 20"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SeriesTrainer.train(
                    series, "nope", List.of(), "t", null, settings("linear", 5, 1, 1)));
    assertTrue(e.getMessage().contains("unknown column 'nope'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> settings("linear", 5, 0, 1));
    assertTrue(e.getMessage().contains("horizon must be at least 1"), e.getMessage());
  }
}
