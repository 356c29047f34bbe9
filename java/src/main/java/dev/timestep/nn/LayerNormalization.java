package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;

/**
 * Keras' LayerNormalization over the last axis: per sample (and per step), normalize the features
 * to mean 0 and variance 1 (ε 1e-3), then scale by γ (ones) and shift by β (zeros).
 */
public final class LayerNormalization extends ChannelNormalization {

  @Override
  public String name() {
    return "LayerNormalization";
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    checked(input);
    return Ops.layerNorm(tape, input, gamma(), beta());
  }
}
