package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.conformance.Tolerance;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.FiniteDifferences;
import dev.timestep.testing.Float64OpTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The elementwise-loss op ({@link Backend#elementwiseLoss}, {@link Backend#elementwiseLossGrad},
 * {@link Ops#elementwiseLoss}): every kind against hand-computed values, its backward in prediction
 * and target against finite differences in double, every native backend against the float32
 * reference on random odd sizes (cuda SKIPPED without a device), and the checks' refusals.
 */
class ElementwiseLossOpTest extends Float64OpTest {
  ElementwiseLossOpTest() {
    super(0x1055L);
  }

  /** The loss in double on the float64 reference. */
  private double loss(ElementwiseLoss kind, float[] params, double[] pred, double[] target) {
    int k = params.length;
    Tensor p = t64.of(pred, target.length, k);
    Tensor y = t64.of(target, target.length, 1);
    try (Tape tape = new Tape(f64, false)) {
      return f64.get(
          Ops.elementwiseLoss(tape, kind, params, tape.constant(p), tape.constant(y)).value(), 0);
    }
  }

  @Test
  void everyKindMatchesHandComputedValues() {
    // Keras' documented examples: y_true [[0, 1], [0, 0]], y_pred [[0.6, 0.4], [0.4, 0.6]].
    double[] p = {0.6, 0.4, 0.4, 0.6};
    double[] y = {0, 1, 0, 0};
    float[] none = {0f};
    assertEquals(0.55, loss(ElementwiseLoss.ABSOLUTE, none, p, y), 1e-12);
    assertEquals(0.155, loss(ElementwiseLoss.HUBER, new float[] {1f}, p, y), 1e-12);
    // Beyond delta: errors 0.5, -2, 2.5, 0 with delta 1 cost 0.125, 1.5, 2, 0.
    double[] p2 = {0.5, -1, 3, 2};
    double[] y2 = {0, 1, 0.5, 2};
    assertEquals(3.625 / 4, loss(ElementwiseLoss.HUBER, new float[] {1f}, p2, y2), 1e-12);
    double logCosh =
        (Math.log(Math.cosh(0.5)) + Math.log(Math.cosh(2)) + Math.log(Math.cosh(2.5))) / 4;
    assertEquals(logCosh, loss(ElementwiseLoss.LOG_COSH, none, p2, y2), 1e-12);
    // Pinball, quantile 0.2: over by 1 costs 0.8, under by 1 costs 0.2.
    float[] q = {0.2f};
    assertEquals(0.8, loss(ElementwiseLoss.PINBALL, q, new double[] {2}, new double[] {1}), 1e-7);
    assertEquals(0.2, loss(ElementwiseLoss.PINBALL, q, new double[] {0}, new double[] {1}), 1e-7);
    // Three quantiles of one target: 0.1 under by 1, 0.5 exact, 0.9 over by 2: (0.1 + 0 + 0.2) / 3.
    assertEquals(
        0.1,
        loss(
            ElementwiseLoss.PINBALL,
            new float[] {0.1f, 0.5f, 0.9f},
            new double[] {0, 1, 3},
            new double[] {1}),
        1e-7);
    // MAPE: 100 * mean(|d| / max(|y|, eps)): 50% and 0%, and Keras' example with a zero target,
    // y_true [[0, 1], [0, 0]], y_pred [[1, 1], [0, 0]]: 2.5e8.
    float[] eps = {1e-7f};
    assertEquals(
        25,
        loss(ElementwiseLoss.ABSOLUTE_PERCENTAGE, eps, new double[] {1, -4}, new double[] {2, -4}),
        1e-9);
    assertEquals(
        2.5e8,
        loss(ElementwiseLoss.ABSOLUTE_PERCENTAGE, eps, new double[] {1, 1, 0, 0}, y),
        2.5e8 * 1e-7);
  }

  private static final double[] LOG_COSH_ERRORS = {1e-6, 1e-3, 0.9999, 1, 30, 100, 1e4, 3e38};

  /** log(cosh(d)) for d >= 0 from its series near 0 (where the log of cosh loses digits). */
  private static double logCoshWanted(double d) {
    if (d < 1e-2) {
      return d * d / 2 - d * d * d * d / 12;
    }
    return d < 20 ? Math.log(Math.cosh(d)) : d - Math.log(2);
  }

  @Test
  void logCoshIsFiniteAndAccurateAtEveryScale() {
    for (double d : LOG_COSH_ERRORS) {
      double want = logCoshWanted(d);
      double got =
          loss(ElementwiseLoss.LOG_COSH, new float[] {0f}, new double[] {d}, new double[] {0});
      assertEquals(want, got, 1e-12 * want, "log cosh " + d);
    }
  }

  /** The float32 kernels: no overflow where cosh itself would (|d| > 89 in float), no 0 near 0. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backendNames")
  void logCoshKernelsAreFiniteAndAccurateAtEveryScale(String name) {
    Backend b = SumOpTest.backend(name);
    for (double d : LOG_COSH_ERRORS) {
      float got =
          forward(
              b, ElementwiseLoss.LOG_COSH, new float[] {0f}, new float[] {(float) d}, new float[1]);
      double want = logCoshWanted((float) d);
      assertTrue(Float.isFinite(got), name + " log cosh " + d);
      assertEquals(want, got, 4e-7 * want, name + " log cosh " + d);
    }
  }

  static Stream<String> backendNames() {
    return SumOpTest.backends();
  }

  @Test
  void quantileOneHalfIsHalfTheAbsoluteError() {
    double[] p = t64.values(t64.random(-2, 2, 37));
    double[] y = t64.values(t64.random(-2, 2, 37));
    assertEquals(
        loss(ElementwiseLoss.ABSOLUTE, new float[] {0f}, p, y) / 2,
        loss(ElementwiseLoss.PINBALL, new float[] {0.5f}, p, y),
        1e-12);
  }

  static Object[][] kinds() {
    return new Object[][] {
      {ElementwiseLoss.ABSOLUTE, new float[] {0f}},
      {ElementwiseLoss.HUBER, new float[] {0.7f}},
      {ElementwiseLoss.LOG_COSH, new float[] {0f}},
      {ElementwiseLoss.PINBALL, new float[] {0.3f}},
      {ElementwiseLoss.PINBALL, new float[] {0.1f, 0.5f, 0.9f}},
      {ElementwiseLoss.ABSOLUTE_PERCENTAGE, new float[] {1e-7f}},
    };
  }

  @ParameterizedTest(name = "{0} k={1}")
  @MethodSource("kinds")
  void backwardMatchesFiniteDifferencesInPredictionAndTarget(ElementwiseLoss kind, float[] params) {
    int k = params.length;
    Parameter pred = t64.param("pred", -2, 2, 3, 5 * k);
    // Targets away from zero, so MAPE's floor at 1e-7 (a kink) is not crossed by the nudges.
    Parameter target = t64.param("target", 0.5, 2, 3, 5);
    FiniteDifferences.check(
        kind.toString(), t -> Ops.elementwiseLoss(t, kind, params, pred, target), pred, target);
    // Through another op: the upstream gradient is not 1.
    FiniteDifferences.check(
        kind + " (inner)",
        t -> {
          Variable l = Ops.elementwiseLoss(t, kind, params, Ops.tanh(t, pred), target);
          return Ops.mul(t, l, l);
        },
        pred,
        target);
  }

  static Stream<Arguments> backendsAndKinds() {
    return SumOpTest.backends()
        .flatMap(name -> Stream.of(kinds()).map(kind -> Arguments.of(name, kind[0], kind[1])));
  }

  @ParameterizedTest(name = "{0} {1} k={2}")
  @MethodSource("backendsAndKinds")
  void backendsMatchTheReferenceOnOddSizes(String name, ElementwiseLoss kind, float[] params) {
    Backend b = SumOpTest.backend(name);
    int k = params.length;
    ReferenceBackend ref = ReferenceBackend.float32();
    for (int[] dims : new int[][] {{1, 1}, {3, 1}, {7, 17}, {33, 3}, {4099, 5}}) {
      int n = dims[0] * dims[1];
      float[] p = uniform(n * k, -3, 3);
      float[] y = uniform(n, -3, 3);
      Shape ps = Shape.of(dims[0], dims[1] * k);
      Shape ys = Shape.of(dims);
      String what = name + " " + kind + " " + ys + " k=" + k;
      assertClose(
          what,
          new float[] {forward(ref, kind, params, p, y, ps, ys)},
          new float[] {forward(b, kind, params, p, y, ps, ys)});
      float[] dloss = {0.5f + (float) random.nextDouble()};
      float[] dp0 = uniform(n * k, -1, 1);
      float[] dy0 = uniform(n, -1, 1);
      float[][] want = backward(ref, kind, params, p, y, ps, ys, dloss, dp0, dy0);
      float[][] got = backward(b, kind, params, p, y, ps, ys, dloss, dp0, dy0);
      assertClose(what + " dpred", want[0], got[0]);
      assertClose(what + " dtarget", want[1], got[1]);
    }
  }

  private float forward(Backend b, ElementwiseLoss kind, float[] params, float[] p, float[] y) {
    return forward(b, kind, params, p, y, Shape.of(p.length), Shape.of(y.length));
  }

  private float forward(
      Backend b, ElementwiseLoss kind, float[] params, float[] p, float[] y, Shape ps, Shape ys) {
    Tensor loss = b.upload(NDArray.of(new float[] {12345f}, 1), scope); // overwritten
    b.elementwiseLoss(
        kind,
        params,
        b.upload(new NDArray(ps, p), scope),
        b.upload(new NDArray(ys, y), scope),
        loss);
    return b.readScalar(loss);
  }

  /** {dpred, dtarget} after accumulating into the given starting values. */
  private float[][] backward(
      Backend b,
      ElementwiseLoss kind,
      float[] params,
      float[] p,
      float[] y,
      Shape ps,
      Shape ys,
      float[] dloss,
      float[] dp0,
      float[] dy0) {
    Tensor dp = b.upload(new NDArray(ps, dp0), scope);
    Tensor dy = b.upload(new NDArray(ys, dy0), scope);
    b.elementwiseLossGrad(
        kind,
        params,
        b.upload(new NDArray(ps, p), scope),
        b.upload(new NDArray(ys, y), scope),
        b.upload(NDArray.of(dloss, 1), scope),
        dp,
        dy);
    return new float[][] {b.download(dp).data(), b.download(dy).data()};
  }

  private float[] uniform(int n, double lo, double hi) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (lo + (hi - lo) * random.nextDouble());
    }
    return v;
  }

  private static void assertClose(String what, float[] want, float[] got) {
    Tolerance tol = Tolerance.forOp("elementwiseLoss");
    for (int i = 0; i < want.length; i++) {
      int at = i;
      assertTrue(
          Math.abs(got[i] - want[i]) <= tol.allowed(want[i]),
          () -> what + " at " + at + ": expected " + want[at] + ", got " + got[at]);
    }
  }

  @Test
  void refusesBadParametersShapesAndOutputs() {
    Backend b = ReferenceBackend.float32();
    Tensor p = b.allocate(Shape.of(4, 6), scope);
    Tensor y = b.allocate(Shape.of(4, 2), scope);
    Tensor y3 = b.allocate(Shape.of(4, 3), scope);
    Tensor loss = b.allocate(Shape.of(1), scope);
    float[] three = {0.1f, 0.5f, 0.9f};
    b.elementwiseLoss(ElementwiseLoss.PINBALL, three, p, y, loss); // the layout: 2 x 3 per row
    assertThrows(
        IllegalArgumentException.class,
        () -> b.elementwiseLoss(ElementwiseLoss.PINBALL, three, p, y3, loss));
    assertThrows(
        IllegalArgumentException.class,
        () -> b.elementwiseLoss(ElementwiseLoss.PINBALL, new float[] {0.5f}, p, y, loss));
    for (float bad : new float[] {0f, 1f, -0.5f, Float.NaN}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> b.elementwiseLoss(ElementwiseLoss.PINBALL, new float[] {bad}, p, p, loss));
      assertTrue(e.getMessage().contains("quantile"), e.getMessage());
    }
    for (float bad : new float[] {0f, -1f, Float.POSITIVE_INFINITY}) {
      assertThrows(
          IllegalArgumentException.class,
          () -> b.elementwiseLoss(ElementwiseLoss.HUBER, new float[] {bad}, p, p, loss));
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> b.elementwiseLoss(ElementwiseLoss.ABSOLUTE, new float[0], p, p, loss));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            b.elementwiseLoss(
                ElementwiseLoss.ABSOLUTE,
                new float[ElementwiseLoss.MAX_PARAMETERS + 1],
                p,
                p,
                loss));
    assertThrows(
        IllegalArgumentException.class,
        () -> b.elementwiseLoss(ElementwiseLoss.ABSOLUTE, new float[] {0f}, p, p, p));
    assertThrows(
        IllegalArgumentException.class,
        () -> b.elementwiseLoss(null, new float[] {0f}, p, p, loss));
    Tensor empty = b.allocate(Shape.of(0, 2), scope);
    assertThrows(
        IllegalArgumentException.class,
        () -> b.elementwiseLoss(ElementwiseLoss.ABSOLUTE, new float[] {0f}, empty, empty, loss));
    Tensor dloss = b.allocate(Shape.of(1), scope);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            b.elementwiseLossGrad(
                ElementwiseLoss.ABSOLUTE, new float[] {0f}, p, p, dloss, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            b.elementwiseLossGrad(
                ElementwiseLoss.PINBALL, three, p, y, dloss, y, null)); // dpred of y's shape
    Tensor whole = b.allocate(Shape.of(8), scope);
    Tensor half = whole.view(0, Shape.of(4));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            b.elementwiseLossGrad(
                ElementwiseLoss.ABSOLUTE, new float[] {0f}, half, half, dloss, half, null));
  }
}
