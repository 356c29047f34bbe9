package dev.timestep.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.FiniteDifferences;
import dev.timestep.testing.Float64OpTest;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every differentiable op in {@link Ops} against central finite differences, in double precision on
 * {@link ReferenceBackend#float64()} so the check is not swamped by float32 rounding.
 *
 * <p>Method: the scalar loss is {@code mse(op output, fixed random target)} (or the op's own
 * scalar). The analytic gradient comes from one {@link Tape#backward}; each numeric one is {@code
 * (L(x + eps) - L(x - eps)) / (2 eps)} with {@code eps = 1e-6}, re-running the forward on a fresh
 * tape. They must agree within {@code |analytic - numeric| <= 1e-6 * max(|analytic|, |numeric|) +
 * 1e-9}: central differences in double are accurate to ~1e-9 here, so this is tight enough to catch
 * a missing factor, a wrong index or a dropped accumulation.
 */
class GradientCheckTest extends Float64OpTest {

  GradientCheckTest() {
    super(20240607L);
  }

  // ---- building inputs ----------------------------------------------------------------

  /** A float64 tensor with uniform values in [lo, hi). */
  private Tensor tensor(double lo, double hi, int... dims) {
    return t64.random(lo, hi, dims);
  }

  /** A parameter (needs a gradient) with values in [-1, 1). */
  private Parameter param(String name, int... dims) {
    return t64.param(name, -1, 1, dims);
  }

  /** A parameter whose values keep at least 0.1 away from 0 (relu's kink). */
  private Parameter awayFromZero(String name, int... dims) {
    Parameter p = param(name, dims);
    for (long i = 0; i < p.value().size(); i++) {
      double magnitude = 0.1 + 0.9 * random.nextDouble();
      f64.set(p.value(), i, random.nextBoolean() ? magnitude : -magnitude);
    }
    return p;
  }

  /** Wraps an op into a scalar loss: mse against a fixed random target of the op's shape. */
  private Function<Tape, Variable> viaMse(Function<Tape, Variable> op) {
    Tensor[] target = new Tensor[1];
    return tape -> {
      Variable out = op.apply(tape);
      if (target[0] == null) {
        target[0] = tensor(-1, 1, out.shape().dims());
      }
      return Ops.mse(tape, out, tape.constant(target[0]));
    };
  }

  // ---- the check ----------------------------------------------------------------------

  // ---- one test per op ----------------------------------------------------------------

  @Test
  void matmul2d() {
    Parameter x = param("x", 3, 5);
    Parameter w = param("w", 5, 4);
    FiniteDifferences.check("matmul 2-D", viaMse(t -> Ops.matmul(t, x, w)), x, w);
  }

  @Test
  void matmul3dAppliesTheWeightsAtEveryStep() {
    Parameter x = param("x", 2, 3, 4);
    Parameter w = param("w", 4, 5);
    FiniteDifferences.check(
        "matmul 3-D",
        viaMse(
            t -> {
              Variable y = Ops.matmul(t, x, w);
              assertEquals(Shape.of(2, 3, 5), y.shape());
              return y;
            }),
        x,
        w);
  }

  @Test
  void addBias2dAnd3d() {
    Parameter x = param("x", 3, 5);
    Parameter b = param("b", 5);
    FiniteDifferences.check("addBias 2-D", viaMse(t -> Ops.addBias(t, x, b)), x, b);
    Parameter x3 = param("x3", 2, 3, 4);
    Parameter b3 = param("b3", 4);
    FiniteDifferences.check("addBias 3-D", viaMse(t -> Ops.addBias(t, x3, b3)), x3, b3);
  }

  @Test
  void add() {
    Parameter a = param("a", 3, 5);
    Parameter b = param("b", 3, 5);
    FiniteDifferences.check("add", viaMse(t -> Ops.add(t, a, b)), a, b);
  }

  @Test
  void mul() {
    Parameter a = param("a", 3, 5);
    Parameter b = param("b", 3, 5);
    FiniteDifferences.check("mul", viaMse(t -> Ops.mul(t, a, b)), a, b);
  }

  @Test
  void mulOfAVariableWithItself() {
    Parameter x = param("x", 3, 5);
    FiniteDifferences.check("mul(x, x)", viaMse(t -> Ops.mul(t, x, x)), x);
  }

  @Test
  void tanh() {
    Parameter x = param("x", 3, 5);
    FiniteDifferences.check("tanh", viaMse(t -> Ops.tanh(t, x)), x);
  }

  @Test
  void sigmoid() {
    Parameter x = param("x", 3, 5);
    FiniteDifferences.check("sigmoid", viaMse(t -> Ops.sigmoid(t, x)), x);
  }

  @Test
  void reluAwayFromTheKink() {
    Parameter x = awayFromZero("x", 3, 5);
    FiniteDifferences.check("relu", viaMse(t -> Ops.relu(t, x)), x);
  }

  @Test
  void reshape() {
    Parameter x = param("x", 3, 5);
    // The tanh after the reshape makes the gradient depend on position, so a misplaced view shows.
    FiniteDifferences.check(
        "reshape", viaMse(t -> Ops.tanh(t, Ops.reshape(t, x, Shape.of(5, 3)))), x);
  }

  @Test
  void flatten() {
    Parameter x = param("x", 2, 3, 4);
    FiniteDifferences.check(
        "flatten",
        viaMse(
            t -> {
              Variable y = Ops.flatten(t, x);
              assertEquals(Shape.of(2, 12), y.shape());
              return Ops.sigmoid(t, y);
            }),
        x);
  }

  @Test
  void lastStep() {
    Parameter x = param("x", 2, 3, 4);
    FiniteDifferences.check("lastStep", viaMse(t -> Ops.lastStep(t, x)), x);
  }

  @Test
  void mseWithRespectToPredictionAndTarget() {
    Parameter pred = param("pred", 3, 5);
    Parameter target = param("target", 3, 5);
    FiniteDifferences.check("mse", t -> Ops.mse(t, pred, target), pred, target);
    // And as an inner op, so the upstream gradient is not 1.
    FiniteDifferences.check(
        "mse (inner)", viaMse(t -> Ops.mse(t, Ops.tanh(t, pred), target)), pred, target);
  }

  @Test
  void aSmallSequenceModelEndToEnd() {
    // lastStep ∘ (tanh(x·w + b)) with a gated branch, combining every op kind on one tape.
    Parameter x = param("x", 2, 3, 4);
    Parameter w = param("w", 4, 5);
    Parameter b = param("b", 5);
    Parameter g = param("g", 2, 5);
    FiniteDifferences.check(
        "model",
        viaMse(
            t -> {
              Variable h = Ops.tanh(t, Ops.addBias(t, Ops.matmul(t, x, w), b));
              Variable last = Ops.lastStep(t, h);
              return Ops.add(t, Ops.mul(t, Ops.sigmoid(t, g), last), last);
            }),
        x,
        w,
        b,
        g);
  }

  // ---- tape behaviour -----------------------------------------------------------------

  @Test
  void gradientsOfAVariableUsedTwiceAccumulate() {
    Parameter x = param("x", 3, 5);
    Parameter y = param("y", 3, 5);
    // x reaches the loss through two paths; its gradient is the sum of both.
    FiniteDifferences.check(
        "x used twice", viaMse(t -> Ops.add(t, Ops.tanh(t, x), Ops.mul(t, x, y))), x, y);
    FiniteDifferences.check("add(x, x)", viaMse(t -> Ops.add(t, x, x)), x);

    // Parameter gradients also accumulate across backward passes until zeroed.
    Function<Tape, Variable> loss = viaMse(t -> Ops.sigmoid(t, x));
    f64.fill(x.grad(), 0f);
    try (Tape tape = new Tape(f64)) {
      tape.backward(loss.apply(tape));
    }
    double[] once = new double[(int) x.grad().size()];
    for (int i = 0; i < once.length; i++) {
      once[i] = f64.get(x.grad(), i);
    }
    try (Tape tape = new Tape(f64)) {
      tape.backward(loss.apply(tape));
    }
    for (int i = 0; i < once.length; i++) {
      assertEquals(2 * once[i], f64.get(x.grad(), i), 1e-15, "second backward should add, at " + i);
    }
    assertTrue(once[0] != 0, "the gradient should not be trivially zero");
  }

  @Test
  void backwardRequiresAScalarLoss() {
    Parameter x = param("x", 3, 5);
    try (Tape tape = new Tape(f64)) {
      Variable y = Ops.tanh(tape, x);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> tape.backward(y));
      assertTrue(
          e.getMessage().contains("scalar") && e.getMessage().contains("[3, 5]"), e.getMessage());
    }
  }

  @Test
  void backwardRefusesWhatItCannotDifferentiate() {
    Tensor constant = tensor(-1, 1, 2, 2);
    try (Tape tape = new Tape(f64)) {
      Variable c = tape.constant(constant);
      Variable loss = Ops.mse(tape, c, c);
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> tape.backward(loss));
      assertTrue(e.getMessage().contains("does not depend"), e.getMessage());
    }
    Parameter x = param("x", 2, 2);
    try (Tape forwardOnly = new Tape(f64, false)) {
      Variable loss = Ops.mse(forwardOnly, x, forwardOnly.constant(constant));
      assertEquals(0, forwardOnly.recordedSteps(), "a non-recording tape keeps no backward steps");
      assertThrows(IllegalStateException.class, () -> forwardOnly.backward(loss));
    }
  }

  @Test
  void anUnusedBranchDoesNotBreakBackward() {
    Parameter x = param("x", 3, 5);
    Variable[] unused = new Variable[1];
    // checkGradients runs the backward tape first, so the first branch captured is the one
    // that went through backward.
    FiniteDifferences.check(
        "with an unused branch",
        viaMse(
            t -> {
              Variable branch = Ops.tanh(t, Ops.mul(t, x, x)); // computed, never reaches the loss
              if (unused[0] == null) {
                unused[0] = branch;
              }
              return Ops.sigmoid(t, x);
            }),
        x);
    assertNull(unused[0].grad(), "an output that never reached the loss gets no gradient");
  }

  @Test
  void constantsGetNoGradient() {
    Variable[] data = new Variable[1];
    Parameter w = param("w", 5, 4);
    Tensor xs = tensor(-1, 1, 3, 5);
    FiniteDifferences.check(
        "matmul with constant input",
        viaMse(
            t -> {
              Variable constant = t.constant(xs);
              if (data[0] == null) {
                data[0] = constant; // the one that went through backward (see above)
              }
              return Ops.matmul(t, constant, w);
            }),
        w);
    assertNull(data[0].grad(), "a constant input should never get a gradient tensor");
  }
}
