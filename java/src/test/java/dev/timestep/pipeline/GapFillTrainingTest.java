package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.ColumnScaler;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.models.ChapterModels;
import dev.timestep.testing.TestSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gap filling in training: inputs are filled within their part, targets never, and the counts are
 * those worked out by hand. 100 rows = 70 training, 20 validation, 10 test; window 5, horizon 1, so
 * 65 training and 15 validation candidate windows. Row 10 (training) and row 80 (validation row 10)
 * are missing; the values are t^2, so a filled value ((t-1)^2 + (t+1)^2) / 2 = t^2 + 1 is told
 * apart from every observed one.
 */
class GapFillTrainingTest {
  private static TimeSeries squares() {
    float[] v = new float[100];
    for (int t = 0; t < v.length; t++) {
      v[t] = t * t;
    }
    v[10] = Float.NaN;
    v[80] = Float.NaN;
    return TestSeries.weekly(v);
  }

  private static TrainingData prepare(GapFill fill) {
    TrainingSettings s =
        TrainingSettings.of(ChapterModels.named("linear"), 5, 1, Backends.named("reference"));
    return SeriesTrainer.prepare(squares(), "value", List.of(), "test", null, s, fill);
  }

  private static boolean holds(float[] scaled, ColumnScaler scaler, double value) {
    float target = (float) ((value - scaler.offset(0)) / scaler.scale(0));
    for (float v : scaled) {
      if (Math.abs(v - target) < 1e-5) {
        return true;
      }
    }
    return false;
  }

  @Test
  void linearFillsInputsButSkipsEveryWindowWhoseTargetIsMissing() {
    TrainingData d = prepare(GapFill.LINEAR);
    // only the window whose target is the missing row is lost, in each part
    assertEquals(65, d.train().candidates());
    assertEquals(1, d.train().skippedForMissing());
    assertEquals(15, d.valid().candidates());
    assertEquals(1, d.valid().skippedForMissing());
    // the windows with the gap among their 5 inputs: starts 6..10 of each part
    assertEquals(5, d.trainGaps().windowsTouchingFill());
    assertEquals(5, d.validGaps().windowsTouchingFill());
    assertEquals(1, d.trainGaps().filledValues());
    assertEquals(70, d.trainGaps().values());
    assertEquals(1, d.validGaps().filledValues());
    assertEquals(20, d.validGaps().values());
    assertEquals((1 + 5) / 65.0, d.trainGaps().lostOrImputedShare(), 1e-12);
    ColumnScaler scaler = d.info().scaler();
    // validation inputs hold the filled 80^2 + 1; its targets never do
    assertTrue(holds(d.valid().dataset().x().data(), scaler, 80 * 80 + 1));
    assertTrue(!holds(d.valid().dataset().y().data(), scaler, 80 * 80 + 1));
    assertTrue(holds(d.train().dataset().x().data(), scaler, 10 * 10 + 1));
    assertTrue(!holds(d.train().dataset().y().data(), scaler, 10 * 10 + 1));
    // the observed neighbours are targets as usual
    assertTrue(holds(d.valid().dataset().y().data(), scaler, 81 * 81));
  }

  @Test
  void noneSkipsEveryWindowThatTouchesTheGap() {
    TrainingData d = prepare(GapFill.NONE);
    assertEquals(6, d.train().skippedForMissing()); // starts 5..10
    assertEquals(6, d.valid().skippedForMissing());
    assertEquals(0, d.trainGaps().windowsTouchingFill());
    assertEquals(0, d.trainGaps().filledValues());
  }

  @Test
  void fillNamesAreParsedAndUnknownOnesRefused() {
    assertEquals(GapFill.LINEAR, GapFill.named(" Linear "));
    assertEquals(GapFill.NONE, GapFill.named("none"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GapFill.named("model"));
    assertTrue(e.getMessage().contains("linear or none"), e.getMessage());
  }
}
