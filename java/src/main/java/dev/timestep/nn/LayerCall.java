package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.Shape;
import java.util.List;

/**
 * The one place where a functional {@link Model}'s node calls its layer: how many tensors a call
 * gives, its output shapes, and its forward pass, for layers of one input and one output and for
 * {@link GraphLayer}s of several. A layer with other calling conventions is wired in here: a
 * recurrent layer that returns its final states gives 1 + stateCount() tensors (the output, then h
 * [units], then c for an LSTM), and one applied to (x, h[, c]) starts from those states, which is
 * one branch per method calling {@code forwardWithStates(tape, inputs.get(0), inputs.subList(1, n),
 * pass)}.
 */
final class LayerCall {
  private LayerCall() {}

  /** How many tensors a call of {@code layer} gives. */
  static int outputCount(Layer layer) {
    return layer instanceof GraphLayer g ? g.outputCount() : 1;
  }

  /**
   * Builds {@code layer} for these inputs and returns its output shapes (the layer's first call).
   */
  static List<Shape> build(Layer layer, List<Shape> inputs, ParameterStore store) {
    if (layer instanceof GraphLayer g) {
      return checkedCount(layer, g.build(inputs, store));
    }
    return List.of(layer.build(one(layer, inputs), store));
  }

  /** The output shapes of a later call of an already built {@code layer} (a shared layer). */
  static List<Shape> outputShapes(Layer layer, List<Shape> inputs) {
    if (layer instanceof GraphLayer g) {
      return checkedCount(layer, g.outputShapes(inputs));
    }
    return List.of(layer.outputShape(one(layer, inputs)));
  }

  /** Runs {@code layer} on a batch of each input. */
  static List<Variable> forward(Layer layer, Tape tape, List<Variable> inputs, ForwardPass pass) {
    if (layer instanceof GraphLayer g) {
      return checkedCount(layer, g.forward(tape, inputs, pass));
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
