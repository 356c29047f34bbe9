package dev.timestep.data.series;

import static dev.timestep.data.series.TimeSeriesTest.series;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.data.Splits;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesSplitTest {
  private static TimeSeries ramp(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return series(List.of("v"), v);
  }

  @Test
  void fractionsCutInTimeOrder() {
    SeriesSplit split = SeriesSplit.byFractions(ramp(20), 0.7, 0.2);
    assertEquals(14, split.train().length());
    assertEquals(4, split.valid().length());
    assertEquals(2, split.test().length());
    assertEquals(13f, split.train().value(13, 0));
    assertEquals(14f, split.valid().value(0, 0));
    assertEquals("2018", split.test().timeLabel(0));
  }

  @Test
  void eachPartIsWindowedOnItsOwn() {
    SeriesSplit split = SeriesSplit.atRows(ramp(20), 10, 15);
    SeriesSplit.SplitWindows w = split.windows(WindowSpec.vector(3, 1));
    Splits s = w.splits();
    assertEquals(7, s.train().size());
    assertEquals(2, s.valid().size());
    assertEquals(2, s.test().size());
    // the first validation window starts at row 10: no training row leaks into it
    assertArrayEquals(new float[] {10, 11, 12}, s.valid().x().rows(0, 1).data());
    assertEquals(0, w.skippedForMissing());
  }

  @Test
  void scalingFittedOnTrainIsAppliedToEveryPart() {
    SeriesSplit split = SeriesSplit.atRows(ramp(20), 10, 15);
    MinMaxScaler scaler = MinMaxScaler.fit(split.train());
    SeriesSplit scaled = split.map(scaler::transform);
    assertEquals(1f, scaled.train().value(9, 0));
    // later values lie beyond the training maximum: above 1, as they should
    assertEquals(19f / 9f, scaled.test().value(4, 0), 1e-6);
  }

  @Test
  void partsThatWouldBeEmptyAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SeriesSplit.byFractions(ramp(20), 0.7, 0.3));
    assertTrue(e.getMessage().contains("leave a test part"), e.getMessage());
    IllegalArgumentException rows =
        assertThrows(IllegalArgumentException.class, () -> SeriesSplit.atRows(ramp(5), 3, 5));
    assertTrue(rows.getMessage().contains("0 < trainEnd < validEnd < 5"), rows.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SeriesSplit.byFractions(ramp(3), 0.1, 0.1));
  }
}
