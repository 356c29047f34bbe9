package dev.timestep.stream;

import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.nn.ForwardPass;
import dev.timestep.nn.Layer;
import dev.timestep.nn.RecurrentLayer;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a model's layers over a few new steps of a batch of streams, each recurrent layer starting
 * from the given states and leaving its final states in their place: the same layer calls a batch
 * prediction makes, so the arithmetic per step is the same. States stay on the backend (the device
 * on cuda); only the last step's output comes back to the heap.
 */
final class IncrementalStep {
  private final List<Layer> layers;
  private final List<Integer> carrying;
  private final boolean keepsTime;

  /**
   * {@code carrying}: the recurrent layers whose states go from step to step (a recurrent layer
   * after the time axis is gone, as a decoder after RepeatVector, starts from zeros at every point,
   * as in a batch prediction).
   */
  IncrementalStep(List<Layer> layers, List<Integer> carrying) {
    this.layers = List.copyOf(layers);
    this.carrying = List.copyOf(carrying);
    RecurrentLayer last = (RecurrentLayer) layers.get(carrying.get(carrying.size() - 1));
    this.keepsTime = last.returnsSequences();
  }

  /** The states of every recurrent layer in order, [h] or [h, c], each [batch, units]. */
  List<Shape> stateShapes(int batch) {
    List<Shape> shapes = new ArrayList<>();
    for (int i : carrying) {
      RecurrentLayer r = (RecurrentLayer) layers.get(i);
      for (int s = 0; s < r.stateCount(); s++) {
        shapes.add(Shape.of(batch, r.units()));
      }
    }
    return shapes;
  }

  /**
   * Runs x [B, T, F] from {@code states} (each [B, units]; overwritten with the final states) and
   * returns the output after the last step, [B, outputs...].
   */
  NDArray run(Tape tape, Tensor x, List<Tensor> states) {
    Backend b = tape.backend();
    Variable v = tape.constant(x);
    ForwardPass pass = ForwardPass.inference();
    int next = 0;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (carrying.contains(i)) {
        RecurrentLayer r = (RecurrentLayer) layer;
        int count = r.stateCount();
        List<Variable> from = new ArrayList<>(count);
        for (int s = 0; s < count; s++) {
          from.add(tape.constant(states.get(next + s)));
        }
        List<Variable> out = r.forwardWithStates(tape, v, from, pass.forLayer(i));
        for (int s = 0; s < count; s++) {
          b.copy(out.get(1 + s).value(), states.get(next + s));
        }
        next += count;
        v = out.get(0);
      } else {
        v = layer.forward(tape, v, pass.forLayer(i));
      }
    }
    NDArray out = b.download(v.value());
    return keepsTime ? lastStep(out, x.dim(1)) : out;
  }

  /** Step T-1 of an output [B, T, ...], as [B, ...]. */
  private static NDArray lastStep(NDArray out, int steps) {
    Shape perStep = out.shape().dropFirst().dropFirst();
    int width = Math.toIntExact(perStep.size());
    int batch = out.dim(0);
    float[] last = new float[batch * width];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(out.data(), (i * steps + steps - 1) * width, last, i * width, width);
    }
    return new NDArray(perStep.prepend(batch), last);
  }
}
