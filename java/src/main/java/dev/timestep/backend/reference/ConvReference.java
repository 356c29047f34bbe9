package dev.timestep.backend.reference;

import dev.timestep.backend.Activation;
import dev.timestep.backend.Conv1dSpec;
import dev.timestep.tensor.Tensor;

/**
 * The reference forward and backward of the fused Conv1D op, written literally from the shared spec
 * (the comment on ts_cpu_conv1d in cpu_api.h, which the native kernels follow too):
 *
 * <pre>
 *   z[b,t,co] = bias[co] + sum_{k<K} sum_{ci<Cin} xpad(b, t*s + k*d - p, ci) * W[k,ci,co]
 *   y = act(z),   xpad(b, i, ci) = x[b,i,ci] for 0 <= i < T, else 0
 *   dz = dy * act'(y)   (slope from the output)
 *   dW[k,ci,co] += sum_{b,t} xpad(b, t*s+k*d-p, ci) * dz[b,t,co]
 *   dbias[co]   += sum_{b,t} dz[b,t,co]
 *   dx[b,i,ci]  += sum over (t,k) with i = t*s+k*d-p, 0 <= i < T, of sum_co dz[b,t,co] * W[k,ci,co]
 * </pre>
 *
 * <p>Shapes: x [B, T, Cin], kernel [K, Cin, Cout], bias [Cout] or null, y and dy [B, Tout, Cout].
 * Sums run in double; every stored value goes through {@link ReferenceBackend#round} once. Gradient
 * outputs ACCUMULATE; dx and dbias may be null. Inputs are copied to plain arrays first so the
 * loops need no offsets.
 */
final class ConvReference {
  private ConvReference() {}

  static void forward(
      ReferenceBackend b, Tensor x, Tensor kernel, Tensor bias, Conv1dSpec spec, Tensor y) {
    Dims d = new Dims(x, kernel, spec);
    double[] xs = read(x);
    double[] w = read(kernel);
    double[] bs = bias == null ? null : read(bias);
    Activation act = spec.activation();
    double[] ys = new double[d.batch * d.outSteps * d.cout];
    for (int s = 0; s < d.batch; s++) {
      for (int t = 0; t < d.outSteps; t++) {
        for (int co = 0; co < d.cout; co++) {
          double z = bs == null ? 0.0 : bs[co];
          for (int k = 0; k < d.kernelSize; k++) {
            int i = d.inputStep(t, k);
            if (i < 0 || i >= d.steps) {
              continue; // zero padding
            }
            for (int ci = 0; ci < d.cin; ci++) {
              z += xs[(s * d.steps + i) * d.cin + ci] * w[(k * d.cin + ci) * d.cout + co];
            }
          }
          ys[(s * d.outSteps + t) * d.cout + co] = b.round(act.apply(z));
        }
      }
    }
    write(ys, y);
  }

  static void backward(
      ReferenceBackend b,
      Tensor x,
      Tensor kernel,
      Tensor y,
      Tensor dy,
      Conv1dSpec spec,
      Tensor dx,
      Tensor dkernel,
      Tensor dbias) {
    Dims d = new Dims(x, kernel, spec);
    double[] xs = read(x);
    double[] w = read(kernel);
    double[] ys = read(y);
    double[] dys = read(dy);
    Activation act = spec.activation();

    double[] dz = new double[ys.length];
    for (int j = 0; j < dz.length; j++) {
      dz[j] = dys[j] * act.slopeFromOutput(ys[j]);
    }

    double[] dW = new double[d.kernelSize * d.cin * d.cout];
    double[] dB = new double[d.cout];
    double[] dX = new double[d.batch * d.steps * d.cin];
    for (int s = 0; s < d.batch; s++) {
      for (int t = 0; t < d.outSteps; t++) {
        int row = (s * d.outSteps + t) * d.cout;
        for (int co = 0; co < d.cout; co++) {
          dB[co] += dz[row + co];
        }
        for (int k = 0; k < d.kernelSize; k++) {
          int i = d.inputStep(t, k);
          if (i < 0 || i >= d.steps) {
            continue; // padding: no input there, nothing to differentiate
          }
          for (int ci = 0; ci < d.cin; ci++) {
            int xi = (s * d.steps + i) * d.cin + ci;
            int wRow = (k * d.cin + ci) * d.cout;
            double xv = xs[xi];
            double back = 0.0;
            for (int co = 0; co < d.cout; co++) {
              dW[wRow + co] += xv * dz[row + co];
              back += dz[row + co] * w[wRow + co];
            }
            dX[xi] += back;
          }
        }
      }
    }
    accumulate(b, dW, dkernel);
    if (dbias != null) {
      accumulate(b, dB, dbias);
    }
    if (dx != null) {
      accumulate(b, dX, dx);
    }
  }

  /** The sizes of one call, read from the (already validated) tensors and settings. */
  private static final class Dims {
    final int batch;
    final int steps;
    final int cin;
    final int cout;
    final int kernelSize;
    final int stride;
    final int dilation;
    final int padLeft;
    final int outSteps;

    Dims(Tensor x, Tensor kernel, Conv1dSpec spec) {
      batch = x.dim(0);
      steps = x.dim(1);
      cin = x.dim(2);
      cout = kernel.dim(2);
      kernelSize = spec.kernelSize();
      stride = spec.stride();
      dilation = spec.dilation();
      padLeft = spec.padLeft();
      outSteps = spec.outSteps();
    }

    /** The input step output step t reads through kernel tap k (may lie in the padding). */
    int inputStep(int t, int k) {
      return t * stride + k * dilation - padLeft;
    }
  }

  /** A copy of the tensor's values. */
  private static double[] read(Tensor t) {
    double[] out = new double[(int) t.size()];
    System.arraycopy(ReferenceBackend.data(t), ReferenceBackend.off(t), out, 0, out.length);
    return out;
  }

  /** Overwrites the first values.length elements of t (the values are already rounded). */
  private static void write(double[] values, Tensor t) {
    System.arraycopy(values, 0, ReferenceBackend.data(t), ReferenceBackend.off(t), values.length);
  }

  /** t += delta, rounded once per element. */
  private static void accumulate(ReferenceBackend b, double[] delta, Tensor t) {
    double[] data = ReferenceBackend.data(t);
    int o = ReferenceBackend.off(t);
    for (int i = 0; i < delta.length; i++) {
      data[o + i] = b.round(data[o + i] + delta[i]);
    }
  }
}
