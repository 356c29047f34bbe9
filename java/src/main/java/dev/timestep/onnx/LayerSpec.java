package dev.timestep.onnx;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
import dev.timestep.nn.Bidirectional;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Layer;
import dev.timestep.nn.RecurrentLayer;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.tensor.NDArray;
import java.util.List;

/**
 * One Timestep layer an import has recognised, with its weights in Keras' layout. Mutable while the
 * graph is read: later nodes fold into it (an activation, a bias, taking the last step only).
 */
abstract sealed class LayerSpec {
  abstract Layer layer();

  abstract List<NDArray> weights();

  /** Dense: kernel [in, units], bias [units], an activation. */
  static final class DenseSpec extends LayerSpec {
    final NDArray kernel;
    NDArray bias;
    Activation activation = Activation.LINEAR;

    DenseSpec(NDArray kernel, NDArray bias) {
      this.kernel = kernel;
      this.bias = bias;
    }

    int units() {
      return kernel.dim(1);
    }

    @Override
    Layer layer() {
      return new Dense(units(), activation);
    }

    @Override
    List<NDArray> weights() {
      return List.of(kernel, bias == null ? NDArray.zeros(units()) : bias);
    }
  }

  /** SimpleRNN, LSTM or GRU, one direction or both (concatenated), with Keras-layout weights. */
  static final class RecurrentSpec extends LayerSpec {
    final GateLayout kind;
    final int units;
    final int directions;
    final Activation activation;
    final List<NDArray> arrays;
    boolean returnSequences = true;

    RecurrentSpec(
        GateLayout kind, int units, int directions, Activation activation, List<NDArray> arrays) {
      this.kind = kind;
      this.units = units;
      this.directions = directions;
      this.activation = activation;
      this.arrays = arrays;
    }

    @Override
    Layer layer() {
      RecurrentLayer r =
          switch (kind) {
            case LSTM -> new LSTM(units);
            case GRU -> new GRU(units);
            case SIMPLE -> new SimpleRNN(units).activation(activation);
          };
      r.returnSequences(returnSequences);
      return directions == 2 ? new Bidirectional(r) : r;
    }

    @Override
    List<NDArray> weights() {
      return arrays;
    }
  }

  /** Conv1D: kernel [k, channels, filters], optional bias, padding, stride, dilation. */
  static final class ConvSpec extends LayerSpec {
    final NDArray kernel;
    final NDArray bias;
    final int stride;
    final int dilation;
    final ConvPadding padding;
    Activation activation = Activation.LINEAR;

    ConvSpec(NDArray kernel, NDArray bias, int stride, int dilation, ConvPadding padding) {
      this.kernel = kernel;
      this.bias = bias;
      this.stride = stride;
      this.dilation = dilation;
      this.padding = padding;
    }

    @Override
    Layer layer() {
      return new Conv1D(kernel.dim(2), kernel.dim(0))
          .strides(stride)
          .dilationRate(dilation)
          .padding(padding)
          .activation(activation)
          .useBias(bias != null);
    }

    @Override
    List<NDArray> weights() {
      return bias == null ? List.of(kernel) : List.of(kernel, bias);
    }
  }

  /** Flatten: [time, features] samples to [time·features]. */
  static final class FlattenSpec extends LayerSpec {
    @Override
    Layer layer() {
      return new Flatten();
    }

    @Override
    List<NDArray> weights() {
      return List.of();
    }
  }
}
