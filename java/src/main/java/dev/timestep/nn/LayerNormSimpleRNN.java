package dev.timestep.nn;

import dev.timestep.autodiff.Initializer;
import dev.timestep.backend.Activation;
import dev.timestep.backend.RecurrentKind;

/**
 * The book's layer-normalized SimpleRNN cell, fused: {@code h = tanh(LayerNorm(x·W + h·U + b))}
 * with γ (ones) and β (zeros), ε 1e-3 as Keras; the state is the normalized, activated output.
 */
public final class LayerNormSimpleRNN extends RecurrentLayer {
  public LayerNormSimpleRNN(int units) {
    super(RecurrentKind.LAYER_NORM_SIMPLE, units);
  }

  @Override
  public LayerNormSimpleRNN returnSequences(boolean value) {
    super.returnSequences(value);
    return this;
  }

  @Override
  public LayerNormSimpleRNN dropout(double rate) {
    super.dropout(rate);
    return this;
  }

  @Override
  public LayerNormSimpleRNN recurrentDropout(double rate) {
    super.recurrentDropout(rate);
    return this;
  }

  @Override
  public LayerNormSimpleRNN returnState(boolean value) {
    super.returnState(value);
    return this;
  }

  @Override
  public LayerNormSimpleRNN stateful(boolean value) {
    super.stateful(value);
    return this;
  }

  @Override
  public LayerNormSimpleRNN activation(Activation value) {
    super.activation(value);
    return this;
  }

  /** γ = 1 then β = 0. */
  @Override
  protected Initializer cellWeightsInitializer() {
    int h = units();
    return (shape, random) -> {
      float[] v = new float[2 * h];
      java.util.Arrays.fill(v, 0, h, 1f);
      return v;
    };
  }
}
