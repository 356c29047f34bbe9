package dev.timestep.onnx;

/**
 * How a recurrent layer's gate blocks sit in Keras' layout (Timestep's) and in ONNX's, and the
 * conversions between the two. Keras keeps a kernel as {@code [inputs, gates·H]} (a product {@code
 * x·W}); ONNX keeps {@code [gates·H, inputs]} ({@code W·x}), with the LSTM's blocks in another
 * order: Keras i, f, c, o and ONNX i, o, f, c. The GRU's blocks are z, r, h in both; a SimpleRNN
 * has one block.
 */
enum GateLayout {
  SIMPLE(new int[] {0}),
  LSTM(new int[] {0, 3, 1, 2}),
  GRU(new int[] {0, 1, 2});

  /** ONNX block j is Keras block {@code kerasBlock[j]}. */
  private final int[] kerasBlock;

  GateLayout(int[] kerasBlock) {
    this.kerasBlock = kerasBlock;
  }

  int gates() {
    return kerasBlock.length;
  }

  /** A Keras kernel {@code [rows, gates·h]} as ONNX's {@code [gates·h, rows]}. */
  float[] toOnnx(float[] kernel, int rows, int h) {
    int g = gates();
    float[] w = new float[kernel.length];
    for (int j = 0; j < g; j++) {
      int from = kerasBlock[j] * h;
      for (int u = 0; u < h; u++) {
        for (int r = 0; r < rows; r++) {
          w[(j * h + u) * rows + r] = kernel[r * g * h + from + u];
        }
      }
    }
    return w;
  }

  /** ONNX's {@code [gates·h, rows]} (starting at {@code offset}) as a Keras kernel. */
  float[] fromOnnx(float[] w, int offset, int rows, int h) {
    int g = gates();
    float[] kernel = new float[g * h * rows];
    for (int j = 0; j < g; j++) {
      int to = kerasBlock[j] * h;
      for (int u = 0; u < h; u++) {
        for (int r = 0; r < rows; r++) {
          kernel[r * g * h + to + u] = w[offset + (j * h + u) * rows + r];
        }
      }
    }
    return kernel;
  }

  /** A Keras bias vector {@code [gates·h]} in ONNX's block order. */
  float[] biasToOnnx(float[] bias, int offset, int h) {
    int g = gates();
    float[] b = new float[g * h];
    for (int j = 0; j < g; j++) {
      System.arraycopy(bias, offset + kerasBlock[j] * h, b, j * h, h);
    }
    return b;
  }

  /** An ONNX bias vector {@code [gates·h]} (at {@code offset}) in Keras' block order. */
  float[] biasFromOnnx(float[] b, int offset, int h) {
    int g = gates();
    float[] bias = new float[g * h];
    for (int j = 0; j < g; j++) {
      System.arraycopy(b, offset + j * h, bias, kerasBlock[j] * h, h);
    }
    return bias;
  }
}
