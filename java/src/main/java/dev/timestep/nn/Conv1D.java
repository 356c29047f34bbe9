package dev.timestep.nn;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Activation;
import dev.timestep.backend.Conv1dSpec;
import dev.timestep.backend.ConvPadding;
import dev.timestep.tensor.Shape;

/**
 * Keras' Conv1D over the time axis, one fused op (convolution + bias + activation) forward and one
 * backward: {@code filters} kernels of {@code kernelSize} steps, with stride, padding (valid, same,
 * causal) and dilation. Glorot-uniform kernel, zero bias, seeded. Takes any number of steps (valid
 * padding needs at least the kernel's span).
 */
public final class Conv1D implements Layer {
  private final int filters;
  private final int kernelSize;
  private int stride = 1;
  private int dilation = 1;
  private ConvPadding padding = ConvPadding.VALID;
  private Activation activation = Activation.LINEAR;
  private boolean useBias = true;
  private ParameterStore store;
  private int channels = -1;
  private int kernel;
  private int bias = -1;

  public Conv1D(int filters, int kernelSize) {
    if (filters < 1 || kernelSize < 1) {
      throw new IllegalArgumentException(
          "Conv1D: filters and kernel size must be at least 1, got " + filters + ", " + kernelSize);
    }
    this.filters = filters;
    this.kernelSize = kernelSize;
  }

  public Conv1D strides(int value) {
    requireNotBuilt();
    if (value < 1) {
      throw new IllegalArgumentException("Conv1D: stride must be at least 1, got " + value);
    }
    this.stride = value;
    return this;
  }

  public Conv1D dilationRate(int value) {
    requireNotBuilt();
    if (value < 1) {
      throw new IllegalArgumentException("Conv1D: dilation rate must be at least 1, got " + value);
    }
    this.dilation = value;
    return this;
  }

  public Conv1D padding(ConvPadding value) {
    requireNotBuilt();
    if (value == null) {
      throw new IllegalArgumentException("Conv1D: padding must not be null");
    }
    this.padding = value;
    return this;
  }

  public Conv1D activation(Activation value) {
    requireNotBuilt();
    if (value == null) {
      throw new IllegalArgumentException(
          "Conv1D: activation must not be null (use Activation.LINEAR)");
    }
    this.activation = value;
    return this;
  }

  public Conv1D useBias(boolean value) {
    requireNotBuilt();
    this.useBias = value;
    return this;
  }

  public int filters() {
    return filters;
  }

  public int kernelSize() {
    return kernelSize;
  }

  public int strides() {
    return stride;
  }

  public int dilationRate() {
    return dilation;
  }

  public ConvPadding padding() {
    return padding;
  }

  public Activation activation() {
    return activation;
  }

  public boolean useBias() {
    return useBias;
  }

  @Override
  public String name() {
    return "Conv1D("
        + filters
        + ", "
        + kernelSize
        + (stride > 1 ? ", strides " + stride : "")
        + (dilation > 1 ? ", dilation " + dilation : "")
        + ", "
        + padding.name().toLowerCase()
        + (activation == Activation.LINEAR ? "" : ", " + activation.name().toLowerCase())
        + ")";
  }

  @Override
  public Shape build(Shape inputShape, ParameterStore store) {
    Shape out = outputShape(inputShape);
    this.store = store;
    this.channels = inputShape.dim(1);
    // Keras' fans for a conv kernel: in = K·Cin, out = K·filters.
    kernel =
        store.declare(
            "conv1d/kernel",
            Shape.of(kernelSize, channels, filters),
            Initializer.glorotUniform((long) kernelSize * channels, (long) kernelSize * filters));
    if (useBias) {
      bias = store.declare("conv1d/bias", Shape.of(filters), Initializer.zeros());
    }
    return out;
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    if (inputShape.rank() != 2) {
      throw new IllegalArgumentException(
          name() + " takes samples of shape [time, channels] (a 3-D batch), got " + inputShape);
    }
    if (channels >= 0 && inputShape.dim(1) != channels) {
      throw new IllegalArgumentException(
          name()
              + " was built for "
              + channels
              + " channels per step but got "
              + inputShape.dim(1));
    }
    if (inputShape.dim(1) == 0) {
      throw new IllegalArgumentException(name() + ": the input has zero channels");
    }
    return Shape.of(spec(inputShape.dim(0)).outSteps(), filters);
  }

  private Conv1dSpec spec(int steps) {
    return padding.spec(steps, kernelSize, stride, dilation, activation);
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    if (store == null) {
      throw new IllegalStateException(name() + " is not built");
    }
    if (input.shape().rank() != 3) {
      throw new IllegalArgumentException(
          name() + " takes a 3-D input [batch, time, channels] but got " + input.shape());
    }
    outputShape(input.shape().dropFirst());
    return Ops.conv1d(
        tape,
        input,
        store.get(kernel),
        bias < 0 ? null : store.get(bias),
        spec(input.shape().dim(1)));
  }

  private void requireNotBuilt() {
    if (store != null) {
      throw new IllegalStateException(
          name() + ": settings must be chosen before the model is built");
    }
  }
}
