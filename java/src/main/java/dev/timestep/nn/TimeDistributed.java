package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.Shape;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Applies a layer to every time step independently: [batch, time, ...] is seen as [batch·time,
 * ...], passed through the layer, and reshaped back (Keras' TimeDistributed).
 */
public final class TimeDistributed implements Layer {
  private final Layer inner;

  public TimeDistributed(Layer inner) {
    if (inner == null) {
      throw new IllegalArgumentException("TimeDistributed needs a layer");
    }
    this.inner = inner;
  }

  /** The layer applied at every step. */
  public Layer layer() {
    return inner;
  }

  @Override
  public String name() {
    return "TimeDistributed(" + inner.name() + ")";
  }

  @Override
  public Shape build(Shape inputShape, ParameterStore store) {
    requireTime(inputShape);
    return inner.build(inputShape.dropFirst(), store).prepend(inputShape.dim(0));
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    requireTime(inputShape);
    return inner.outputShape(inputShape.dropFirst()).prepend(inputShape.dim(0));
  }

  @Override
  public boolean hasDropout() {
    return inner.hasDropout();
  }

  /** The wrapped layer's weights, in its own layout (it declared them while this one built). */
  @Override
  public List<WeightArray> kerasWeights(List<WeightArray> declared) {
    return inner.kerasWeights(declared);
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    return everyStep(tape, input, folded -> inner.forward(tape, folded, training));
  }

  /** Passes {@code pass} on to the wrapped layer, so a wrapped Dropout sees the model's masks. */
  @Override
  public Variable forward(Tape tape, Variable input, ForwardPass pass) {
    return everyStep(tape, input, folded -> inner.forward(tape, folded, pass));
  }

  private Variable everyStep(Tape tape, Variable input, UnaryOperator<Variable> innerCall) {
    Shape s = input.shape();
    if (s.rank() < 3) {
      throw new IllegalArgumentException(name() + " takes [batch, time, ...] input, got " + s);
    }
    int[] dims = s.dims();
    int[] folded = new int[dims.length - 1];
    folded[0] = dims[0] * dims[1];
    System.arraycopy(dims, 2, folded, 1, dims.length - 2);
    Variable y = innerCall.apply(Ops.reshape(tape, input, Shape.of(folded)));
    int[] out = new int[y.shape().rank() + 1];
    out[0] = dims[0];
    out[1] = dims[1];
    System.arraycopy(y.shape().dims(), 1, out, 2, y.shape().rank() - 1);
    return Ops.reshape(tape, y, Shape.of(out));
  }

  private void requireTime(Shape sample) {
    if (sample.rank() < 2) {
      throw new IllegalArgumentException(
          name() + " takes samples of shape [time, ...], got " + sample);
    }
  }
}
