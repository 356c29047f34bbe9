package dev.timestep.nn;

import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A placeholder for a tensor in a functional {@link Model}'s graph, Keras' {@code KerasTensor}: an
 * {@link Input}, or output {@link #index} of one call of a layer on other symbolic tensors ({@link
 * Layer#apply}). It holds no values; a {@code Model} built from inputs and outputs runs the calls
 * in between on real data. Shapes are known for inputs ({@link #inputShape}); a layer's output
 * shapes are worked out when the {@code Model} is built from the graph.
 */
public final class Symbolic {
  private final Call call;
  private final int index;
  private final Shape inputShape;

  /** One application of a layer: the layer, the tensors it was applied to, what it gave. */
  static final class Call {
    private final Layer layer;
    private final List<Symbolic> inbound;
    private final List<Symbolic> outputs;

    private Call(Layer layer, List<Symbolic> inbound) {
      this.layer = layer;
      this.inbound = List.copyOf(inbound);
      int count = LayerCall.outputCount(layer);
      List<Symbolic> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        out.add(new Symbolic(this, i, null));
      }
      this.outputs = Collections.unmodifiableList(out);
    }

    Layer layer() {
      return layer;
    }

    List<Symbolic> inbound() {
      return inbound;
    }

    List<Symbolic> outputs() {
      return outputs;
    }
  }

  private Symbolic(Call call, int index, Shape inputShape) {
    this.call = call;
    this.index = index;
    this.inputShape = inputShape;
  }

  /** A model input of this per-sample shape (see {@link Input#of}). */
  static Symbolic input(Shape shape) {
    return new Symbolic(null, 0, shape);
  }

  /** The outputs of {@code layer} applied to {@code inputs}. */
  static List<Symbolic> call(Layer layer, Symbolic... inputs) {
    if (layer == null) {
      throw new IllegalArgumentException("apply: the layer must not be null");
    }
    if (inputs == null || inputs.length == 0) {
      throw new IllegalArgumentException(
          layer.name()
              + ".apply needs at least one symbolic input (Input.of(...) or a layer's output)");
    }
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] == null) {
        throw new IllegalArgumentException(
            layer.name() + ".apply: input " + (i + 1) + " of " + inputs.length + " is null");
      }
    }
    return new Call(layer, List.of(inputs)).outputs;
  }

  /** Whether this is a model input rather than a layer's output. */
  public boolean isInput() {
    return call == null;
  }

  /** The per-sample shape of an input (batch axis excluded), or null for a layer's output. */
  public Shape inputShape() {
    return inputShape;
  }

  /** The layer whose call gave this tensor, or null for an input. */
  public Layer layer() {
    return call == null ? null : call.layer;
  }

  /** Which of its call's outputs this is (0 for the first, and for inputs). */
  public int index() {
    return index;
  }

  /** The call that gave this tensor, or null for an input. */
  Call origin() {
    return call;
  }

  @Override
  public String toString() {
    return isInput() ? "Input" + inputShape : "output " + (index + 1) + " of " + call.layer.name();
  }
}
