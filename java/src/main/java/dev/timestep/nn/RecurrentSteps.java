package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Activation;
import dev.timestep.backend.RecurrentKind;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in recurrent cells written step by step with the autodiff ops, for recurrent dropout:
 * the fused op has no place for a state mask, so when one is needed the layer runs here instead
 * (slower, same math as the fused kernels in {@code RecurrentKind}'s layouts).
 *
 * <p>The state mask multiplies h(t-1) where it enters the recurrent product h(t-1)·U, for every
 * gate at once (one mask, as Keras' LSTM and GRU with implementation 2 use their first mask). The
 * state carried on is not masked: LSTM's cell state, and GRU's {@code z·h(t-1)} term, use the
 * unmasked h(t-1).
 */
final class RecurrentSteps {
  private RecurrentSteps() {}

  /**
   * The weights of one layer: kernel [F, G·H], recurrent [H, G·H], bias [G·H], and as in {@link
   * dev.timestep.backend.RecurrentParams} the GRU's recurrent bias [3H] or the LN cell's γβ [2H]
   * (null for the kinds without them).
   */
  record Weights(
      Variable kernel,
      Variable recurrent,
      Variable bias,
      Variable recurrentBias,
      Variable layerNorm) {}

  /**
   * What a run gives: the state h after every step, and the LSTM's final cell state (null for the
   * other kinds).
   */
  record Result(List<Variable> states, Variable cell) {}

  /**
   * Runs the layer over x [B, T, F] from {@code h0} and, for the LSTM, {@code c0} (each [B, H];
   * null: zeros), multiplying h(t-1) by {@code stateMask} [B, H] (null: no mask) before every
   * recurrent product.
   */
  static Result run(
      Tape tape,
      RecurrentKind kind,
      Activation activation,
      Variable x,
      int units,
      Weights w,
      Variable stateMask,
      Variable h0,
      Variable c0) {
    int batch = x.shape().dim(0);
    int steps = x.shape().dim(1);
    int gates = kind.gates();
    // Input projections of every step at once: x·W + b, [B, T, G·H].
    Variable projected = Ops.addBias(tape, Ops.matmul(tape, x, w.kernel()), w.bias());
    Variable h = h0 != null ? h0 : tape.constant(tape.allocate(Shape.of(batch, units)));
    Variable c = c0; // LSTM cell state; null stands for the zero state at t = 0
    Variable gamma =
        kind == RecurrentKind.LAYER_NORM_SIMPLE ? block(tape, w.layerNorm(), 2, 0) : null;
    Variable beta =
        kind == RecurrentKind.LAYER_NORM_SIMPLE ? block(tape, w.layerNorm(), 2, 1) : null;
    List<Variable> states = new ArrayList<>(steps);
    for (int t = 0; t < steps; t++) {
      Variable xp = Ops.timeStep(tape, projected, t);
      Variable hIn = stateMask == null ? h : Ops.mul(tape, h, stateMask);
      Variable hp = Ops.matmul(tape, hIn, w.recurrent());
      switch (kind) {
        case SIMPLE -> h = Ops.activation(tape, activation, Ops.add(tape, xp, hp));
        case LAYER_NORM_SIMPLE ->
            h =
                Ops.activation(
                    tape, activation, Ops.layerNorm(tape, Ops.add(tape, xp, hp), gamma, beta));
        case LSTM -> {
          Variable z = Ops.add(tape, xp, hp);
          Variable i = Ops.sigmoid(tape, gate(tape, z, gates, 0));
          Variable f = Ops.sigmoid(tape, gate(tape, z, gates, 1));
          Variable g = Ops.tanh(tape, gate(tape, z, gates, 2));
          Variable o = Ops.sigmoid(tape, gate(tape, z, gates, 3));
          Variable ig = Ops.mul(tape, i, g);
          c = c == null ? ig : Ops.add(tape, Ops.mul(tape, f, c), ig);
          h = Ops.mul(tape, o, Ops.tanh(tape, c));
        }
        case GRU -> {
          Variable hpb = Ops.addBias(tape, hp, w.recurrentBias()); // reset_after
          Variable z =
              Ops.sigmoid(tape, Ops.add(tape, gate(tape, xp, gates, 0), gate(tape, hpb, gates, 0)));
          Variable r =
              Ops.sigmoid(tape, Ops.add(tape, gate(tape, xp, gates, 1), gate(tape, hpb, gates, 1)));
          Variable n =
              Ops.tanh(
                  tape,
                  Ops.add(
                      tape, gate(tape, xp, gates, 2), Ops.mul(tape, r, gate(tape, hpb, gates, 2))));
          // z·h + (1 - z)·n written as n + z·(h - n), with the unmasked previous state h.
          h = Ops.add(tape, n, Ops.mul(tape, z, Ops.add(tape, h, negate(tape, n))));
        }
        default -> throw new IllegalStateException("no step-by-step form for " + kind);
      }
      states.add(h);
    }
    return new Result(states, c);
  }

  /** Gate {@code index} of a [B, G·H] pre-activation: columns [index·H, (index+1)·H). */
  private static Variable gate(Tape tape, Variable z, int gates, int index) {
    if (gates == 1) {
      return z;
    }
    Shape s = z.shape();
    return Ops.timeStep(
        tape, Ops.reshape(tape, z, Shape.of(s.dim(0), gates, s.dim(1) / gates)), index);
  }

  /**
   * Block {@code index} of {@code count} equal blocks of a 1-D parameter (γ and β of the LN cell).
   */
  private static Variable block(Tape tape, Variable v, int count, int index) {
    int size = v.shape().dim(0) / count;
    Variable row = Ops.timeStep(tape, Ops.reshape(tape, v, Shape.of(1, count, size)), index);
    return Ops.reshape(tape, row, Shape.of(size));
  }

  /** -v, as a product with a constant of -1s (the ops have no subtraction). */
  private static Variable negate(Tape tape, Variable v) {
    Tensor minusOnes = tape.allocate(v.shape());
    tape.backend().fill(minusOnes, -1f);
    return Ops.mul(tape, v, tape.constant(minusOnes));
  }
}
