package dev.timestep.nn;

import dev.timestep.backend.Activation;
import dev.timestep.backend.RecurrentKind;

/** Keras' SimpleRNN: {@code h = tanh(x·W + h·U + b)} (other activations selectable). */
public final class SimpleRNN extends RecurrentLayer {
  public SimpleRNN(int units) {
    super(RecurrentKind.SIMPLE, units);
  }

  @Override
  public SimpleRNN returnSequences(boolean value) {
    super.returnSequences(value);
    return this;
  }

  @Override
  public SimpleRNN dropout(double rate) {
    super.dropout(rate);
    return this;
  }

  @Override
  public SimpleRNN recurrentDropout(double rate) {
    super.recurrentDropout(rate);
    return this;
  }

  @Override
  public SimpleRNN returnState(boolean value) {
    super.returnState(value);
    return this;
  }

  @Override
  public SimpleRNN stateful(boolean value) {
    super.stateful(value);
    return this;
  }

  @Override
  public SimpleRNN activation(Activation value) {
    super.activation(value);
    return this;
  }
}
