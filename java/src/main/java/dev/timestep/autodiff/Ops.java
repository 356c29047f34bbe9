package dev.timestep.autodiff;

import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;

/**
 * The differentiable operations. Each runs its forward on the tape's backend right away and
 * records a backward step that accumulates into its inputs' gradients. These are the
 * fine-grained ops: models and user-written cells are built from them.
 */
public final class Ops {
  private Ops() {}

  /** x[..., k] · w[k, n] for 2-D x; rank-3 x is multiplied at every time step. */
  public static Variable matmul(Tape tape, Variable x, Variable w) {
    if (x.shape().rank() == 3) {
      Variable flat = reshape(tape, x, Shape.of(x.shape().dim(0) * x.shape().dim(1), x.shape().dim(2)));
      Variable y = matmul(tape, flat, w);
      return reshape(tape, y, Shape.of(x.shape().dim(0), x.shape().dim(1), w.shape().dim(1)));
    }
    requireRank("matmul x", x, 2);
    requireRank("matmul w", w, 2);
    if (x.shape().dim(1) != w.shape().dim(0)) {
      throw new IllegalArgumentException("matmul: input " + x.shape() + " does not match weights " + w.shape()
          + " (inner dimensions " + x.shape().dim(1) + " vs " + w.shape().dim(0) + ")");
    }
    Backend b = tape.backend();
    Variable y = tape.result(Shape.of(x.shape().dim(0), w.shape().dim(1)), x, w);
    b.matmul(x.value(), false, w.value(), false, y.value(), false);
    tape.onBackward(y, () -> {
      if (x.requiresGrad()) {
        b.matmul(y.grad(), false, w.value(), true, tape.gradOf(x), true);
      }
      if (w.requiresGrad()) {
        b.matmul(x.value(), true, y.grad(), false, tape.gradOf(w), true);
      }
    });
    return y;
  }

  /** x + bias, the bias broadcast over every leading axis. */
  public static Variable addBias(Tape tape, Variable x, Variable bias) {
    Backend b = tape.backend();
    Variable y = tape.result(x.shape(), x, bias);
    b.addBias(x.value(), bias.value(), y.value());
    tape.onBackward(y, () -> {
      if (x.requiresGrad()) {
        b.accumulate(y.grad(), tape.gradOf(x));
      }
      if (bias.requiresGrad()) {
        b.biasGrad(y.grad(), tape.gradOf(bias));
      }
    });
    return y;
  }

  /** Elementwise a + b (same shapes). */
  public static Variable add(Tape tape, Variable a, Variable b) {
    requireSameShape("add", a, b);
    Backend be = tape.backend();
    Variable y = tape.result(a.shape(), a, b);
    be.add(a.value(), b.value(), y.value());
    tape.onBackward(y, () -> {
      if (a.requiresGrad()) {
        be.accumulate(y.grad(), tape.gradOf(a));
      }
      if (b.requiresGrad()) {
        be.accumulate(y.grad(), tape.gradOf(b));
      }
    });
    return y;
  }

  /** Elementwise a * b (same shapes). */
  public static Variable mul(Tape tape, Variable a, Variable b) {
    requireSameShape("mul", a, b);
    Backend be = tape.backend();
    Variable y = tape.result(a.shape(), a, b);
    be.mul(a.value(), b.value(), y.value());
    tape.onBackward(y, () -> {
      if (a.requiresGrad()) {
        be.mulGrad(y.grad(), b.value(), tape.gradOf(a));
      }
      if (b.requiresGrad()) {
        be.mulGrad(y.grad(), a.value(), tape.gradOf(b));
      }
    });
    return y;
  }

  public static Variable tanh(Tape tape, Variable x) {
    return activation(tape, Activation.TANH, x);
  }

  public static Variable sigmoid(Tape tape, Variable x) {
    return activation(tape, Activation.SIGMOID, x);
  }

  public static Variable relu(Tape tape, Variable x) {
    return activation(tape, Activation.RELU, x);
  }

  /** y = f(x); the linear activation returns x itself. */
  public static Variable activation(Tape tape, Activation kind, Variable x) {
    if (kind == Activation.LINEAR) {
      return x;
    }
    Backend b = tape.backend();
    Variable y = tape.result(x.shape(), x);
    b.activation(kind, x.value(), y.value());
    tape.onBackward(y, () -> b.activationGrad(kind, y.value(), y.grad(), tape.gradOf(x)));
    return y;
  }

  /**
   * The same values with another shape. No copy: the result's value and gradient are views of
   * the input's, so gradients flow back without a backward step.
   */
  public static Variable reshape(Tape tape, Variable x, Shape shape) {
    if (shape.size() != x.shape().size()) {
      throw new IllegalArgumentException("reshape: cannot view " + x.shape() + " as " + shape);
    }
    Tensor gradView = x.requiresGrad() && tape.isRecording() ? tape.gradOf(x).reshape(shape) : null;
    return tape.view(x.value().reshape(shape), gradView, x.requiresGrad() && tape.isRecording());
  }

  /** [batch, d1, d2, ...] → [batch, d1·d2·...]. */
  public static Variable flatten(Tape tape, Variable x) {
    int batch = x.shape().dim(0);
    return reshape(tape, x, Shape.of(batch, Math.toIntExact(x.shape().rowSize())));
  }

  /** x[:, -1, :] of a [batch, time, features] input. */
  public static Variable lastStep(Tape tape, Variable x) {
    requireRank("lastStep", x, 3);
    Backend b = tape.backend();
    Variable y = tape.result(Shape.of(x.shape().dim(0), x.shape().dim(2)), x);
    b.lastStep(x.value(), y.value());
    tape.onBackward(y, () -> b.lastStepGrad(y.grad(), tape.gradOf(x)));
    return y;
  }

  /** mean((pred - target)^2) as a one-element variable. */
  public static Variable mse(Tape tape, Variable pred, Variable target) {
    requireSameShape("mse", pred, target);
    Backend b = tape.backend();
    Variable loss = tape.result(Shape.of(1), pred, target);
    b.mse(pred.value(), target.value(), loss.value());
    tape.onBackward(loss, () -> {
      if (pred.requiresGrad()) {
        b.mseGrad(pred.value(), target.value(), loss.grad(), tape.gradOf(pred));
      }
      if (target.requiresGrad()) {
        // d/dtarget = -d/dpred: swap the roles of prediction and target.
        b.mseGrad(target.value(), pred.value(), loss.grad(), tape.gradOf(target));
      }
    });
    return loss;
  }

  private static void requireRank(String what, Variable v, int rank) {
    if (v.shape().rank() != rank) {
      throw new IllegalArgumentException(what + ": expected rank " + rank + " but got " + v.shape());
    }
  }

  private static void requireSameShape(String op, Variable a, Variable b) {
    if (!a.shape().equals(b.shape())) {
      throw new IllegalArgumentException(op + ": shapes differ, " + a.shape() + " vs " + b.shape());
    }
  }
}
