package dev.timestep.backend.reference;

import dev.timestep.backend.StreamSlab;
import dev.timestep.backend.StreamStack;
import dev.timestep.tensor.Tensor;

/**
 * The reference of the fused streaming step: each stream walks the stack with the very step of
 * {@link RecurrentReference#forward} for recurrent layers and the matmul, bias and activation of
 * the reference dense path (each stored value rounded as those ops round it), so a stream's outputs
 * equal a reference batch forward over its history bit for bit.
 */
final class StreamStepReference {
  private StreamStepReference() {}

  static void run(
      ReferenceBackend b, StreamSlab slab, int[] slots, int count, float[] x, float[] y) {
    StreamStack stack = slab.stack();
    int f = stack.features();
    int o = stack.outputs();
    for (int i = 0; i < count; i++) {
      double[] in = new double[f];
      for (int k = 0; k < f; k++) {
        in[k] = b.round(x[i * f + k]);
      }
      Tensor row = stack.rowFloats() == 0 ? null : slab.row(slots[i]);
      for (StreamStack.Layer layer : stack.layers()) {
        if (layer.convolution()) {
          in = conv(b, layer, in, row);
        } else if (layer.kind() == null) {
          in = dense(b, layer, in);
        } else {
          in = recurrent(b, layer, in, ReferenceBackend.data(row), ReferenceBackend.off(row));
        }
      }
      for (int j = 0; j < o; j++) {
        y[i * o + j] = (float) in[j];
      }
    }
  }

  /** round(act(round(round(x · W) + b))), as matmul, addBias and activation store it. */
  private static double[] dense(ReferenceBackend b, StreamStack.Layer layer, double[] in) {
    double[] w = read(layer.kernel());
    int n = layer.units();
    double[] bias = layer.bias() == null ? null : read(layer.bias());
    double[] out = new double[n];
    for (int j = 0; j < n; j++) {
      double sum = 0;
      for (int k = 0; k < in.length; k++) {
        sum += in[k] * w[k * n + j];
      }
      double v = b.round(sum);
      if (bias != null) {
        v = b.round(v + bias[j]);
      }
      out[j] = b.round(layer.activation().apply(v));
    }
    return out;
  }

  /**
   * round(act(bias + sum over taps and channels)), as the reference conv1d computes one output
   * step; the taps are the queue in the row (oldest first) and the new input, and the queue then
   * moves on by one step.
   */
  private static double[] conv(
      ReferenceBackend b, StreamStack.Layer layer, double[] in, Tensor row) {
    int c = layer.inputs();
    int kept = (layer.kernelSize() - 1) * layer.dilation();
    double[] data = kept == 0 ? null : ReferenceBackend.data(row);
    int queue = kept == 0 ? 0 : ReferenceBackend.off(row) + layer.state();
    double[] window = new double[(kept + 1) * c];
    if (kept > 0) {
      System.arraycopy(data, queue, window, 0, kept * c);
    }
    System.arraycopy(in, 0, window, kept * c, c);
    double[] w = read(layer.kernel());
    double[] bias = layer.bias() == null ? null : read(layer.bias());
    int n = layer.units();
    double[] out = new double[n];
    for (int co = 0; co < n; co++) {
      double z = bias == null ? 0.0 : bias[co];
      for (int k = 0; k < layer.kernelSize(); k++) {
        int at = k * layer.dilation();
        for (int ci = 0; ci < c; ci++) {
          z += window[at * c + ci] * w[(k * c + ci) * n + co];
        }
      }
      out[co] = b.round(layer.activation().apply(z));
    }
    if (kept > 0) {
      System.arraycopy(window, c, data, queue, kept * c);
    }
    return out;
  }

  /** One step from the states at {@code at} in {@code row}, which it overwrites. */
  private static double[] recurrent(
      ReferenceBackend b, StreamStack.Layer layer, double[] in, double[] row, int at) {
    int h = layer.units();
    int start = at + layer.state();
    double[] hPrev = new double[h];
    System.arraycopy(row, start, hPrev, 0, h);
    double[] cPrev = null;
    if (layer.stateSizes().length == 2) {
      cPrev = new double[h];
      System.arraycopy(row, start + h, cPrev, 0, h);
    }
    double[][] next =
        RecurrentReference.step(
            b,
            layer.kind(),
            layer.activation(),
            in,
            hPrev,
            cPrev,
            read(layer.kernel()),
            read(layer.recurrent()),
            read(layer.bias()),
            layer.cellWeights() == null ? null : read(layer.cellWeights()));
    System.arraycopy(next[0], 0, row, start, h);
    if (next[1] != null) {
      System.arraycopy(next[1], 0, row, start + h, h);
    }
    return next[0];
  }

  private static double[] read(Tensor t) {
    double[] v = new double[(int) t.size()];
    System.arraycopy(ReferenceBackend.data(t), ReferenceBackend.off(t), v, 0, v.length);
    return v;
  }
}
