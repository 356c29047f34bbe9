package dev.timestep.nn;

import dev.timestep.backend.RecurrentKind;

/**
 * Keras' GRU with {@code reset_after=True} (the TF2 default): gates z, r, h; the reset gate
 * multiplies the recurrent product, which has its own bias (zeros).
 */
public final class GRU extends RecurrentLayer {
  public GRU(int units) {
    super(RecurrentKind.GRU, units);
  }

  @Override
  public GRU returnSequences(boolean value) {
    super.returnSequences(value);
    return this;
  }

  @Override
  public GRU dropout(double rate) {
    super.dropout(rate);
    return this;
  }

  @Override
  public GRU recurrentDropout(double rate) {
    super.recurrentDropout(rate);
    return this;
  }

  @Override
  public GRU returnState(boolean value) {
    super.returnState(value);
    return this;
  }

  @Override
  public GRU stateful(boolean value) {
    super.stateful(value);
    return this;
  }
}
