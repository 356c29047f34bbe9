package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.Shape;
import java.util.List;

/**
 * A layer whose call takes several tensors or gives several (Keras layers called on a list, such as
 * {@code Concatenate()([a, b])}): used through a functional {@link Model}. Shapes exclude the batch
 * axis. In a {@link Sequential} it takes its one input and must give one output.
 */
public interface GraphLayer extends Layer {

  /**
   * Checks the per-sample input shapes, declares parameters in {@code store}, and returns the
   * per-sample output shapes. Called once, before parameters are allocated.
   *
   * @throws IllegalArgumentException when this layer cannot take these inputs
   */
  List<Shape> build(List<Shape> inputShapes, ParameterStore store);

  /**
   * The per-sample output shapes for these per-sample input shapes, once built.
   *
   * @throws IllegalArgumentException when this layer cannot take these inputs
   */
  List<Shape> outputShapes(List<Shape> inputShapes);

  /** Runs the layer on a batch of each input ({@code inputs} include the batch axis). */
  List<Variable> forward(Tape tape, List<Variable> inputs, ForwardPass pass);

  /** How many tensors one call gives (1 unless the layer says otherwise). */
  default int outputCount() {
    return 1;
  }

  @Override
  default Shape build(Shape inputShape, ParameterStore store) {
    return single(build(List.of(inputShape), store));
  }

  @Override
  default Shape outputShape(Shape inputShape) {
    return single(outputShapes(List.of(inputShape)));
  }

  @Override
  default Variable forward(Tape tape, Variable input, boolean training) {
    return forward(
        tape, input, training ? ForwardPass.training(0x6A7E_1A7E_7L) : ForwardPass.inference());
  }

  @Override
  default Variable forward(Tape tape, Variable input, ForwardPass pass) {
    return single(forward(tape, List.of(input), pass));
  }

  private <T> T single(List<T> outputs) {
    if (outputs.size() != 1) {
      throw new IllegalArgumentException(
          name()
              + " gives "
              + outputs.size()
              + " outputs; a Sequential passes one tensor from layer to layer, so use it in a"
              + " functional Model");
    }
    return outputs.get(0);
  }
}
