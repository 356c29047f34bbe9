package dev.timestep.backend;

/** Keras' Conv1D padding modes and the output length each gives. */
public enum ConvPadding {
  /** No padding: the kernel stays inside the input. */
  VALID,
  /** Zeros on both sides so that the output has ceil(T / stride) steps. */
  SAME,
  /** Zeros on the left only ((kernel-1)·dilation of them): output step t sees inputs <= t. */
  CAUSAL;

  /** The longest dilated kernel span, (kernelSize - 1)·dilation + 1, accepted: 2^20 steps. */
  public static final int MAX_SPAN = 1 << 20;

  /** The convolution of a sequence of {@code steps} with these settings, or a clear error. */
  public Conv1dSpec spec(
      int steps, int kernelSize, int stride, int dilation, Activation activation) {
    if (kernelSize < 1 || stride < 1 || dilation < 1) {
      throw new IllegalArgumentException(
          "Conv1D: kernel size, stride and dilation must be at least 1, got "
              + kernelSize
              + ", "
              + stride
              + ", "
              + dilation);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("Conv1D: the input has zero time steps");
    }
    long reach = (long) dilation * (kernelSize - 1) + 1; // input steps one output step sees
    if (reach > MAX_SPAN) {
      // the native kernels stage a zero-padded window of the span in memory; this also keeps
      // every position (padding + steps + span) inside int arithmetic
      throw new IllegalArgumentException(
          "Conv1D: a kernel of "
              + kernelSize
              + " with dilation "
              + dilation
              + " spans "
              + reach
              + " steps; at most "
              + MAX_SPAN
              + " are supported");
    }
    if (steps > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException(
          "Conv1D: "
              + steps
              + " time steps are more than the "
              + Integer.MAX_VALUE / 2
              + " supported");
    }
    int span = (int) reach;
    return switch (this) {
      case VALID -> {
        if (steps < span) {
          throw new IllegalArgumentException(
              "Conv1D: a kernel of "
                  + kernelSize
                  + " with dilation "
                  + dilation
                  + " spans "
                  + span
                  + " steps, longer than the valid-padded input of "
                  + steps
                  + " steps");
        }
        yield new Conv1dSpec(
            kernelSize, stride, dilation, 0, (steps - span) / stride + 1, activation);
      }
      case SAME -> {
        int out = (int) (((long) steps + stride - 1) / stride);
        int total = Math.max((out - 1) * stride + span - steps, 0);
        yield new Conv1dSpec(kernelSize, stride, dilation, total / 2, out, activation);
      }
      case CAUSAL ->
          new Conv1dSpec(
              kernelSize, stride, dilation, span - 1, (steps - 1) / stride + 1, activation);
    };
  }
}
