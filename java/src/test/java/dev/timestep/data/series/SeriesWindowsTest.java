package dev.timestep.data.series;

import static dev.timestep.data.series.TimeSeriesTest.NA;
import static dev.timestep.data.series.TimeSeriesTest.series;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.data.ChapterData;
import dev.timestep.data.Dataset;
import dev.timestep.data.SeriesGenerator;
import dev.timestep.data.Splits;
import dev.timestep.tensor.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SeriesWindowsTest {
  /** 0, 1, ..., n-1 as a univariate array, so each value names its own position. */
  private static NDArray ramp(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return NDArray.of(v, n);
  }

  private static void assertFails(Executable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void seqToVectorPairsByHand() {
    Windows w = SeriesWindows.build(ramp(10), WindowSpec.vector(3, 2));
    Dataset d = w.dataset();
    assertEquals(6, w.size());
    assertEquals(List.of(6, 3, 1), List.of(d.x().dim(0), d.x().dim(1), d.x().dim(2)));
    assertEquals(List.of(6, 2), List.of(d.y().dim(0), d.y().dim(1)));
    assertArrayEquals(new float[] {0, 1, 2}, d.x().rows(0, 1).data());
    assertArrayEquals(new float[] {3, 4}, d.y().rows(0, 1).data());
    assertArrayEquals(new float[] {5, 6, 7}, d.x().rows(5, 6).data());
    assertArrayEquals(new float[] {8, 9}, d.y().rows(5, 6).data());
    assertEquals(0, w.skippedForMissing());
  }

  @Test
  void strideSpacesTheWindowStarts() {
    Windows w = SeriesWindows.build(ramp(10), WindowSpec.vector(3, 2).withStride(2));
    assertEquals(3, w.size());
    assertArrayEquals(new float[] {0, 1, 2, 2, 3, 4, 4, 5, 6}, w.dataset().x().data());
    assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8}, w.dataset().y().data());
  }

  @Test
  void seqToSeqTargetsAreTheNextValuesAfterEveryStep() {
    Windows w = SeriesWindows.build(ramp(6), WindowSpec.sequence(3, 2));
    NDArray y = w.dataset().y();
    assertEquals(List.of(2, 3, 2), List.of(y.dim(0), y.dim(1), y.dim(2)));
    // Y[j, t, k-1] = series[j + t + k]
    assertArrayEquals(new float[] {1, 2, 2, 3, 3, 4, 2, 3, 3, 4, 4, 5}, y.data());
    assertArrayEquals(new float[] {0, 1, 2, 1, 2, 3}, w.dataset().x().data());
  }

  @Test
  void aWindowOfOneAndAHorizonOfOneWork() {
    Windows w = SeriesWindows.build(ramp(3), WindowSpec.sequence(1, 1));
    assertArrayEquals(new float[] {0, 1}, w.dataset().x().data());
    assertArrayEquals(new float[] {1, 2}, w.dataset().y().data());
  }

  @Test
  void multivariateInputsUseEveryColumnAndTargetsOneColumn() {
    TimeSeries s =
        series(
            List.of("a", "b"),
            new float[] {0, 1, 2, 3, 4, 5},
            new float[] {10, 11, 12, 13, 14, 15});
    Windows w = SeriesWindows.build(s, WindowSpec.vector(2, 1).withTarget(1));
    assertEquals(4, w.size());
    assertEquals(2, w.dataset().x().dim(2));
    assertArrayEquals(new float[] {0, 10, 1, 11}, w.dataset().x().rows(0, 1).data());
    assertArrayEquals(new float[] {12, 13, 14, 15}, w.dataset().y().data());
  }

  @Test
  void windowsTouchingAMissingValueAreSkippedAndCounted() {
    TimeSeries s = series(List.of("a"), new float[] {0, 1, NA, 3, 4, 5, 6, 7});
    Windows w = SeriesWindows.build(s, WindowSpec.vector(2, 1));
    // starts 0 and 1 need row 2 as target or input, start 2 has it as input: three of six skipped
    assertEquals(6, w.candidates());
    assertEquals(3, w.skippedForMissing());
    assertArrayEquals(new float[] {3, 4, 4, 5, 5, 6}, w.dataset().x().data());
    assertTrue(w.toString().contains("3 of 6 windows skipped"), w.toString());
    for (float v : w.dataset().x().data()) {
      assertFalse(Float.isNaN(v));
    }
  }

  @Test
  void aGapInAnotherColumnAfterTheWindowDoesNotSkipIt() {
    TimeSeries s =
        series(List.of("a", "b"), new float[] {0, 1, 2, 3, 4}, new float[] {10, 11, NA, 13, 14});
    Windows w = SeriesWindows.build(s, WindowSpec.vector(2, 1));
    // start 0 reads b only at rows 0-1 (its target is a at row 2); starts 1 and 2 read b at row 2
    assertEquals(3, w.candidates());
    assertEquals(2, w.skippedForMissing());
    assertArrayEquals(new float[] {2}, w.dataset().y().data());
  }

  @Test
  void manySeriesAreWindowedOneAfterAnother() {
    NDArray many = NDArray.of(new float[] {0, 1, 2, 3, 4, 10, 11, 12, 13, 14}, 2, 5, 1);
    Windows w = SeriesWindows.build(many, WindowSpec.vector(2, 1));
    assertEquals(6, w.size());
    assertArrayEquals(new float[] {2, 3, 4, 12, 13, 14}, w.dataset().y().data());

    TimeSeries shortOne = series(List.of("v"), new float[] {0, 1, 2});
    TimeSeries longOne = series(List.of("v"), new float[] {5, 6, 7, 8});
    Windows fromList = SeriesWindows.build(List.of(shortOne, longOne), WindowSpec.vector(2, 1));
    assertArrayEquals(new float[] {2, 7, 8}, fromList.dataset().y().data());
  }

  @Test
  void matchesTheChapterBuildersExactly() {
    NDArray generated = SeriesGenerator.generate(ChapterData.SERIES, 60, 5);
    Splits book = ChapterData.tenStepsSequence(5);
    Dataset mine = SeriesWindows.build(generated, WindowSpec.sequence(50, 10)).dataset();
    assertArrayEquals(book.train().x().data(), mine.x().rows(0, ChapterData.TRAIN).data());
    assertArrayEquals(book.train().y().data(), mine.y().rows(0, ChapterData.TRAIN).data());

    Splits vector = ChapterData.tenStepsVector(5);
    Dataset mineVector = SeriesWindows.build(generated, WindowSpec.vector(50, 10)).dataset();
    assertArrayEquals(
        vector.test().y().data(),
        mineVector.y().rows(ChapterData.TRAIN + ChapterData.VALID, ChapterData.SERIES).data());
  }

  @Test
  void impossibleRequestsGiveOneLineErrors() {
    assertFails(
        () -> SeriesWindows.build(ramp(10), WindowSpec.vector(11, 1)),
        "window of 11 steps is longer than the series (10 steps)");
    assertFails(
        () -> SeriesWindows.build(ramp(10), WindowSpec.vector(8, 3)),
        "window 8 + horizon 3 needs 11 steps",
        "has only 10");
    assertFails(() -> WindowSpec.vector(5, 0), "horizon must be at least 1", "got 0");
    assertFails(() -> WindowSpec.sequence(0, 1), "window must be at least 1", "got 0");
    assertFails(() -> WindowSpec.vector(2, 1).withStride(0), "stride");
    assertFails(
        () -> SeriesWindows.build(ramp(10), WindowSpec.vector(2, 1).withTarget(1)),
        "target column 1 does not exist",
        "1 column");
    assertFails(
        () ->
            SeriesWindows.build(
                NDArray.of(new float[] {0, 1, 2, 3, 4, 5, 6}, 1, 7, 1), WindowSpec.vector(8, 1)),
        "longer than the series (7 steps)");
    assertFails(
        () ->
            SeriesWindows.build(
                List.of(
                    series(List.of("v"), new float[] {1, 2, 3}),
                    series(List.of("v"), new float[] {1, 2})),
                WindowSpec.vector(2, 1)),
        "series 1 has only 2");
    assertFails(
        () ->
            SeriesWindows.build(
                series(List.of("v"), new float[] {1, NA, 3}), WindowSpec.vector(1, 1)),
        "all 2 windows",
        "missing value");
  }
}
