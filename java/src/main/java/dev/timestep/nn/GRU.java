package dev.timestep.nn;

import dev.timestep.backend.RecurrentKind;
import dev.timestep.tensor.Shape;
import java.util.List;

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

  /**
   * Keras' reset_after layout: kernel, recurrent_kernel, and one bias [2, 3H] whose rows are the
   * input bias and the recurrent bias (held here as two arrays).
   */
  @Override
  public List<WeightArray> kerasWeights(List<WeightArray> declared) {
    WeightArray inputBias = declared.get(2);
    WeightArray recurrentBias = declared.get(3);
    WeightArray bias =
        new WeightArray(
            "bias",
            Shape.of(2, 3 * units()),
            true,
            List.of(inputBias.parts().get(0), recurrentBias.parts().get(0)));
    return List.of(declared.get(0), declared.get(1), bias);
  }
}
