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
        in =
            layer.kind() == null
                ? dense(b, layer, in)
                : recurrent(b, layer, in, ReferenceBackend.data(row), ReferenceBackend.off(row));
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

  /** One step from the states at {@code at} in {@code row}, which it overwrites. */
  private static double[] recurrent(
      ReferenceBackend b, StreamStack.Layer layer, double[] in, double[] row, int at) {
    int h = layer.units();
    int start = at + layer.state();
    double[] hPrev = new double[h];
    System.arraycopy(row, start, hPrev, 0, h);
    double[] cPrev = null;
    if (layer.stateCount() == 2) {
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
