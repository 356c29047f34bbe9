package dev.timestep.nn;

import dev.timestep.autodiff.Initializer;
import dev.timestep.backend.RecurrentKind;

/** Keras' LSTM: gates i, f, c, o (sigmoid, tanh candidate), forget-gate bias initialised to 1. */
public final class LSTM extends RecurrentLayer {
  public LSTM(int units) {
    super(RecurrentKind.LSTM, units);
  }

  @Override
  public LSTM returnSequences(boolean value) {
    super.returnSequences(value);
    return this;
  }

  @Override
  public LSTM dropout(double rate) {
    super.dropout(rate);
    return this;
  }

  @Override
  public LSTM recurrentDropout(double rate) {
    super.recurrentDropout(rate);
    return this;
  }

  @Override
  public LSTM returnState(boolean value) {
    super.returnState(value);
    return this;
  }

  @Override
  public LSTM stateful(boolean value) {
    super.stateful(value);
    return this;
  }

  /** Keras' unit_forget_bias: zeros except the forget-gate block [H, 2H), which is 1. */
  @Override
  protected Initializer biasInitializer() {
    int h = units();
    return (shape, random) -> {
      float[] v = new float[4 * h];
      java.util.Arrays.fill(v, h, 2 * h, 1f);
      return v;
    };
  }
}
