package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.Shape;
import java.util.List;

/**
 * The one place where a functional {@link Model}'s node calls its layer: how many tensors a call
 * gives, its output shapes, and its forward pass, for layers of one input and one output, for
 * {@link GraphLayer}s of several, and for layers that carry states ({@link RecurrentCalls}: a
 * recurrent layer applied to (x, h[, c]) starts from those states, and one with {@code returnState}
 * gives its output, then its final states).
 */
final class LayerCall {
  private LayerCall() {}

  /** How many tensors a call of {@code layer} gives. */
  static int outputCount(Layer layer) {
    if (layer instanceof GraphLayer g) {
      return g.outputCount();
    }
    return RecurrentCalls.carriesStates(layer) ? RecurrentCalls.outputCount(layer) : 1;
  }

  /**
   * Builds {@code layer} for these inputs and returns its output shapes (the layer's first call).
   */
  static List<Shape> build(Layer layer, List<Shape> inputs, ParameterStore store) {
    if (layer instanceof GraphLayer g) {
      return checkedCount(layer, g.build(inputs, store));
    }
    if (RecurrentCalls.carriesStates(layer)) {
      return RecurrentCalls.build(layer, inputs, store);
    }
    return List.of(layer.build(one(layer, inputs), store));
  }

  /** The output shapes of a later call of an already built {@code layer} (a shared layer). */
  static List<Shape> outputShapes(Layer layer, List<Shape> inputs) {
    if (layer instanceof GraphLayer g) {
      return checkedCount(layer, g.outputShapes(inputs));
    }
    if (RecurrentCalls.carriesStates(layer)) {
      return RecurrentCalls.outputShapes(layer, inputs);
    }
    return List.of(layer.outputShape(one(layer, inputs)));
  }

  /** Runs {@code layer} on a batch of each input. */
  static List<Variable> forward(Layer layer, Tape tape, List<Variable> inputs, ForwardPass pass) {
    if (layer instanceof GraphLayer g) {
      return checkedCount(layer, g.forward(tape, inputs, pass));
    }
    if (RecurrentCalls.carriesStates(layer)) {
      return RecurrentCalls.forward(layer, tape, inputs, pass);
    }
    return List.of(layer.forward(tape, one(layer, inputs), pass));
  }

  private static <T> T one(Layer layer, List<T> inputs) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          layer.name() + " takes one input but was applied to " + inputs.size());
    }
    return inputs.get(0);
  }

  private static <T> List<T> checkedCount(Layer layer, List<T> outputs) {
    if (outputs.size() != outputCount(layer)) {
      throw new IllegalStateException(
          layer.name()
              + " gave "
              + outputs.size()
              + " outputs where it declares "
              + outputCount(layer));
    }
    return outputs;
  }
}
