package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.List;

/**
 * One layer of a {@link Sequential} or a functional {@link Model}. Shapes passed to {@link #build}
 * exclude the batch axis. A layer is built once, from the first data it sees; layers whose weights
 * do not depend on the number of time steps (Dense on sequences, recurrent layers) then accept any
 * sequence length.
 */
public interface Layer {

  /** Short name for summaries and errors, e.g. "dense". */
  String name();

  /**
   * Checks the per-sample input shape, declares parameters in {@code store}, and returns the
   * per-sample output shape. Called once, before parameters are allocated.
   *
   * @throws IllegalArgumentException when this layer cannot take that input
   */
  Shape build(Shape inputShape, ParameterStore store);

  /**
   * The per-sample output shape for a per-sample input shape, once built (a sequence layer may see
   * other lengths than it was built with).
   *
   * @throws IllegalArgumentException when this layer cannot take that input
   */
  Shape outputShape(Shape inputShape);

  /** Runs the layer on a batch ({@code input} includes the batch axis). */
  Variable forward(Tape tape, Variable input, boolean training);

  /**
   * Runs the layer on a batch as {@code pass} says. Layers with dropout override this (their masks
   * come from the pass's seed); every other layer needs only {@link #forward(Tape, Variable,
   * boolean)} with the pass's training flag.
   */
  default Variable forward(Tape tape, Variable input, ForwardPass pass) {
    return forward(tape, input, pass.training());
  }

  /** Whether this layer drops units while dropout is active (what MC dropout needs). */
  default boolean hasDropout() {
    return false;
  }

  /**
   * The class name a summary shows beside the layer's name, as Keras does ({@code lstm (LSTM)});
   * also the base of the layer's name in its model ({@link Sequential#layerNames}).
   */
  default String typeName() {
    return getClass().getSimpleName();
  }

  /**
   * This layer's weights in Keras' order and layouts, from {@code declared}: the parameters the
   * layer declared while building, in declaration order (trainable), then the state it declared
   * (non-trainable), each named by the part of its declared name after the last {@code /}. The
   * default returns them unchanged, which is right for a layer that declares its arrays as Keras
   * lays them out; a layer that stores them otherwise (merged or split) returns Keras' view of the
   * same tensors.
   */
  default List<WeightArray> kerasWeights(List<WeightArray> declared) {
    return declared;
  }

  /**
   * This layer's weights as heap copies, in Keras' order and layouts (empty for a layer without
   * weights); see {@link Sequential#getWeights} and {@link Model#getWeights}.
   *
   * @throws IllegalStateException when the layer belongs to no model, or its model is unbuilt,
   *     closed or training
   */
  default List<NDArray> getWeights() {
    return LayerOwnership.getWeights(this);
  }

  /**
   * Replaces this layer's weights with {@code weights}, in the order and layouts {@link
   * #getWeights} returns; checks every array before changing any. See {@link
   * Sequential#setWeights}.
   *
   * @throws IllegalArgumentException when the count, a shape or a value is wrong (naming the array)
   * @throws IllegalStateException when the layer belongs to no model, or its model is unbuilt,
   *     closed or in use
   */
  default void setWeights(List<NDArray> weights) {
    LayerOwnership.setWeights(this, weights);
  }

  /**
   * This layer applied to symbolic tensors, for a functional {@link Model}: Keras' {@code y =
   * layer(x)}. Applying one layer instance twice shares its weights (Keras' shared layers). For a
   * layer that gives one tensor. A recurrent layer takes its initial states after the sequence:
   * {@code lstm.apply(x, h, c)} is Keras' {@code lstm(x, initial_state=[h, c])}.
   *
   * @throws IllegalArgumentException for no or null inputs, or a layer that gives several tensors
   *     (use {@link #applyAll})
   */
  default Symbolic apply(Symbolic... inputs) {
    List<Symbolic> outputs = Symbolic.call(this, inputs);
    if (outputs.size() != 1) {
      throw new IllegalArgumentException(
          name() + " gives " + outputs.size() + " tensors; use applyAll to get each of them");
    }
    return outputs.get(0);
  }

  /**
   * This layer applied to symbolic tensors, every tensor it gives, in order (Keras' {@code a, b =
   * layer(x)}): e.g. [output, h, c] of an LSTM with {@code returnState(true)}.
   *
   * @throws IllegalArgumentException for no or null inputs
   */
  default List<Symbolic> applyAll(Symbolic... inputs) {
    return Symbolic.call(this, inputs);
  }
}
