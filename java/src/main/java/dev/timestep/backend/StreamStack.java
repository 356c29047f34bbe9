package dev.timestep.backend;

import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A stack of recurrent, dense and causal convolution layers that {@link Backend#streamStep} runs
 * one time step at a time for many streams in one call: the layers in order, each layer's states
 * (h, then c for the LSTM; a convolution's queue of past inputs) laid out one after the other in a
 * stream's row of a {@link StreamSlab}. The weights are the model's own tensors (not copies): the
 * stack reads whatever they hold at each call.
 *
 * <pre>{@code
 * StreamStack stack = StreamStack.builder(1)
 *     .recurrent(RecurrentKind.LSTM, Activation.TANH, lstmWeights)
 *     .dense(kernel, bias, Activation.LINEAR)
 *     .build();
 * }</pre>
 */
public final class StreamStack {
  /** The kind code of a dense layer in the native plan (TS_STREAM_DENSE). */
  static final int DENSE = 4;

  private static final int HEADER = 4;
  private static final int LAYER_INTS = 7;

  /** The kind code of a causal convolution in the native plan (TS_STREAM_CONV). */
  static final int CONV = 5;

  /** The most layers one stack holds (TS_STREAM_MAX_LAYERS). */
  public static final int MAX_LAYERS = 16;

  /**
   * One layer: {@code kind} null for a dense layer or a convolution ({@code kernelSize} and {@code
   * dilation} are 1 for every other layer, and for a dense one); {@code state} the offset of its
   * states in a row; {@code recurrent} and {@code cellWeights} null where the layer has none,
   * {@code bias} null for a dense layer or convolution without one.
   */
  public record Layer(
      RecurrentKind kind,
      Activation activation,
      int inputs,
      int units,
      int state,
      int kernelSize,
      int dilation,
      boolean convolution,
      Tensor kernel,
      Tensor recurrent,
      Tensor bias,
      Tensor cellWeights) {

    int code() {
      return kind != null ? kind.code() : convolution ? CONV : DENSE;
    }

    /**
     * The floats of each state the layer carries, in row order: h (and c for the LSTM) of {@code
     * units} floats, a convolution's queue of its last (kernelSize - 1)·dilation inputs, nothing
     * for a dense layer or a convolution of kernel 1.
     */
    public int[] stateSizes() {
      if (kind != null) {
        return kind == RecurrentKind.LSTM ? new int[] {units, units} : new int[] {units};
      }
      int queue = (kernelSize - 1) * dilation * inputs;
      return queue == 0 ? new int[0] : new int[] {queue};
    }
  }

  private final int features;
  private final List<Layer> layers;
  private final int rowFloats;
  private final int[] plan;

  private StreamStack(int features, List<Layer> layers, int rowFloats) {
    this.features = features;
    this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
    this.rowFloats = rowFloats;
    this.plan = new int[HEADER + LAYER_INTS * layers.size()];
    plan[0] = layers.size();
    plan[1] = features;
    plan[2] = rowFloats;
    plan[3] = outputs();
    for (int l = 0; l < layers.size(); l++) {
      Layer y = layers.get(l);
      int at = HEADER + LAYER_INTS * l;
      plan[at] = y.code();
      plan[at + 1] = y.inputs();
      plan[at + 2] = y.units();
      plan[at + 3] = y.activation().code();
      plan[at + 4] = y.state();
      plan[at + 5] = y.kernelSize();
      plan[at + 6] = y.dilation();
    }
  }

  /** A builder for a stack whose first layer takes {@code features} values per step. */
  public static Builder builder(int features) {
    if (features < 1) {
      throw new IllegalArgumentException(
          "StreamStack: the first layer needs at least 1 input feature, got " + features);
    }
    return new Builder(features);
  }

  /** The values each stream takes per step. */
  public int features() {
    return features;
  }

  /** The values each stream gets back per step (the last layer's units). */
  public int outputs() {
    return layers.get(layers.size() - 1).units();
  }

  /** The floats of one stream's states: the length of a slab row. */
  public int rowFloats() {
    return rowFloats;
  }

  /** The number of layers. */
  public int layerCount() {
    return layers.size();
  }

  /** The layers, in order. */
  public List<Layer> layers() {
    return layers;
  }

  /** The native plan (status.h's TS_STREAM_* layout); not to be modified. */
  int[] plan() {
    return plan;
  }

  /** The weight tensors, 4 per layer (kernel, recurrent, bias, cell weights), nulls included. */
  Tensor[] weights() {
    Tensor[] w = new Tensor[4 * layers.size()];
    for (int l = 0; l < layers.size(); l++) {
      Layer y = layers.get(l);
      w[4 * l] = y.kernel();
      w[4 * l + 1] = y.recurrent();
      w[4 * l + 2] = y.bias();
      w[4 * l + 3] = y.cellWeights();
    }
    return w;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("StreamStack(" + features);
    for (Layer y : layers) {
      s.append(" -> ")
          .append(y.kind() != null ? y.kind() : y.convolution() ? "Conv1D" : "Dense")
          .append('(');
      s.append(y.units()).append(')');
    }
    return s.append(')').toString();
  }

  /** Adds layers in order; each takes the previous layer's units as its inputs. */
  public static final class Builder {
    private final int features;
    private final List<Layer> layers = new ArrayList<>();
    private int width;
    private int rowFloats;

    private Builder(int features) {
      this.features = features;
      this.width = features;
    }

    /**
     * A recurrent layer of {@code kind}: kernel [inputs, G·H], recurrent kernel [H, G·H], bias
     * [G·H], and the kind's cell weights (the GRU's recurrent bias [3H], the layer-norm cell's γβ
     * [2H]); {@code activation} applies to SIMPLE and LAYER_NORM_SIMPLE (LSTM and GRU use tanh).
     *
     * @throws IllegalArgumentException for a null argument or a weight of the wrong shape
     */
    public Builder recurrent(RecurrentKind kind, Activation activation, RecurrentParams weights) {
      if (kind == null || activation == null || weights == null) {
        throw new IllegalArgumentException(
            "StreamStack.recurrent: kind, activation and weights must not be null");
      }
      Tensor u = require(weights.recurrent(), "recurrent kernel");
      if (u.shape().rank() != 2) {
        throw new IllegalArgumentException(
            "StreamStack.recurrent: the recurrent kernel must be [units, gates·units], got "
                + u.shape());
      }
      int units = u.dim(0);
      int gh = kind.gates() * units;
      expect(weights.kernel(), "kernel", Shape.of(width, gh));
      expect(u, "recurrent kernel", Shape.of(units, gh));
      expect(weights.bias(), "bias", Shape.of(gh));
      Tensor cell = weights.cellWeights();
      int cellSize = kind.cellWeightsSize(units);
      if (cellSize > 0) {
        expect(cell, kind.cellWeightsName(), Shape.of(cellSize));
      } else if (cell != null) {
        throw new IllegalArgumentException(
            "StreamStack.recurrent: " + kind + " has no cell weights, but some were given");
      }
      Layer y =
          new Layer(
              kind,
              activation,
              width,
              units,
              rowFloats,
              1,
              1,
              false,
              weights.kernel(),
              u,
              weights.bias(),
              cell);
      return add(y, (long) y.stateSizes().length * units);
    }

    /**
     * A dense layer y = activation(x · kernel + bias): kernel [inputs, units], bias [units] or
     * null.
     *
     * @throws IllegalArgumentException for a null kernel or activation, or a wrong shape
     */
    public Builder dense(Tensor kernel, Tensor bias, Activation activation) {
      if (activation == null) {
        throw new IllegalArgumentException("StreamStack.dense: activation must not be null");
      }
      Tensor k = require(kernel, "dense kernel");
      if (k.shape().rank() != 2) {
        throw new IllegalArgumentException(
            "StreamStack.dense: the kernel must be [inputs, units], got " + k.shape());
      }
      int units = k.dim(1);
      expect(k, "dense kernel", Shape.of(width, units));
      if (bias != null) {
        expect(bias, "dense bias", Shape.of(units));
      }
      return add(new Layer(null, activation, width, units, 0, 1, 1, false, k, null, bias, null), 0);
    }

    /**
     * A causal convolution of stride 1 (Keras' Conv1D with padding='causal'): y_t = activation(bias
     * + sum over taps k of x_{t - (K-1-k)·dilation} · kernel[k]), kernel [K, inputs, units], bias
     * [units] or null. It keeps its last (K - 1)·dilation inputs in the row, zeros at first (the
     * causal padding); a kernel of 1 keeps nothing (a per-step dense layer).
     *
     * @throws IllegalArgumentException for a null kernel or activation, a dilation below 1, a wrong
     *     shape, or a queue too long for an int
     */
    public Builder conv(Tensor kernel, Tensor bias, Activation activation, int dilation) {
      if (activation == null || dilation < 1) {
        throw new IllegalArgumentException(
            "StreamStack.conv: activation must not be null and the dilation at least 1, got "
                + activation
                + " and "
                + dilation);
      }
      Tensor k = require(kernel, "convolution kernel");
      if (k.shape().rank() != 3) {
        throw new IllegalArgumentException(
            "StreamStack.conv: the kernel must be [kernel size, inputs, units], got " + k.shape());
      }
      int size = k.dim(0);
      int units = k.dim(2);
      expect(k, "convolution kernel", Shape.of(size, width, units));
      if (bias != null) {
        expect(bias, "convolution bias", Shape.of(units));
      }
      long queue = (long) (size - 1) * dilation * width;
      if (queue > Integer.MAX_VALUE / 2) {
        throw new IllegalArgumentException(
            "StreamStack.conv: a queue of " + queue + " floats is too long");
      }
      return add(
          new Layer(
              null, activation, width, units, rowFloats, size, dilation, true, k, null, bias, null),
          queue);
    }

    /**
     * The stack.
     *
     * @throws IllegalStateException with no layer
     */
    public StreamStack build() {
      if (layers.isEmpty()) {
        throw new IllegalStateException("StreamStack: add at least one layer");
      }
      return new StreamStack(features, layers, rowFloats);
    }

    private Builder add(Layer y, long states) {
      if (layers.size() == MAX_LAYERS) {
        throw new IllegalArgumentException(
            "StreamStack: at most " + MAX_LAYERS + " layers fuse into one step");
      }
      if (rowFloats + states > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("StreamStack: the states overflow an int");
      }
      layers.add(y);
      rowFloats += (int) states;
      width = y.units();
      return this;
    }

    private static Tensor require(Tensor t, String what) {
      if (t == null) {
        throw new IllegalArgumentException("StreamStack: the " + what + " must not be null");
      }
      return t;
    }

    private void expect(Tensor t, String what, Shape shape) {
      require(t, what);
      if (!t.shape().equals(shape)) {
        throw new IllegalArgumentException(
            "StreamStack: layer "
                + layers.size()
                + "'s "
                + what
                + " must be "
                + shape
                + " (it takes "
                + width
                + " inputs), got "
                + t.shape());
      }
    }
  }
}
