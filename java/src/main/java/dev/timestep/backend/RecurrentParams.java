package dev.timestep.backend;

import dev.timestep.tensor.Tensor;
import java.util.function.UnaryOperator;

/**
 * The weights of a fused recurrent op (or their gradients, same shapes). Every kind has a kernel
 * [F, G·H], a recurrent kernel [H, G·H] and a bias [G·H]; two kinds have one more array, null for
 * the others:
 *
 * <ul>
 *   <li>{@code recurrentBias} [3H]: the GRU's bias inside the reset gate's product (Keras'
 *       reset_after, the second row of its [2, 3H] bias);
 *   <li>{@code layerNorm} [2H]: the layer-normalized cell's γ then β, one array because the kernels
 *       read them as one block.
 * </ul>
 */
public record RecurrentParams(
    Tensor kernel, Tensor recurrent, Tensor bias, Tensor recurrentBias, Tensor layerNorm) {

  /** The weights of SimpleRNN or LSTM, which have no recurrent bias and no layer norm. */
  public RecurrentParams(Tensor kernel, Tensor recurrent, Tensor bias) {
    this(kernel, recurrent, bias, null, null);
  }

  /**
   * The weights of {@code kind}, with {@code cellWeights} (null when the kind has none) in the
   * field the kind uses: the GRU's recurrent bias or the layer-norm cell's γβ.
   */
  public static RecurrentParams of(
      RecurrentKind kind, Tensor kernel, Tensor recurrent, Tensor bias, Tensor cellWeights) {
    return switch (kind) {
      case GRU -> new RecurrentParams(kernel, recurrent, bias, cellWeights, null);
      case LAYER_NORM_SIMPLE -> new RecurrentParams(kernel, recurrent, bias, null, cellWeights);
      case SIMPLE, LSTM -> {
        if (cellWeights != null) {
          throw new IllegalArgumentException(
              kind + " has no recurrent bias or layer norm weights, but one was given");
        }
        yield new RecurrentParams(kernel, recurrent, bias);
      }
    };
  }

  /**
   * The kind-specific array (recurrent bias or layer norm), or null: the native ABI takes it as one
   * pointer whose meaning the kind gives.
   */
  public Tensor cellWeights() {
    return recurrentBias != null ? recurrentBias : layerNorm;
  }

  /** The same weights with {@code f} applied to each non-null array (copies, gradients). */
  public RecurrentParams map(UnaryOperator<Tensor> f) {
    return new RecurrentParams(
        f.apply(kernel),
        f.apply(recurrent),
        f.apply(bias),
        recurrentBias == null ? null : f.apply(recurrentBias),
        layerNorm == null ? null : f.apply(layerNorm));
  }
}
