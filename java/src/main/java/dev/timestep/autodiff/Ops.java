package dev.timestep.autodiff;

import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.backend.Conv1dSpec;
import dev.timestep.backend.ElementwiseLoss;
import dev.timestep.backend.RecurrentKind;
import dev.timestep.backend.RecurrentParams;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The differentiable operations. Each runs its forward on the tape's backend right away and records
 * a backward step that accumulates into its inputs' gradients. These are the fine-grained ops:
 * models and user-written cells are built from them.
 */
public final class Ops {
  private Ops() {}

  /** x[..., k] · w[k, n] for 2-D x; rank-3 x is multiplied at every time step. */
  public static Variable matmul(Tape tape, Variable x, Variable w) {
    if (x.shape().rank() == 3) {
      Variable flat =
          reshape(tape, x, Shape.of(x.shape().dim(0) * x.shape().dim(1), x.shape().dim(2)));
      Variable y = matmul(tape, flat, w);
      return reshape(tape, y, Shape.of(x.shape().dim(0), x.shape().dim(1), w.shape().dim(1)));
    }
    requireRank("matmul x", x, 2);
    requireRank("matmul w", w, 2);
    if (x.shape().dim(1) != w.shape().dim(0)) {
      throw new IllegalArgumentException(
          "matmul: input "
              + x.shape()
              + " does not match weights "
              + w.shape()
              + " (inner dimensions "
              + x.shape().dim(1)
              + " vs "
              + w.shape().dim(0)
              + ")");
    }
    Backend b = tape.backend();
    Variable y = tape.result(Shape.of(x.shape().dim(0), w.shape().dim(1)), x, w);
    b.matmul(x.value(), false, w.value(), false, y.value(), false);
    tape.onBackward(
        y,
        () -> {
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
    tape.onBackward(
        y,
        () -> {
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
    tape.onBackward(
        y,
        () -> {
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
    tape.onBackward(
        y,
        () -> {
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
   * The same values with another shape. No copy: the result's value and gradient are views of the
   * input's, so gradients flow back without a backward step.
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
    return timeStep(tape, x, x.shape().dim(1) - 1);
  }

  /** x[:, step, :] of a [batch, time, features] input. */
  public static Variable timeStep(Tape tape, Variable x, int step) {
    requireRank("timeStep", x, 3);
    Backend b = tape.backend();
    Variable y = tape.result(Shape.of(x.shape().dim(0), x.shape().dim(2)), x);
    b.timeStep(x.value(), step, y.value());
    tape.onBackward(y, () -> b.timeStepGrad(y.grad(), step, tape.gradOf(x)));
    return y;
  }

  /** Stacks T variables of shape [batch, features] into [batch, T, features]. */
  public static Variable stackSteps(Tape tape, java.util.List<Variable> steps) {
    if (steps == null || steps.isEmpty()) {
      throw new IllegalArgumentException("stackSteps: at least one step is required");
    }
    Shape first = steps.get(0).shape();
    for (Variable v : steps) {
      if (!v.shape().equals(first) || first.rank() != 2) {
        throw new IllegalArgumentException(
            "stackSteps: every step must be [batch, features] like "
                + first
                + ", got "
                + v.shape());
      }
    }
    Backend b = tape.backend();
    Variable[] inputs = steps.toArray(new Variable[0]);
    Variable y = tape.result(Shape.of(first.dim(0), steps.size(), first.dim(1)), inputs);
    for (int t = 0; t < steps.size(); t++) {
      b.timeStepGrad(steps.get(t).value(), t, y.value()); // adds into zeros: a copy into step t
    }
    tape.onBackward(
        y,
        () -> {
          Tensor slice = tape.allocate(first);
          for (int t = 0; t < steps.size(); t++) {
            Variable v = steps.get(t);
            if (v.requiresGrad()) {
              b.timeStep(y.grad(), t, slice);
              b.accumulate(slice, tape.gradOf(v));
            }
          }
        });
    return y;
  }

  /**
   * Joins variables along their last axis (Keras' {@code Concatenate(axis=-1)}): every part has the
   * same leading axes, and the result's last axis holds the first part's features, then the
   * second's, and so on. Built on {@link Backend#gatherRows} over single values, so every backend
   * runs it without a kernel of its own.
   */
  public static Variable concatLast(Tape tape, java.util.List<Variable> parts) {
    if (parts == null || parts.isEmpty()) {
      throw new IllegalArgumentException("concatLast: at least one part is required");
    }
    Shape first = parts.get(0).shape();
    int[] widths = new int[parts.size()];
    int total = 0;
    for (int p = 0; p < parts.size(); p++) {
      Shape s = parts.get(p).shape();
      if (s.rank() < 2 || s.rank() != first.rank() || !leading(s).equals(leading(first))) {
        throw new IllegalArgumentException(
            "concatLast: every part must have the leading axes of the first, "
                + first
                + ", and rank >= 2; part "
                + (p + 1)
                + " is "
                + s);
      }
      widths[p] = s.dim(-1);
      total = Math.addExact(total, widths[p]);
    }
    Backend b = tape.backend();
    Variable[] inputs = parts.toArray(new Variable[0]);
    Variable y = tape.resultForOverwrite(first.withLast(total), inputs);
    int values = Math.toIntExact(y.shape().size());
    if (values == 0) {
      return y;
    }
    // The parts laid end to end in one column, and where each of y's values comes from in it.
    Tensor column = tape.allocateForOverwrite(Shape.of(values, 1));
    int[] source = new int[values];
    int rows = Math.toIntExact(values / total);
    int base = 0;
    int offset = 0;
    for (int p = 0; p < parts.size(); p++) {
      int n = rows * widths[p];
      if (n > 0) {
        b.copy(parts.get(p).value(), column.view(base, Shape.of(n, 1)));
      }
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < widths[p]; j++) {
          source[r * total + offset + j] = base + r * widths[p] + j;
        }
      }
      base += n;
      offset += widths[p];
    }
    b.gatherRows(column, source, 0, y.value().reshape(Shape.of(values, 1)));
    tape.onBackward(
        y,
        () -> {
          int[] back = new int[values];
          for (int i = 0; i < values; i++) {
            back[source[i]] = i;
          }
          Tensor dColumn = tape.allocateForOverwrite(Shape.of(values, 1));
          b.gatherRows(y.grad().reshape(Shape.of(values, 1)), back, 0, dColumn);
          int from = 0;
          for (Variable part : parts) {
            int n = Math.toIntExact(part.shape().size());
            if (part.requiresGrad() && n > 0) {
              b.accumulate(
                  dColumn.view(from, Shape.of(n, 1)), tape.gradOf(part).reshape(Shape.of(n, 1)));
            }
            from += n;
          }
        });
    return y;
  }

  /**
   * x [batch, time, features] with its time axis reversed (step t holds input step T-1-t), as
   * Keras' {@code go_backwards} sees a sequence. A gather of rows; its backward is the same gather.
   */
  public static Variable reverseTime(Tape tape, Variable x) {
    requireRank("reverseTime", x, 3);
    Shape s = x.shape();
    int batch = s.dim(0);
    int steps = s.dim(1);
    Backend b = tape.backend();
    Variable y = tape.resultForOverwrite(s, x);
    if (s.size() == 0) {
      return y;
    }
    int[] order = new int[batch * steps];
    for (int i = 0; i < batch; i++) {
      for (int t = 0; t < steps; t++) {
        order[i * steps + t] = i * steps + steps - 1 - t;
      }
    }
    Shape rows = Shape.of(batch * steps, s.dim(2));
    b.gatherRows(x.value().reshape(rows), order, 0, y.value().reshape(rows));
    tape.onBackward(
        y,
        () -> {
          if (x.requiresGrad()) {
            Tensor dx = tape.allocateForOverwrite(rows);
            b.gatherRows(y.grad().reshape(rows), order, 0, dx);
            b.accumulate(dx, tape.gradOf(x).reshape(rows));
          }
        });
    return y;
  }

  private static Shape leading(Shape s) {
    int[] dims = s.dims();
    return Shape.of(java.util.Arrays.copyOf(dims, dims.length - 1));
  }

  /** The sum of all of x's elements as a one-element variable. */
  public static Variable sum(Tape tape, Variable x) {
    Backend b = tape.backend();
    Variable total = tape.result(Shape.of(1), x);
    b.sum(x.value(), total.value());
    tape.onBackward(
        total,
        () -> {
          if (x.requiresGrad()) {
            b.sumGrad(total.grad(), tape.gradOf(x));
          }
        });
    return total;
  }

  /** mean((pred - target)^2) as a one-element variable. */
  public static Variable mse(Tape tape, Variable pred, Variable target) {
    requireSameShape("mse", pred, target);
    Backend b = tape.backend();
    Variable loss = tape.result(Shape.of(1), pred, target);
    b.mse(pred.value(), target.value(), loss.value());
    tape.onBackward(
        loss,
        () -> {
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

  /**
   * The mean of an elementwise loss ({@link Backend#elementwiseLoss}): {@code kind}'s loss of each
   * prediction against its target value with parameter params[i], where pred carries k =
   * params.length predictions per target value, adjacent along its last axis (k = 1: the shapes are
   * the same). Differentiable in both pred and target.
   */
  public static Variable elementwiseLoss(
      Tape tape, ElementwiseLoss kind, float[] params, Variable pred, Variable target) {
    Backend b = tape.backend();
    float[] fixed = params == null ? null : params.clone(); // the backward uses the same values
    Variable loss = tape.result(Shape.of(1), pred, target);
    b.elementwiseLoss(kind, fixed, pred.value(), target.value(), loss.value());
    tape.onBackward(
        loss,
        () ->
            b.elementwiseLossGrad(
                kind,
                fixed,
                pred.value(),
                target.value(),
                loss.grad(),
                pred.requiresGrad() ? tape.gradOf(pred) : null,
                target.requiresGrad() ? tape.gradOf(target) : null));
    return loss;
  }

  /**
   * Layer normalization over the last axis (per sample, per step): γ·(x - mean)/sqrt(var + ε) + β,
   * with Keras' ε = 1e-3.
   */
  public static Variable layerNorm(Tape tape, Variable x, Variable gamma, Variable beta) {
    Backend b = tape.backend();
    int n = x.shape().dim(-1);
    Tensor xhat = tape.allocate(x.shape());
    Tensor rstd =
        tape.allocate(Shape.of(Math.toIntExact(Math.max(1, x.shape().size() / Math.max(1, n)))));
    Variable y = tape.result(x.shape(), x, gamma, beta);
    b.layerNorm(x.value(), gamma.value(), beta.value(), y.value(), xhat, rstd);
    tape.onBackward(
        y,
        () -> {
          // dx is always computed by the kernel; a constant input gets a scratch gradient.
          Tensor dx = x.requiresGrad() ? tape.gradOf(x) : tape.allocate(x.shape());
          b.layerNormGrad(
              y.grad(), xhat, rstd, gamma.value(), dx, tape.gradOf(gamma), tape.gradOf(beta));
        });
    return y;
  }

  /**
   * Batch normalization in training mode over the last axis (Keras' BatchNormalization, axis=-1, ε
   * = 1e-3): per channel, the mean and biased variance over every other axis give γ·(x -
   * mean)/sqrt(var + ε) + β. The batch statistics are written into {@code batchMean} and {@code
   * batchVar} (both [C]) so the layer can update its moving averages; the gradient flows through
   * them (the usual training-mode backward).
   */
  public static Variable batchNorm(
      Tape tape, Variable x, Variable gamma, Variable beta, Tensor batchMean, Tensor batchVar) {
    Backend b = tape.backend();
    int channels = x.shape().dim(-1);
    Tensor xhat = tape.allocate(x.shape());
    Tensor rstd = tape.allocate(Shape.of(Math.max(1, channels)));
    Variable y = tape.result(x.shape(), x, gamma, beta);
    b.batchNorm(x.value(), gamma.value(), beta.value(), y.value(), xhat, batchMean, batchVar, rstd);
    tape.onBackward(
        y,
        () -> {
          // dx is always computed by the kernel; a constant input gets a scratch gradient.
          Tensor dx = x.requiresGrad() ? tape.gradOf(x) : tape.allocate(x.shape());
          b.batchNormGrad(
              y.grad(), xhat, rstd, gamma.value(), dx, tape.gradOf(gamma), tape.gradOf(beta));
        });
    return y;
  }

  /**
   * A 1-D convolution over the time axis, fused with its bias (may be null) and activation: x [B,
   * T, Cin] → [B, spec.outSteps(), Cout] with kernel [K, Cin, Cout].
   */
  public static Variable conv1d(
      Tape tape, Variable x, Variable kernel, Variable bias, Conv1dSpec spec) {
    requireRank("conv1d input", x, 3);
    Backend b = tape.backend();
    Variable[] inputs =
        bias == null ? new Variable[] {x, kernel} : new Variable[] {x, kernel, bias};
    Variable y =
        tape.resultForOverwrite(
            Shape.of(x.shape().dim(0), spec.outSteps(), kernel.shape().dim(2)), inputs);
    b.conv1d(x.value(), kernel.value(), bias == null ? null : bias.value(), spec, y.value());
    tape.onBackward(
        y,
        () ->
            b.conv1dGrad(
                x.value(),
                kernel.value(),
                y.value(),
                y.grad(),
                spec,
                x.requiresGrad() ? tape.gradOf(x) : null,
                tape.gradOf(kernel),
                bias == null ? null : tape.gradOf(bias)));
    return y;
  }

  /**
   * A whole recurrent layer over a sequence as one fused op: x [B, T, F] → the state after every
   * step [B, T, H], starting from zeros. Backward is one call too (BPTT, gradients summed over
   * every step). {@code cellWeights} is the kind's own array ({@link RecurrentParams#cellWeights}):
   * the GRU's recurrent bias [3H] or the LN cell's γβ [2H], null for SimpleRNN and LSTM.
   */
  public static Variable recurrent(
      Tape tape,
      RecurrentKind kind,
      Activation activation,
      Variable x,
      int units,
      Variable kernel,
      Variable recurrentKernel,
      Variable bias,
      Variable cellWeights) {
    return recurrentOp(
            tape,
            kind,
            activation,
            x,
            units,
            kernel,
            recurrentKernel,
            bias,
            cellWeights,
            null,
            false)
        .get(0);
  }

  /**
   * {@link #recurrent} from given initial states, returning the final states too: {@code
   * initialStates} is null or empty (zeros), or [h0] ([h0, c0] for the LSTM), each [B, H]. Returns
   * [sequence, h] ([sequence, h, c] for the LSTM): the sequence [B, T, H] and the final states [B,
   * H]. Gradients flow into the initial states and from every output: h is the sequence's last
   * step, and c has its own path into the backward kernel.
   *
   * @throws IllegalArgumentException for the wrong number of states or a state of the wrong shape
   */
  public static List<Variable> recurrentWithStates(
      Tape tape,
      RecurrentKind kind,
      Activation activation,
      Variable x,
      int units,
      Variable kernel,
      Variable recurrentKernel,
      Variable bias,
      Variable cellWeights,
      List<Variable> initialStates) {
    return recurrentOp(
        tape,
        kind,
        activation,
        x,
        units,
        kernel,
        recurrentKernel,
        bias,
        cellWeights,
        initialStates,
        true);
  }

  /** The number of states a recurrent kind carries: 2 (h and c) for the LSTM, else 1 (h). */
  public static int stateCount(RecurrentKind kind) {
    return kind == RecurrentKind.LSTM ? 2 : 1;
  }

  /**
   * Checks {@code states} (null or empty: none) against a kind's count and [batch, units], naming
   * {@code what} in the message.
   */
  public static void requireStates(
      String what, RecurrentKind kind, List<Variable> states, int batch, int units) {
    if (states == null || states.isEmpty()) {
      return;
    }
    int count = stateCount(kind);
    if (states.size() != count) {
      throw new IllegalArgumentException(
          what
              + ": "
              + kind
              + " takes "
              + (count == 2 ? "2 initial states [h, c]" : "1 initial state [h]")
              + " but got "
              + states.size());
    }
    Shape expected = Shape.of(batch, units);
    for (int i = 0; i < count; i++) {
      Variable v = states.get(i);
      String name = i == 0 ? "h" : "c";
      if (v == null) {
        throw new IllegalArgumentException(what + ": initial state " + name + " is null");
      }
      if (!v.shape().equals(expected)) {
        throw new IllegalArgumentException(
            what
                + ": initial state "
                + name
                + " must be [batch, units] = "
                + expected
                + " but got "
                + v.shape());
      }
    }
  }

  private static List<Variable> recurrentOp(
      Tape tape,
      RecurrentKind kind,
      Activation activation,
      Variable x,
      int units,
      Variable kernel,
      Variable recurrentKernel,
      Variable bias,
      Variable cellWeights,
      List<Variable> initialStates,
      boolean finalStates) {
    requireRank("recurrent input", x, 3);
    Backend b = tape.backend();
    int batch = x.shape().dim(0);
    int steps = x.shape().dim(1);
    requireStates("recurrent", kind, initialStates, batch, units);
    boolean given = initialStates != null && !initialStates.isEmpty();
    Variable h0 = given ? initialStates.get(0) : null;
    Variable c0 = given && kind == RecurrentKind.LSTM ? initialStates.get(1) : null;
    Tensor h0Value = h0 != null ? h0.value() : tape.allocate(Shape.of(batch, units));
    Tensor c0Value = c0 != null ? c0.value() : null;
    // The forward kernels write every element of the cache (RecurrentNativeVsReferenceTest
    // pre-fills it with garbage to hold them to that), so it skips the zero fill.
    Tensor cache =
        tape.allocateForOverwrite(Shape.of(Math.max(1, batch * steps * kind.cacheRow(units))));
    Variable[] in = present(x, kernel, recurrentKernel, bias, cellWeights, h0, c0);
    Variable out = tape.resultForOverwrite(Shape.of(batch, steps, units), in);
    RecurrentParams weights =
        RecurrentParams.of(
            kind,
            kernel.value(),
            recurrentKernel.value(),
            bias.value(),
            cellWeights == null ? null : cellWeights.value());
    b.recurrentForward(kind, activation, x.value(), h0Value, c0Value, weights, out.value(), cache);
    // The LSTM's final c is c_t of the cache's last step: cache rows [i, f, g, o, c] viewed as
    // [B, 5T, H] make it step 5T - 1.
    Variable cLast = null;
    if (finalStates && kind == RecurrentKind.LSTM) {
      cLast = tape.result(Shape.of(batch, units), in);
      if (batch > 0) {
        b.timeStep(cache.view(0, Shape.of(batch, 5 * steps, units)), 5 * steps - 1, cLast.value());
      }
    }
    Variable cFinal = cLast;
    Runnable backward =
        () -> {
          RecurrentParams grads =
              RecurrentParams.of(
                  kind,
                  tape.gradOf(kernel),
                  tape.gradOf(recurrentKernel),
                  tape.gradOf(bias),
                  cellWeights == null ? null : tape.gradOf(cellWeights));
          b.recurrentBackward(
              kind,
              activation,
              x.value(),
              h0Value,
              c0Value,
              weights,
              out.value(),
              cache,
              out.grad() != null ? out.grad() : tape.allocate(out.shape()),
              cFinal == null ? null : cFinal.grad(),
              x.requiresGrad() ? tape.gradOf(x) : null,
              h0 != null && h0.requiresGrad() ? tape.gradOf(h0) : null,
              c0 != null && c0.requiresGrad() ? tape.gradOf(c0) : null,
              grads);
        };
    if (cFinal == null) {
      tape.onBackward(out, backward);
    } else {
      tape.onBackward(Arrays.asList(out, cFinal), backward);
    }
    if (!finalStates) {
      return List.of(out);
    }
    List<Variable> result = new ArrayList<>(3);
    result.add(out);
    result.add(lastStep(tape, out));
    if (cLast != null) {
      result.add(cLast);
    }
    return result;
  }

  /** The non-null variables, in order: an op's inputs where some are optional. */
  private static Variable[] present(Variable... vs) {
    int n = 0;
    for (Variable v : vs) {
      n += v == null ? 0 : 1;
    }
    Variable[] out = new Variable[n];
    int i = 0;
    for (Variable v : vs) {
      if (v != null) {
        out[i++] = v;
      }
    }
    return out;
  }

  private static void requireRank(String what, Variable v, int rank) {
    if (v.shape().rank() != rank) {
      throw new IllegalArgumentException(
          what + ": expected rank " + rank + " but got " + v.shape());
    }
  }

  private static void requireSameShape(String op, Variable a, Variable b) {
    if (!a.shape().equals(b.shape())) {
      throw new IllegalArgumentException(op + ": shapes differ, " + a.shape() + " vs " + b.shape());
    }
  }
}
