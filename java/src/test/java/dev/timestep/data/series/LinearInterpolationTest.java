package dev.timestep.data.series;

import static dev.timestep.data.series.TimeSeriesTest.NA;
import static dev.timestep.data.series.TimeSeriesTest.series;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearInterpolationTest {

  @Test
  void interiorGapsLieOnTheLineBetweenTheirNeighbours() {
    assertArrayEquals(
        new float[] {1, 2, 3, 4, 10, 7, 4},
        LinearInterpolation.fill(new float[] {1, NA, NA, 4, 10, NA, 4}),
        1e-6f);
  }

  @Test
  void endGapsTakeTheNearestValue() {
    assertArrayEquals(
        new float[] {5, 5, 5, 6, 6}, LinearInterpolation.fill(new float[] {NA, NA, 5, 6, NA}));
    assertArrayEquals(new float[] {7}, LinearInterpolation.fill(new float[] {7}));
  }

  @Test
  void theInputIsLeftUntouched() {
    float[] in = {1, NA, 3};
    LinearInterpolation.fill(in);
    assertTrue(Float.isNaN(in[1]));
  }

  @Test
  void nothingToInterpolateFromIsAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LinearInterpolation.fill(series(List.of("x"), new float[] {NA, NA})));
    assertTrue(
        e.getMessage().contains("column 'x'")
            && e.getMessage().contains("all 2 values are missing"),
        e.getMessage());
  }

  @Test
  void fillsEveryColumnOfASeries() {
    TimeSeries filled =
        LinearInterpolation.fill(
            series(List.of("a", "b"), new float[] {0, NA, 2}, new float[] {NA, 1, 1}));
    assertEquals(0, filled.missingCount());
    assertEquals(1f, filled.value(1, 0));
    assertEquals(1f, filled.value(0, 1));
  }

  @Test
  void onMaunaLoaItRecoversRemovedWeeksToWithinAFewPpm() {
    // The comparison the imputation model will face: hide known weeks, fill, measure.
    TimeSeries co2 = RealSeries.maunaLoaCo2();
    float[] truth = co2.column(0);
    float[] holed = truth.clone();
    SplittableRandom random = new SplittableRandom(15);
    int hidden = 0;
    while (hidden < 100) {
      int t = random.nextInt(truth.length);
      if (!Float.isNaN(holed[t])) {
        holed[t] = NA;
        hidden++;
      }
    }
    float[] filled = LinearInterpolation.fill(holed);
    double squared = 0;
    for (int t = 0; t < truth.length; t++) {
      if (Float.isNaN(holed[t]) && !Float.isNaN(truth[t])) {
        double d = filled[t] - truth[t];
        squared += d * d;
      }
    }
    double rmse = Math.sqrt(squared / hidden);
    // Week-to-week changes at Mauna Loa are well under 1 ppm, so a straight line stays close.
    assertTrue(rmse > 0 && rmse < 1.0, "rmse " + rmse);
  }
}
