package dev.timestep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.tensor.NDArray;
import org.junit.jupiter.api.Test;

class ChapterDataTest {

  @Test
  void generatorIsSeededAndShapedAsTheBook() {
    NDArray a = SeriesGenerator.generate(4, 51, 3);
    NDArray b = SeriesGenerator.generate(4, 51, 3);
    NDArray c = SeriesGenerator.generate(4, 51, 4);
    assertEquals(java.util.List.of(4, 51, 1), java.util.List.of(a.dim(0), a.dim(1), a.dim(2)));
    assertArrayEquals(a.data(), b.data());
    assertNotEquals(a.data()[10], c.data()[10]);
  }

  @Test
  void valuesStayWithinTheSumOfTheAmplitudes() {
    // |0.5 sin| + |0.2 sin| + |0.1 (u - 0.5)| <= 0.75
    for (float v : SeriesGenerator.generate(200, 60, 1).data()) {
      assertTrue(Math.abs(v) <= 0.75f + 1e-6f, "value " + v);
    }
  }

  @Test
  void splitsAre7000By2000By1000WithTheRightTargets() {
    Splits s = ChapterData.tenStepsVector(9);
    assertEquals(7000, s.train().size());
    assertEquals(2000, s.valid().size());
    assertEquals(1000, s.test().size());
    assertEquals(10, s.train().y().dim(1));
    // Y of the first validation sample = steps 50..59 of series 7000 of the same generator.
    NDArray series = SeriesGenerator.generate(10_000, 60, 9);
    for (int k = 0; k < 10; k++) {
      assertEquals(series.get(7000, 50 + k, 0), s.valid().y().get(0, k));
    }
    assertEquals(series.get(7000, 49, 0), s.valid().x().get(0, 49, 0));
  }

  @Test
  void naiveForecastRepeatsTheLastValue() {
    NDArray x = NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3, 1);
    assertArrayEquals(new float[] {3, 3, 6, 6}, Forecasts.naive(x, 2).data());
    assertEquals(
        1.0,
        Forecasts.mse(NDArray.of(new float[] {1, 3}, 2, 1), NDArray.of(new float[] {2, 2}, 2, 1)));
    assertThrows(IllegalArgumentException.class, () -> Forecasts.naive(NDArray.zeros(2, 3), 1));
  }

  @Test
  void naiveOneStepMatchesTheBook() {
    // The book: 0.0202 (its results table, row 1). The mean over 2000 series is stable to ~5%.
    Splits s = ChapterData.oneStep(0);
    double mse = Forecasts.mse(Forecasts.naive(s.valid().x(), 1), s.valid().y());
    assertEquals(0.0202, mse, 0.0202 * 0.1);
  }
}
