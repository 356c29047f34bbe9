package dev.timestep.stream;

import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.ForwardPass;
import dev.timestep.nn.Layer;
import dev.timestep.nn.RecurrentLayer;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a model's layers over a few new steps of a batch of streams, each carrying layer starting
 * from the given states and leaving its final states in their place, through the same layer calls a
 * batch prediction makes. A recurrent layer carries [h] ([h, c] for the LSTM); a causal Conv1D
 * carries its last span - 1 inputs (span = (kernel - 1)·dilation + 1, the "fast WaveNet" queue),
 * runs over them and the new steps, and keeps the new steps' outputs: each new point costs one span
 * per layer, not the history. States stay on the backend (the device on cuda); only the last step's
 * output comes back to the heap.
 */
final class IncrementalStep {
  private final List<Layer> layers;
  private final List<Integer> carrying;
  private final boolean keepsTime;
  private final int[] channels; // each layer's input channels per step

  /**
   * {@code carrying}: the layers whose states go from step to step (a recurrent layer after the
   * time axis is gone, as a decoder after RepeatVector, starts from zeros at every point, as in a
   * batch prediction); {@code keepsTime}: whether the output has a time axis (its last step is the
   * forecast).
   */
  IncrementalStep(List<Layer> layers, List<Integer> carrying, boolean keepsTime, int features) {
    this.layers = List.copyOf(layers);
    this.carrying = List.copyOf(carrying);
    this.keepsTime = keepsTime;
    this.channels = new int[layers.size()];
    Shape shape = Shape.of(1, features);
    int last = carrying.isEmpty() ? -1 : carrying.get(carrying.size() - 1);
    for (int i = 0; i <= last; i++) {
      channels[i] = shape.dim(shape.rank() - 1);
      shape = layers.get(i).outputShape(shape);
    }
  }

  /** The carried states in layer order, each [batch, values per stream]. */
  List<Shape> stateShapes(int batch) {
    List<Shape> shapes = new ArrayList<>();
    for (int i : carrying) {
      if (layers.get(i) instanceof RecurrentLayer r) {
        for (int s = 0; s < r.stateCount(); s++) {
          shapes.add(Shape.of(batch, r.units()));
        }
      } else {
        shapes.add(Shape.of(batch, (span((Conv1D) layers.get(i)) - 1) * channels[i]));
      }
    }
    return shapes;
  }

  static int span(Conv1D c) {
    return (c.kernelSize() - 1) * c.dilationRate() + 1;
  }

  /**
   * Runs x [B, T, F] from {@code states} (overwritten with the final states) and returns the output
   * after the last step, [B, outputs...].
   */
  NDArray run(Tape tape, Tensor x, List<Tensor> states) {
    Backend b = tape.backend();
    Variable v = tape.constant(x);
    ForwardPass pass = ForwardPass.inference();
    int next = 0;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (!carrying.contains(i)) {
        v = layer.forward(tape, v, pass.forLayer(i));
      } else if (layer instanceof RecurrentLayer r) {
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
        v = convStep(tape, (Conv1D) layer, i, v, states.get(next++), pass.forLayer(i));
      }
    }
    NDArray out = b.download(v.value());
    return keepsTime ? lastStep(out, x.dim(1)) : out;
  }

  /**
   * A causal convolution over [kept inputs, new steps], whose last T outputs are those of the new
   * steps: the first span - 1 outputs are the ones the causal zero padding shapes, and they are
   * dropped. The kept inputs start as zeros, which is that padding before the first point.
   */
  private Variable convStep(
      Tape tape, Conv1D conv, int index, Variable x, Tensor queue, ForwardPass pass) {
    Backend b = tape.backend();
    int batch = x.shape().dim(0);
    int steps = x.shape().dim(1);
    int c = channels[index];
    int kept = span(conv) - 1;
    int length = kept + steps;
    Tensor joined = tape.allocateForOverwrite(Shape.of(batch, length, c));
    for (int i = 0; i < batch; i++) {
      long row = (long) i * length * c;
      if (kept > 0) {
        b.copy(
            queue.view((long) i * kept * c, Shape.of(kept * c)),
            joined.view(row, Shape.of(kept * c)));
      }
      b.copy(
          x.value().view((long) i * steps * c, Shape.of(steps * c)),
          joined.view(row + (long) kept * c, Shape.of(steps * c)));
    }
    for (int i = 0; i < batch && kept > 0; i++) {
      long row = (long) i * length * c;
      b.copy(
          joined.view(row + (long) steps * c, Shape.of(kept * c)),
          queue.view((long) i * kept * c, Shape.of(kept * c)));
    }
    Variable out = conv.forward(tape, tape.constant(joined), pass);
    if (kept == 0) {
      return out;
    }
    int filters = out.shape().dim(2);
    Tensor tail = tape.allocateForOverwrite(Shape.of(batch, steps, filters));
    for (int i = 0; i < batch; i++) {
      b.copy(
          out.value().view(((long) i * length + kept) * filters, Shape.of(steps * filters)),
          tail.view((long) i * steps * filters, Shape.of(steps * filters)));
    }
    return tape.constant(tail);
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
