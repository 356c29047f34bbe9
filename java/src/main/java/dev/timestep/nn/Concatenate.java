package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.Shape;
import java.util.List;

/**
 * Joins its inputs along the last axis, Keras' {@code Concatenate()} (axis -1): inputs of shapes
 * [..., a] and [..., b] with the same leading axes give [..., a + b], the first input's features
 * first. No weights. Apply it to several tensors in a functional {@link Model}: {@code new
 * Concatenate().apply(left, right)}.
 */
public final class Concatenate implements GraphLayer {

  @Override
  public String name() {
    return "concatenate";
  }

  @Override
  public List<Shape> build(List<Shape> inputShapes, ParameterStore store) {
    return outputShapes(inputShapes);
  }

  @Override
  public List<Shape> outputShapes(List<Shape> inputShapes) {
    if (inputShapes == null || inputShapes.isEmpty()) {
      throw new IllegalArgumentException("concatenate needs at least one input");
    }
    Shape first = inputShapes.get(0);
    int total = 0;
    for (int i = 0; i < inputShapes.size(); i++) {
      Shape s = inputShapes.get(i);
      if (!sameLeading(first, s)) {
        throw new IllegalArgumentException(
            "concatenate joins along the last axis, so every input needs the same other axes;"
                + " input 1 has samples of shape "
                + first
                + " but input "
                + (i + 1)
                + " has "
                + s);
      }
      total = Math.addExact(total, s.dim(-1));
    }
    return List.of(first.withLast(total));
  }

  @Override
  public List<Variable> forward(Tape tape, List<Variable> inputs, ForwardPass pass) {
    return List.of(Ops.concatLast(tape, inputs));
  }

  private static boolean sameLeading(Shape a, Shape b) {
    if (a.rank() != b.rank()) {
      return false;
    }
    for (int i = 0; i < a.rank() - 1; i++) {
      if (a.dim(i) != b.dim(i)) {
        return false;
      }
    }
    return true;
  }
}
