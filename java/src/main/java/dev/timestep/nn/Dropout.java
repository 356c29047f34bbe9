package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.Shape;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keras' Dropout: while training (or in MC dropout) each input value is zeroed with probability
 * {@code rate} and the others are scaled by {@code 1 / (1 - rate)}; at inference the input passes
 * through unchanged. The masks come from the pass's seed (see {@link ForwardPass}), so training is
 * reproducible. No parameters.
 */
public final class Dropout implements Layer {
  private final double rate;

  /** Counts direct calls with {@code training=true} (outside a model), which carry no seed. */
  private final AtomicLong directCalls = new AtomicLong();

  /**
   * @param rate the fraction of values dropped, in [0, 1)
   * @throws IllegalArgumentException for a rate outside [0, 1)
   */
  public Dropout(double rate) {
    this.rate = DropoutMasks.checkRate("Dropout", "rate", rate);
  }

  public double rate() {
    return rate;
  }

  @Override
  public String name() {
    return "Dropout(" + rate + ")";
  }

  @Override
  public Shape build(Shape inputShape, ParameterStore store) {
    return outputShape(inputShape);
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  public boolean hasDropout() {
    return rate > 0;
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    return forward(
        tape,
        input,
        training
            ? ForwardPass.training(ForwardPass.mix(0x0D80_9047L, directCalls.getAndIncrement()))
            : ForwardPass.inference());
  }

  @Override
  public Variable forward(Tape tape, Variable input, ForwardPass pass) {
    if (!pass.dropout() || rate == 0) {
      return input;
    }
    Variable mask = DropoutMasks.elementwise(tape, pass.masks(0), rate, input.shape());
    return Ops.mul(tape, input, mask);
  }
}
