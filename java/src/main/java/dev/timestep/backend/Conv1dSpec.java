package dev.timestep.backend;

/**
 * The integer settings of one fused Conv1D call: output step t reads input steps t·stride +
 * k·dilation - padLeft for k < kernelSize (zeros outside the input), then {@code activation}. Build
 * it with {@link ConvPadding#spec}.
 */
public record Conv1dSpec(
    int kernelSize, int stride, int dilation, int padLeft, int outSteps, Activation activation) {
  public Conv1dSpec {
    if (kernelSize < 1
        || stride < 1
        || dilation < 1
        || padLeft < 0
        || outSteps < 1
        || activation == null) {
      throw new IllegalArgumentException(
          "Conv1D: bad settings kernel="
              + kernelSize
              + " stride="
              + stride
              + " dilation="
              + dilation
              + " padLeft="
              + padLeft
              + " outSteps="
              + outSteps
              + " activation="
              + activation);
    }
  }
}
