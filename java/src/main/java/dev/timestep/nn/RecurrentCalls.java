package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * How a functional model calls a layer that carries states (a built-in recurrent layer, or {@link
 * Bidirectional} around one), as Keras' RNN call does: the first tensor is the sequence, any
 * further ones are the initial states (all of them or none; each of sample shape [units]); with
 * {@code returnState} the call gives the output, then the final states. A plain call (one input, no
 * states returned) runs the layer's ordinary {@code forward}, so it stays exactly what it was.
 */
final class RecurrentCalls {
  private RecurrentCalls() {}

  /** Whether {@code layer} is called this way. */
  static boolean carriesStates(Layer layer) {
    return layer instanceof RecurrentLayer || layer instanceof Bidirectional;
  }

  /** The recurrent layer that sets the states' count and units (the wrapped one of a wrapper). */
  private static RecurrentLayer direction(Layer layer) {
    return layer instanceof Bidirectional b ? b.forwardLayer() : (RecurrentLayer) layer;
  }

  /** The states a call takes and gives: h[, c], per direction. */
  static int stateCount(Layer layer) {
    return layer instanceof Bidirectional b ? b.stateCount() : direction(layer).stateCount();
  }

  /** 1, or 1 + the states for a layer that returns its states. */
  static int outputCount(Layer layer) {
    return direction(layer).returnsState() ? 1 + stateCount(layer) : 1;
  }

  /** Builds {@code layer} on its sequence input and returns its output shapes. */
  static List<Shape> build(Layer layer, List<Shape> inputs, ParameterStore store) {
    checkInputs(layer, inputs);
    return withStateShapes(layer, layer.build(inputs.get(0), store));
  }

  /** The output shapes of a later call of the built {@code layer}. */
  static List<Shape> outputShapes(Layer layer, List<Shape> inputs) {
    checkInputs(layer, inputs);
    return withStateShapes(layer, layer.outputShape(inputs.get(0)));
  }

  /** Runs {@code layer} on its sequence, from the given states or the layer's own start. */
  static List<Variable> forward(Layer layer, Tape tape, List<Variable> inputs, ForwardPass pass) {
    boolean returnsState = direction(layer).returnsState();
    if (inputs.size() == 1 && !returnsState) {
      return List.of(layer.forward(tape, inputs.get(0), pass));
    }
    List<Variable> states = inputs.subList(1, inputs.size());
    List<Variable> out =
        layer instanceof Bidirectional b
            ? b.forwardWithStates(tape, inputs.get(0), states, pass)
            : ((RecurrentLayer) layer).forwardWithStates(tape, inputs.get(0), states, pass);
    return returnsState ? out : List.of(out.get(0));
  }

  private static List<Shape> withStateShapes(Layer layer, Shape output) {
    List<Shape> shapes = new ArrayList<>();
    shapes.add(output);
    if (direction(layer).returnsState()) {
      for (int s = 0; s < stateCount(layer); s++) {
        shapes.add(Shape.of(direction(layer).units()));
      }
    }
    return shapes;
  }

  private static void checkInputs(Layer layer, List<Shape> inputs) {
    int states = stateCount(layer);
    if (inputs.size() != 1 && inputs.size() != 1 + states) {
      throw new IllegalArgumentException(
          layer.name()
              + " takes a sequence, optionally followed by its "
              + states
              + " initial states "
              + stateNames(layer)
              + ", but was applied to "
              + inputs.size()
              + " tensors");
    }
    Shape want = Shape.of(direction(layer).units());
    for (int s = 1; s < inputs.size(); s++) {
      if (!inputs.get(s).equals(want)) {
        throw new IllegalArgumentException(
            layer.name()
                + ": initial state "
                + stateName(layer, s - 1)
                + " must have samples of shape "
                + want
                + " (the layer's units) but got "
                + inputs.get(s));
      }
    }
  }

  /** "[h, c]", or both directions' for a Bidirectional. */
  private static String stateNames(Layer layer) {
    List<String> names = new ArrayList<>();
    for (int s = 0; s < stateCount(layer); s++) {
      names.add(stateName(layer, s));
    }
    return names.toString();
  }

  private static String stateName(Layer layer, int index) {
    int perDirection = direction(layer).stateCount();
    String name = index % perDirection == 0 ? "h" : "c";
    if (!(layer instanceof Bidirectional)) {
      return name;
    }
    return (index < perDirection ? "forward " : "backward ") + name;
  }
}
