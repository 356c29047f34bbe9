package dev.timestep.data.series.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every transform, fitted on training rows, takes the rows after them back exactly. */
class TransformRoundTripTest {
  private static final int ORIGIN = 150;

  @Test
  void logRoundTripsRandomPositiveValues() {
    assertRoundTrip(LogTransform.create(), positive(200, 1));
  }

  @Test
  void boxCoxRoundTripsForAnyLambda() {
    double[] y = positive(200, 2);
    for (double lambda : new double[] {-1, -0.4, 0, 1e-9, 0.3, 1, 2}) {
      BoxCox b = BoxCox.of(lambda);
      assertEquals(lambda, b.lambda());
      assertInverts(b, y);
    }
    assertRoundTrip(BoxCox.guerrero(12), y);
  }

  @Test
  void differencesRoundTripFromTheLastObservedValues() {
    double[] y = gaussian(200, 3);
    assertRoundTrip(Difference.lag(1), y);
    assertRoundTrip(Difference.lag(12), y);
  }

  @Test
  void aChainRoundTripsThroughEveryStage() {
    SeriesTransform chain =
        TransformChain.of(BoxCox.guerrero(12), Difference.lag(12), Difference.lag(1));
    assertRoundTrip(chain, positive(200, 4));
    assertRoundTrip(TransformChain.of(LogTransform.create(), Difference.lag(1)), positive(170, 5));
  }

  @Test
  void differencesMatchHandComputedValues() {
    double[] y = {1, 4, 9, 16};
    assertArrayEquals(new double[] {Double.NaN, 3, 5, 7}, Difference.lag(1).apply(y));
    assertArrayEquals(new double[] {Double.NaN, Double.NaN, 8, 12}, Difference.lag(2).apply(y));
    // lag 1: 16 + 9 = 25, then 25 + 11 = 36.
    assertArrayEquals(new double[] {25, 36}, Difference.lag(1).inverse(new double[] {9, 11}, y));
    // lag 2: 9 + 16 = 25, 16 + 20 = 36, then the first forecast again: 25 + 5 = 30.
    assertArrayEquals(
        new double[] {25, 36, 30}, Difference.lag(2).inverse(new double[] {16, 20, 5}, y));
  }

  @Test
  void aDifferencedForecastRefusesAHistoryTooShortOrWithGaps() {
    IllegalArgumentException shortHistory =
        assertThrows(
            IllegalArgumentException.class,
            () -> Difference.lag(12).inverse(new double[] {1}, new double[5]));
    assertTrue(
        shortHistory.getMessage().contains("last 12 observed values")
            && shortHistory.getMessage().contains("got 5"),
        shortHistory.getMessage());
    IllegalArgumentException gap =
        assertThrows(
            IllegalArgumentException.class,
            () -> Difference.lag(2).inverse(new double[] {1}, new double[] {1, 2, Double.NaN, 4}));
    assertTrue(gap.getMessage().contains("row 2"), gap.getMessage());
  }

  @Test
  void missingValuesStayMissing() {
    double[] y = {1, 2, Double.NaN, 4, 5};
    double[] logged = LogTransform.create().apply(y);
    assertTrue(Double.isNaN(logged[2]));
    assertEquals(Math.log(4), logged[3], 0);
    double[] d = Difference.lag(1).apply(y);
    assertTrue(Double.isNaN(d[2]) && Double.isNaN(d[3]));
    assertEquals(1, d[4], 0);
  }

  /** Fit on the first ORIGIN rows, forecast the rest perfectly in transformed units, invert. */
  private static void assertRoundTrip(SeriesTransform transform, double[] y) {
    double[] train = Arrays.copyOf(y, ORIGIN);
    FittedTransform fitted = transform.fit(train);
    double[] transformed = fitted.apply(y);
    double[] forecast = Arrays.copyOfRange(transformed, ORIGIN, y.length);
    double[] back = fitted.inverse(forecast, train);
    assertClose(Arrays.copyOfRange(y, ORIGIN, y.length), back, transform.describe());
    assertInverts(fitted, y);
  }

  /** Element-wise check that needs no history: every row from row 13 on, one step at a time. */
  private static void assertInverts(FittedTransform fitted, double[] y) {
    double[] transformed = fitted.apply(y);
    for (int origin = 13; origin < y.length; origin++) {
      double[] back = fitted.inverse(new double[] {transformed[origin]}, Arrays.copyOf(y, origin));
      assertClose(new double[] {y[origin]}, back, fitted.describe() + " at row " + origin);
    }
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), what);
    }
  }

  static double[] positive(int n, long seed) {
    Random r = new Random(seed);
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      y[t] = Math.exp(r.nextGaussian()) * (10 + t);
    }
    return y;
  }

  private static double[] gaussian(int n, long seed) {
    Random r = new Random(seed);
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      y[t] = 100 * r.nextGaussian();
    }
    return y;
  }
}
