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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
  private final Map<Integer, PhasedConv> phased = new HashMap<>();

  /**
   * {@code carrying}: the layers whose states go from step to step (a recurrent layer after the
   * time axis is gone, as a decoder after RepeatVector, starts from zeros at every point, as in a
   * batch prediction); {@code keepsTime}: whether the output has a time axis (its last step is the
   * forecast); {@code sample}: the model's sample shape [steps, features].
   */
  IncrementalStep(List<Layer> layers, List<Integer> carrying, boolean keepsTime, Shape sample) {
    this.layers = List.copyOf(layers);
    this.carrying = List.copyOf(carrying);
    this.keepsTime = keepsTime;
    this.channels = new int[layers.size()];
    Shape shape = sample; // the built sample: long enough for every 'valid' convolution

    int last = carrying.isEmpty() ? -1 : carrying.get(carrying.size() - 1);
    for (int i = 0; i <= last; i++) {
      channels[i] = shape.dim(shape.rank() - 1);
      shape = layers.get(i).outputShape(shape);
    }
    for (int i : carrying) {
      if (layers.get(i) instanceof Conv1D c && PhasedConv.applies(c)) {
        phased.put(i, PhasedConv.of(c));
      }
    }
  }

  /**
   * Whether some convolution emits only at some points (strided, or 'valid'): then {@link #run}
   * takes one step at a time, and a point may change no output.
   */
  boolean hasPhases() {
    return !phased.isEmpty();
  }

  /**
   * The first layer that emits no output for a stream's next point after {@code stepsBefore}
   * points, or -1 when the point reaches the model's output.
   */
  int stopLayer(long stepsBefore) {
    long input = stepsBefore + 1;
    for (int i : carrying) {
      PhasedConv p = phased.get(i);
      if (p != null) {
        if (!p.emitsAt(input)) {
          return i;
        }
        input = p.outputsAfter(input);
      }
    }
    return -1;
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
    return run(tape, x, states, -1);
  }

  /**
   * As {@link #run(Tape, Tensor, List)} for one step (T = 1) of streams that share {@link
   * #stopLayer}: layer {@code stop} takes the step into its queue and emits nothing, so the layers
   * after it do not run and the result is null.
   */
  NDArray run(Tape tape, Tensor x, List<Tensor> states, int stop) {
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
      } else if (phased.containsKey(i)) {
        v = phasedStep(tape, (Conv1D) layer, i, v, states.get(next++), pass.forLayer(i), i != stop);
        if (v == null) {
          return null;
        }
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

  /**
   * One new step x [B, 1, C] through a phased convolution: the step joins the queue of the last
   * span - 1 inputs, and when it completes an output the layer runs over [leading steps, queue, x]
   * (see {@link PhasedConv#runLength}) and its last output, [B, 1, filters], is returned; otherwise
   * null.
   */
  private Variable phasedStep(
      Tape tape, Conv1D conv, int index, Variable x, Tensor queue, ForwardPass pass, boolean emit) {
    Backend b = tape.backend();
    PhasedConv p = phased.get(index);
    int batch = x.shape().dim(0);
    int c = channels[index];
    int kept = p.span() - 1;
    int length = emit ? p.runLength() : p.span();
    int lead = length - p.span();
    Tensor joined = tape.allocateForOverwrite(Shape.of(batch, length, c));
    for (int i = 0; i < batch; i++) {
      long row = (long) i * length * c;
      if (lead > 0) {
        b.fill(joined.view(row, Shape.of(lead * c)), 0f);
      }
      if (kept > 0) {
        b.copy(
            queue.view((long) i * kept * c, Shape.of(kept * c)),
            joined.view(row + (long) lead * c, Shape.of(kept * c)));
      }
      b.copy(
          x.value().view((long) i * c, Shape.of(c)),
          joined.view(row + (long) (length - 1) * c, Shape.of(c)));
      if (kept > 0) {
        b.copy(
            joined.view(row + (long) (length - kept) * c, Shape.of(kept * c)),
            queue.view((long) i * kept * c, Shape.of(kept * c)));
      }
    }
    if (!emit) {
      return null;
    }
    Variable out = conv.forward(tape, tape.constant(joined), pass);
    int steps = out.shape().dim(1);
    int filters = out.shape().dim(2);
    Tensor last = tape.allocateForOverwrite(Shape.of(batch, 1, filters));
    for (int i = 0; i < batch; i++) {
      b.copy(
          out.value().view(((long) i * steps + steps - 1) * filters, Shape.of(filters)),
          last.view((long) i * filters, Shape.of(filters)));
    }
    return tape.constant(last);
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
