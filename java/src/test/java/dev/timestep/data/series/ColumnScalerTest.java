package dev.timestep.data.series;

import static dev.timestep.data.series.TimeSeriesTest.NA;
import static dev.timestep.data.series.TimeSeriesTest.series;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.tensor.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ColumnScalerTest {
  private static void assertFails(Executable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void standardScalerIgnoresMissingWhenFittingAndKeepsThemMissing() {
    // present values 1, 2, 3: mean 2, population std sqrt(2/3)
    TimeSeries s =
        series(List.of("a", "b"), new float[] {1, NA, 2, 3}, new float[] {10, 20, 30, 40});
    StandardScaler scaler = StandardScaler.fit(s);
    assertEquals(2.0, scaler.mean(0), 1e-12);
    assertEquals(Math.sqrt(2.0 / 3.0), scaler.std(0), 1e-12);
    assertEquals(25.0, scaler.mean(1), 1e-12);
    TimeSeries scaled = scaler.transform(s);
    float z = (float) (1 / Math.sqrt(2.0 / 3.0));
    assertArrayEquals(new float[] {-z, NA, 0, z}, scaled.column("a"), 1e-6f);
    assertTrue(scaled.isMissing(1, 0));
    assertEquals(1, scaled.missingCount());
    assertArrayEquals(s.column("b"), scaler.inverse(scaled).column("b"), 1e-4f);
  }

  @Test
  void minMaxScalerMapsTheTrainingRangeToZeroOne() {
    TimeSeries s = series(List.of("a"), new float[] {2, NA, 6, 4});
    MinMaxScaler scaler = MinMaxScaler.fit(s);
    assertEquals(2.0, scaler.min(0));
    assertEquals(6.0, scaler.max(0));
    assertArrayEquals(new float[] {0, NA, 1, 0.5f}, scaler.transform(s).column(0), 1e-7f);
  }

  @Test
  void arraysUseTheLastAxisForColumnsAndRoundTrip() {
    NDArray train = NDArray.of(new float[] {1, 100, 3, 300}, 2, 2);
    StandardScaler scaler = StandardScaler.fit(train);
    assertEquals(List.of("column 0", "column 1"), scaler.columnNames());
    NDArray x = NDArray.of(new float[] {1, 100, 2, 200, 3, 300, NA, 400}, 2, 2, 2);
    NDArray scaled = scaler.transform(x);
    assertArrayEquals(new float[] {-1, -1, 0, 0, 1, 1, NA, 2}, scaled.data(), 1e-6f);
    assertArrayEquals(x.data(), scaler.inverse(scaled).data(), 1e-4f);
    MinMaxScaler mm = MinMaxScaler.fit(train);
    assertArrayEquals(x.data(), mm.inverse(mm.transform(x)).data(), 1e-4f);
  }

  @Test
  void forecastsOfTheTargetAreInvertedWhateverTheirShape() {
    TimeSeries s =
        series(List.of("temp", "co2"), new float[] {0, 1, 2}, new float[] {300, 310, 320});
    MinMaxScaler scaler = MinMaxScaler.fit(s);
    NDArray vector = NDArray.of(new float[] {0, 0.5f, 1, 2}, 2, 2);
    NDArray back = scaler.inverseTarget(vector, "co2");
    assertArrayEquals(new float[] {300, 310, 320, 340}, back.data(), 1e-4f);
    assertEquals(vector.shape(), back.shape());
    NDArray sequence = NDArray.of(new float[] {0, 1, 0.5f, 0.5f}, 1, 2, 2);
    assertArrayEquals(
        new float[] {300, 320, 310, 310}, scaler.inverseTarget(sequence, 1).data(), 1e-4f);
    assertEquals(
        List.of(1, 2, 2),
        List.of(
            scaler.inverseTarget(sequence, 1).shape().dims()[0],
            scaler.inverseTarget(sequence, 1).dim(1),
            scaler.inverseTarget(sequence, 1).dim(2)));
    // a spread is only stretched: 0.1 of a 20 ppm range is 2 ppm
    assertArrayEquals(
        new float[] {2f},
        scaler.inverseTargetSpread(NDArray.of(new float[] {0.1f}, 1, 1), 1).data(),
        1e-5f);
  }

  @Test
  void restoredScalersBehaveAsFittedOnes() {
    TimeSeries s = series(List.of("a"), new float[] {1, 5, 9});
    StandardScaler fitted = StandardScaler.fit(s);
    StandardScaler restored =
        StandardScaler.of(
            fitted.columnNames(), new double[] {fitted.mean(0)}, new double[] {fitted.std(0)});
    assertArrayEquals(fitted.transform(s).column(0), restored.transform(s).column(0));
    MinMaxScaler mm = MinMaxScaler.of(List.of("a"), new double[] {1}, new double[] {9});
    assertArrayEquals(new float[] {0, 0.5f, 1}, mm.transform(s).column(0));
    assertFails(
        () -> MinMaxScaler.of(List.of("a"), new double[] {3}, new double[] {3}), "scale > 0");
  }

  @Test
  void divisionByZeroIsRefusedAtFitTime() {
    assertFails(
        () -> StandardScaler.fit(series(List.of("flat"), new float[] {3, NA, 3})),
        "StandardScaler",
        "'flat' is constant",
        "divide by zero");
    assertFails(
        () -> MinMaxScaler.fit(series(List.of("flat"), new float[] {3, 3})),
        "MinMaxScaler",
        "'flat' is constant",
        "max - min is 0");
    assertFails(
        () -> StandardScaler.fit(series(List.of("gone"), new float[] {NA, NA})),
        "'gone' has no values to fit on",
        "all 2 are missing");
    assertFails(
        () -> MinMaxScaler.fit(series(List.of("gone"), new float[] {NA})), "no values to fit on");
    assertFails(
        () -> StandardScaler.fit(NDArray.of(new float[] {1, Float.POSITIVE_INFINITY}, 2, 1)),
        "Infinity");
  }

  @Test
  void mismatchedColumnsAreRefused() {
    StandardScaler scaler = StandardScaler.fit(series(List.of("a"), new float[] {1, 2}));
    assertFails(
        () -> scaler.transform(series(List.of("b"), new float[] {1, 2})),
        "fitted on columns [a]",
        "[b]");
    assertFails(
        () -> scaler.transform(NDArray.of(new float[] {1, 2}, 1, 2)),
        "last axis",
        "1 fitted column");
    assertFails(
        () -> scaler.inverseTarget(NDArray.of(new float[] {1}, 1, 1), 1),
        "column 1 does not exist");
    assertFails(
        () -> scaler.inverseTarget(NDArray.of(new float[] {1}, 1, 1), "z"), "unknown column 'z'");
    assertFails(
        () -> StandardScaler.fit(NDArray.of(new float[] {1, 2}, 2)), "columns on the last axis");
  }
}
