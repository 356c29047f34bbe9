package dev.timestep.nn;

import dev.timestep.autodiff.Initializer;
import dev.timestep.backend.Activation;
import dev.timestep.backend.RecurrentKind;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.List;

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

  /**
   * Kernel, recurrent_kernel, bias, then γ [H] and β [H] as arrays of their own (held here as one
   * array [2H]), the order of the book's cell: its SimpleRNNCell's weights, then its
   * LayerNormalization's.
   */
  @Override
  public List<WeightArray> kerasWeights(List<WeightArray> declared) {
    int h = units();
    Tensor gammaBeta = declared.get(3).parts().get(0);
    return List.of(
        declared.get(0),
        declared.get(1),
        declared.get(2),
        WeightArray.of("gamma", gammaBeta.view(0, Shape.of(h)), true),
        WeightArray.of("beta", gammaBeta.view(h, Shape.of(h)), true));
  }
}
