package dev.timestep.data.series.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Box-Cox's lambda, refused values, and interval bounds taken back through each transform. */
class TransformDomainTest {

  @Test
  void guerreroPicksNearZeroForASeasonalSwingThatGrowsWithTheLevel() {
    // Monthly, level x1.5 per year, a +-30% season and 2% noise: multiplicative, so log is right.
    Random r = new Random(7);
    double[] y = new double[144];
    for (int t = 0; t < y.length; t++) {
      double level = 100 * Math.pow(1.5, t / 12.0);
      y[t] = level * (1 + 0.3 * Math.sin(2 * Math.PI * t / 12)) * Math.exp(0.02 * r.nextGaussian());
    }
    double lambda = GuerreroLambda.choose(y, 12);
    assertEquals(0, lambda, 0.1);
    assertEquals(lambda, ((BoxCox) BoxCox.guerrero(12).fit(y)).lambda(), 0);
  }

  @Test
  void guerreroPicksNearOneForASeasonalSwingOfConstantSize() {
    double[] y = new double[144];
    for (int t = 0; t < y.length; t++) {
      y[t] = 100 + 5 * t + 30 * Math.sin(2 * Math.PI * t / 12);
    }
    assertEquals(1, GuerreroLambda.choose(y, 12), 0.1);
  }

  @Test
  void guerreroNeedsTwoWholeSeasons() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GuerreroLambda.choose(TransformRoundTripTest.positive(20, 1), 12));
    assertTrue(
        e.getMessage().contains("24 rows") && e.getMessage().contains("got 20"), e.getMessage());
  }

  @Test
  void logAndBoxCoxNameTheFirstNonPositiveRow() {
    double[] y = {3, 2, 1, 0, -1};
    IllegalArgumentException log =
        assertThrows(IllegalArgumentException.class, () -> LogTransform.create().fit(y));
    assertTrue(
        log.getMessage().contains("row 3") && log.getMessage().contains("0.0"), log.getMessage());
    IllegalArgumentException boxCox =
        assertThrows(IllegalArgumentException.class, () -> BoxCox.of(0.5).apply(y));
    assertTrue(boxCox.getMessage().contains("row 3"), boxCox.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BoxCox.guerrero(2).fit(y));
    // Fitted on rows that are all positive, a later bad row is refused when applied.
    FittedTransform fitted = LogTransform.create().fit(Arrays.copyOf(y, 3));
    assertThrows(IllegalArgumentException.class, () -> fitted.apply(y));
  }

  @Test
  void boundsStayOrderedThroughEveryTransform() {
    Random r = new Random(11);
    double[] history = TransformRoundTripTest.positive(60, 12);
    FittedTransform[] transforms = {
      LogTransform.create(),
      BoxCox.of(0.5),
      BoxCox.of(-0.5),
      Difference.lag(1),
      Difference.lag(12),
      TransformChain.of(BoxCox.guerrero(12), Difference.lag(12), Difference.lag(1)).fit(history)
    };
    for (FittedTransform f : transforms) {
      for (int trial = 0; trial < 50; trial++) {
        double[] lower = new double[18];
        double[] upper = new double[18];
        for (int k = 0; k < lower.length; k++) {
          lower[k] = r.nextGaussian() * 2;
          upper[k] = lower[k] + Math.abs(r.nextGaussian());
        }
        Bounds back = f.inverse(new Bounds(lower, upper), history);
        for (int k = 0; k < lower.length; k++) {
          assertTrue(
              back.lower()[k] <= back.upper()[k],
              f.describe() + " step " + (k + 1) + ": " + back.lower()[k] + " > " + back.upper()[k]);
        }
      }
    }
  }

  @Test
  void monotoneBoundsAreEachBoundInverted() {
    Bounds back =
        LogTransform.create().inverse(new Bounds(new double[] {0}, new double[] {1}), null);
    assertEquals(1, back.lower()[0], 0);
    assertEquals(Math.E, back.upper()[0], 1e-15);
    // lambda 0.5: (0.5 z + 1)^2; z = -3 is below the range (-2 and up), so its bound is 0.
    Bounds boxCox = BoxCox.of(0.5).inverse(new Bounds(new double[] {-3}, new double[] {2}), null);
    assertEquals(0, boxCox.lower()[0], 0);
    assertEquals(4, boxCox.upper()[0], 1e-15);
  }

  @Test
  void differencedBoundsAreIntegratedAsPaths() {
    double[] history = {10, 20};
    Bounds back =
        Difference.lag(1).inverse(new Bounds(new double[] {-1, -2}, new double[] {1, 3}), history);
    assertEquals(19, back.lower()[0], 0);
    assertEquals(17, back.lower()[1], 0);
    assertEquals(21, back.upper()[0], 0);
    assertEquals(24, back.upper()[1], 0);
  }

  @Test
  void boundsRefuseALowerAboveItsUpper() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Bounds(new double[] {0, 2}, new double[] {1, 1}));
    assertTrue(e.getMessage().contains("step 2"), e.getMessage());
  }
}
