package dev.timestep.backend.reference;

import dev.timestep.backend.Activation;
import dev.timestep.backend.RecurrentKind;
import dev.timestep.backend.RecurrentParams;
import dev.timestep.tensor.Tensor;

/**
 * The reference forward and backward (BPTT) of the fused recurrent op, written literally from the
 * shared spec (the comment on ts_cpu_rnn_forward in cpu_api.h and {@link RecurrentKind}).
 *
 * <p>Shapes: x [B, T, F], h0 [B, H], the LSTM's c0 [B, H] (null: zeros), out [B, T, H], kernel W
 * [F, G·H], recurrent U [H, G·H], bias b [G·H], gate blocks contiguous columns of width H.
 * Everything is computed in double; every stored value (out, cache, gradients) goes through {@link
 * ReferenceBackend#round}, and the state carried to the next step is the stored (rounded) one, as
 * in the native kernels. Gradient outputs ACCUMULATE. Inputs are copied to plain arrays first so
 * the math below needs no offsets.
 */
final class RecurrentReference {
  /** Inside the square root of layer norm (Keras' default, TS_LAYER_NORM_EPSILON). */
  static final double LAYER_NORM_EPSILON = 1e-3;

  private RecurrentReference() {}

  // ---- forward ---------------------------------------------------------------------------

  static void forward(
      ReferenceBackend b,
      RecurrentKind kind,
      Activation activation,
      Tensor x,
      Tensor h0,
      Tensor c0,
      RecurrentParams w,
      Tensor out,
      Tensor cache) {
    Dims d = new Dims(kind, x, h0);
    double[] xs = read(x);
    double[] h0s = read(h0);
    double[] c0s = c0 == null ? new double[d.batch * d.units] : read(c0);
    double[] kernel = read(w.kernel());
    double[] recurrent = read(w.recurrent());
    double[] bias = read(w.bias());
    double[] recurrentBias = w.recurrentBias() == null ? null : read(w.recurrentBias());
    double[] layerNorm = w.layerNorm() == null ? null : read(w.layerNorm());
    double[] outs = new double[d.batch * d.steps * d.units];
    double[] caches = new double[d.batch * d.steps * d.row];

    for (int s = 0; s < d.batch; s++) {
      double[] hPrev = slice(h0s, s * d.units, d.units);
      for (int t = 0; t < d.steps; t++) {
        double[] xp = inputProjection(d, xs, kernel, bias, s, t);
        double[] hu = times(hPrev, recurrent, d.units, d.width);
        double[] row = new double[d.row];
        double[] h =
            switch (kind) {
              case SIMPLE -> simpleStep(activation, add(xp, hu));
              case LSTM ->
                  lstmStep(
                      d.units,
                      add(xp, hu),
                      t == 0
                          ? slice(c0s, s * d.units, d.units)
                          : cellOf(d, cacheRow(d, caches, s, t - 1)),
                      row);
              case GRU -> gruStep(d.units, xp, add(hu, recurrentBias), hPrev, row);
              case LAYER_NORM_SIMPLE -> layerNormStep(activation, add(xp, hu), layerNorm, row);
            };
        roundAll(b, h);
        roundAll(b, row);
        System.arraycopy(h, 0, outs, (s * d.steps + t) * d.units, d.units);
        System.arraycopy(row, 0, caches, (s * d.steps + t) * d.row, d.row);
        hPrev = h;
      }
    }
    write(outs, out);
    write(caches, cache);
  }

  /**
   * One step of one sample from its states, as {@link #forward} computes each step: x [F], h [H]
   * and, for the LSTM, c [H] are plain arrays of stored values; returns the new {h, c} (c null
   * except for the LSTM), rounded as stored.
   */
  static double[][] step(
      ReferenceBackend b,
      RecurrentKind kind,
      Activation activation,
      double[] x,
      double[] h,
      double[] c,
      double[] kernel,
      double[] recurrent,
      double[] bias,
      double[] cellWeights) {
    int units = h.length;
    int width = kind.gates() * units;
    double[] xp = add(times(x, kernel, x.length, width), bias);
    double[] hu = times(h, recurrent, units, width);
    double[] row = new double[kind.cacheRow(units)];
    double[] next =
        switch (kind) {
          case SIMPLE -> simpleStep(activation, add(xp, hu));
          case LSTM -> lstmStep(units, add(xp, hu), c, row);
          case GRU -> gruStep(units, xp, add(hu, cellWeights), h, row);
          case LAYER_NORM_SIMPLE -> layerNormStep(activation, add(xp, hu), cellWeights, row);
        };
    roundAll(b, next);
    roundAll(b, row);
    return new double[][] {next, kind == RecurrentKind.LSTM ? slice(row, 4 * units, units) : null};
  }

  /** h = act(a). */
  private static double[] simpleStep(Activation act, double[] a) {
    double[] h = new double[a.length];
    for (int j = 0; j < a.length; j++) {
      h[j] = act.apply(a[j]);
    }
    return h;
  }

  /** z = [z_i, z_f, z_g, z_o]; cPrev = c_{t-1} (c0 at t = 0). */
  private static double[] lstmStep(int units, double[] z, double[] cPrevs, double[] row) {
    double[] h = new double[units];
    for (int j = 0; j < units; j++) {
      double i = sigmoid(z[j]);
      double f = sigmoid(z[units + j]);
      double g = Math.tanh(z[2 * units + j]);
      double o = sigmoid(z[3 * units + j]);
      double cPrev = cPrevs[j];
      double c = f * cPrev + i * g;
      h[j] = o * Math.tanh(c);
      row[j] = i;
      row[units + j] = f;
      row[2 * units + j] = g;
      row[3 * units + j] = o;
      row[4 * units + j] = c;
    }
    return h;
  }

  /** xp = x·W + b, hp = h·U + rb, both [z | r | h] blocks; reset_after: r multiplies hp_h. */
  private static double[] gruStep(
      int units, double[] xp, double[] hp, double[] hPrev, double[] row) {
    double[] h = new double[units];
    for (int j = 0; j < units; j++) {
      double z = sigmoid(xp[j] + hp[j]);
      double r = sigmoid(xp[units + j] + hp[units + j]);
      double hh = hp[2 * units + j];
      double n = Math.tanh(xp[2 * units + j] + r * hh);
      h[j] = z * hPrev[j] + (1 - z) * n;
      row[j] = z;
      row[units + j] = r;
      row[2 * units + j] = n;
      row[3 * units + j] = hh;
    }
    return h;
  }

  /** h = act(gamma · xhat + beta), xhat = (a - mean) / sqrt(var + eps); row = [xhat, rstd]. */
  private static double[] layerNormStep(
      Activation act, double[] a, double[] gammaBeta, double[] row) {
    int units = a.length;
    double mean = 0;
    for (double v : a) {
      mean += v;
    }
    mean /= units;
    double var = 0;
    for (double v : a) {
      var += (v - mean) * (v - mean);
    }
    var /= units;
    double rstd = 1.0 / Math.sqrt(var + LAYER_NORM_EPSILON);
    double[] h = new double[units];
    for (int j = 0; j < units; j++) {
      double xhat = (a[j] - mean) * rstd;
      h[j] = act.apply(gammaBeta[j] * xhat + gammaBeta[units + j]);
      row[j] = xhat;
    }
    row[units] = rstd;
    return h;
  }

  // ---- backward --------------------------------------------------------------------------

  static void backward(
      ReferenceBackend b,
      RecurrentKind kind,
      Activation activation,
      Tensor x,
      Tensor h0,
      Tensor c0,
      RecurrentParams w,
      Tensor out,
      Tensor cache,
      Tensor dout,
      Tensor dcLast,
      Tensor dx,
      Tensor dh0,
      Tensor dc0,
      RecurrentParams grads) {
    Dims d = new Dims(kind, x, h0);
    double[] xs = read(x);
    double[] h0s = read(h0);
    double[] c0s = c0 == null ? new double[d.batch * d.units] : read(c0);
    double[] dcLasts = dcLast == null ? new double[d.batch * d.units] : read(dcLast);
    double[] kernel = read(w.kernel());
    double[] recurrent = read(w.recurrent());
    double[] layerNorm = w.layerNorm() == null ? null : read(w.layerNorm());
    // the gradient of the kind's own array: the GRU's recurrent bias or the LN cell's γβ
    double[] dCellWeights = new double[kind.cellWeightsSize(d.units)];
    double[] outs = read(out);
    double[] caches = read(cache);
    double[] douts = read(dout);

    double[] dXpAll = new double[d.batch * d.steps * d.width]; // rows (s, t), [B·T, G·H]
    double[] dRecurrent = new double[d.units * d.width];
    double[] dH0 = new double[d.batch * d.units];
    double[] dC0 = new double[d.batch * d.units];

    for (int s = 0; s < d.batch; s++) {
      double[] dhNext = new double[d.units];
      // LSTM only: at the last step, the gradient reaching the final cell state from outside
      double[] dcNext = slice(dcLasts, s * d.units, d.units);
      for (int t = d.steps - 1; t >= 0; t--) {
        double[] hPrev =
            t == 0
                ? slice(h0s, s * d.units, d.units)
                : slice(outs, (s * d.steps + t - 1) * d.units, d.units);
        double[] h = slice(outs, (s * d.steps + t) * d.units, d.units);
        double[] row = cacheRow(d, caches, s, t);
        double[] dh = add(slice(douts, (s * d.steps + t) * d.units, d.units), dhNext);
        double[] dXp = new double[d.width];
        double[] dRec = new double[d.width];
        double[] dhDirect = new double[d.units]; // GRU: dh * z reaches h_{t-1} directly
        switch (kind) {
          case SIMPLE -> simpleBack(activation, h, dh, dXp, dRec);
          case LSTM ->
              lstmBack(
                  d.units,
                  row,
                  t == 0
                      ? slice(c0s, s * d.units, d.units)
                      : cellOf(d, cacheRow(d, caches, s, t - 1)),
                  dh,
                  dcNext,
                  dXp,
                  dRec);
          case GRU -> gruBack(d.units, row, hPrev, dh, dXp, dRec, dhDirect);
          case LAYER_NORM_SIMPLE ->
              layerNormBack(activation, h, row, layerNorm, dh, dXp, dRec, dCellWeights);
        }
        // dU += h_{t-1}ᵀ · dRec
        for (int i = 0; i < d.units; i++) {
          for (int j = 0; j < d.width; j++) {
            dRecurrent[i * d.width + j] += hPrev[i] * dRec[j];
          }
        }
        if (kind == RecurrentKind.GRU) { // drb += colsum(dRec)
          for (int j = 0; j < d.width; j++) {
            dCellWeights[j] += dRec[j];
          }
        }
        // dh_next = dRec · Uᵀ (+ the GRU's direct path)
        for (int i = 0; i < d.units; i++) {
          double sum = dhDirect[i];
          for (int j = 0; j < d.width; j++) {
            sum += dRec[j] * recurrent[i * d.width + j];
          }
          dhNext[i] = sum;
        }
        System.arraycopy(dXp, 0, dXpAll, (s * d.steps + t) * d.width, d.width);
      }
      System.arraycopy(dhNext, 0, dH0, s * d.units, d.units);
      System.arraycopy(dcNext, 0, dC0, s * d.units, d.units);
    }

    int rows = d.batch * d.steps;
    // dW += xᵀ · dXp_all, db += colsum(dXp_all), dx += dXp_all · Wᵀ
    double[] dKernel = new double[d.features * d.width];
    double[] dBias = new double[d.width];
    double[] dX = new double[rows * d.features];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < d.width; j++) {
        double g = dXpAll[r * d.width + j];
        dBias[j] += g;
        for (int f = 0; f < d.features; f++) {
          dKernel[f * d.width + j] += xs[r * d.features + f] * g;
          dX[r * d.features + f] += g * kernel[f * d.width + j];
        }
      }
    }
    accumulate(b, dKernel, grads.kernel());
    accumulate(b, dRecurrent, grads.recurrent());
    accumulate(b, dBias, grads.bias());
    if (grads.cellWeights() != null && dCellWeights.length > 0) {
      accumulate(b, dCellWeights, grads.cellWeights());
    }
    if (dx != null) {
      accumulate(b, dX, dx);
    }
    if (dh0 != null) {
      accumulate(b, dH0, dh0);
    }
    if (dc0 != null) {
      accumulate(b, dC0, dc0);
    }
  }

  /** da = dh · act'(h), written through the output h. */
  private static void simpleBack(
      Activation act, double[] h, double[] dh, double[] dXp, double[] dRec) {
    for (int j = 0; j < h.length; j++) {
      double da = dh[j] * act.slopeFromOutput(h[j]);
      dXp[j] = da;
      dRec[j] = da;
    }
  }

  /** cPrevs = c_{t-1} (c0 at t = 0). Updates dcNext in place (it becomes dc · f for step t - 1). */
  private static void lstmBack(
      int units,
      double[] row,
      double[] cPrevs,
      double[] dh,
      double[] dcNext,
      double[] dXp,
      double[] dRec) {
    for (int j = 0; j < units; j++) {
      double i = row[j];
      double f = row[units + j];
      double g = row[2 * units + j];
      double o = row[3 * units + j];
      double c = row[4 * units + j];
      double cPrev = cPrevs[j];
      double tc = Math.tanh(c);
      double dO = dh[j] * tc;
      double dc = dcNext[j] + dh[j] * o * (1 - tc * tc);
      double di = dc * g;
      double df = dc * cPrev;
      double dg = dc * i;
      dcNext[j] = dc * f;
      dXp[j] = di * i * (1 - i);
      dXp[units + j] = df * f * (1 - f);
      dXp[2 * units + j] = dg * (1 - g * g);
      dXp[3 * units + j] = dO * o * (1 - o);
    }
    System.arraycopy(dXp, 0, dRec, 0, dXp.length);
  }

  private static void gruBack(
      int units,
      double[] row,
      double[] hPrev,
      double[] dh,
      double[] dXp,
      double[] dRec,
      double[] dhDirect) {
    for (int j = 0; j < units; j++) {
      double z = row[j];
      double r = row[units + j];
      double n = row[2 * units + j];
      double hh = row[3 * units + j];
      double dn = dh[j] * (1 - z);
      double dz = dh[j] * (hPrev[j] - n);
      dhDirect[j] = dh[j] * z;
      double dan = dn * (1 - n * n);
      double dr = dan * hh;
      double dar = dr * r * (1 - r);
      double daz = dz * z * (1 - z);
      dXp[j] = daz;
      dXp[units + j] = dar;
      dXp[2 * units + j] = dan;
      dRec[j] = daz;
      dRec[units + j] = dar;
      dRec[2 * units + j] = dan * r;
    }
  }

  /** gammaBeta = [gamma | beta]; adds dgamma and dbeta into dExtra. */
  private static void layerNormBack(
      Activation act,
      double[] h,
      double[] row,
      double[] gammaBeta,
      double[] dh,
      double[] dXp,
      double[] dRec,
      double[] dExtra) {
    int units = h.length;
    double rstd = row[units];
    double[] dxhat = new double[units];
    double meanDxhat = 0;
    double meanDxhatXhat = 0;
    for (int j = 0; j < units; j++) {
      double xhat = row[j];
      double dy = dh[j] * act.slopeFromOutput(h[j]);
      dExtra[j] += dy * xhat;
      dExtra[units + j] += dy;
      dxhat[j] = dy * gammaBeta[j];
      meanDxhat += dxhat[j];
      meanDxhatXhat += dxhat[j] * xhat;
    }
    meanDxhat /= units;
    meanDxhatXhat /= units;
    for (int j = 0; j < units; j++) {
      double da = rstd * (dxhat[j] - meanDxhat - row[j] * meanDxhatXhat);
      dXp[j] = da;
      dRec[j] = da;
    }
  }

  // ---- small helpers ---------------------------------------------------------------------

  /** The sizes of one call: B, T, F, H, G·H and the cache row length. */
  private record Dims(int batch, int steps, int features, int units, int width, int row) {
    Dims(RecurrentKind kind, Tensor x, Tensor h0) {
      this(
          x.dim(0),
          x.dim(1),
          x.dim(2),
          h0.dim(1),
          kind.gates() * h0.dim(1),
          kind.cacheRow(h0.dim(1)));
    }
  }

  /** xp = x[s, t] · W + b, length G·H. */
  private static double[] inputProjection(
      Dims d, double[] xs, double[] kernel, double[] bias, int s, int t) {
    double[] xt = slice(xs, (s * d.steps + t) * d.features, d.features);
    return add(times(xt, kernel, d.features, d.width), bias);
  }

  /** v · M for a row vector v [n] and a row-major matrix M [n, m]. */
  private static double[] times(double[] v, double[] m, int n, int cols) {
    double[] y = new double[cols];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < cols; j++) {
        y[j] += v[i] * m[i * cols + j];
      }
    }
    return y;
  }

  /** a + b elementwise over a's length (b may be longer, or empty to mean zero). */
  private static double[] add(double[] a, double[] b) {
    double[] y = a.clone();
    for (int i = 0; i < a.length && i < b.length; i++) {
      y[i] += b[i];
    }
    return y;
  }

  private static double sigmoid(double v) {
    return 1.0 / (1.0 + Math.exp(-v));
  }

  private static double[] cacheRow(Dims d, double[] caches, int s, int t) {
    return slice(caches, (s * d.steps + t) * d.row, d.row);
  }

  /** The LSTM's c_t in a cache row [i, f, g, o, c]. */
  private static double[] cellOf(Dims d, double[] row) {
    return slice(row, 4 * d.units, d.units);
  }

  private static double[] slice(double[] a, int from, int length) {
    double[] y = new double[length];
    System.arraycopy(a, from, y, 0, length);
    return y;
  }

  private static void roundAll(ReferenceBackend b, double[] values) {
    for (int i = 0; i < values.length; i++) {
      values[i] = b.round(values[i]);
    }
  }

  /** A copy of the tensor's values. */
  private static double[] read(Tensor t) {
    return slice(ReferenceBackend.data(t), ReferenceBackend.off(t), (int) t.size());
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
