package dev.timestep.backend.reference;

import dev.timestep.backend.AbstractBackend;
import dev.timestep.backend.Activation;
import dev.timestep.backend.Conv1dSpec;
import dev.timestep.backend.ElementwiseLoss;
import dev.timestep.backend.MemoryLimit;
import dev.timestep.backend.RecurrentKind;
import dev.timestep.backend.RecurrentParams;
import dev.timestep.backend.StreamSlab;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Storage;
import dev.timestep.tensor.Tensor;

/**
 * The oracle: plain, obviously-correct Java. Values are held in doubles and every result is rounded
 * to float32 ({@link #float32()}), so it behaves like the native backends but with double
 * accumulation; {@link #float64()} skips the rounding, for finite-difference checks.
 */
public final class ReferenceBackend extends AbstractBackend {
  private static final ReferenceBackend FLOAT32 = new ReferenceBackend(false);
  private static final ReferenceBackend FLOAT64 = new ReferenceBackend(true);

  private final boolean float64;

  private ReferenceBackend(boolean float64) {
    this.float64 = float64;
  }

  /** The reference backend used for training and as the oracle. */
  public static ReferenceBackend float32() {
    return FLOAT32;
  }

  /** Double precision throughout: only for gradient checks by finite differences. */
  public static ReferenceBackend float64() {
    return FLOAT64;
  }

  @Override
  public String name() {
    return float64 ? "reference64" : "reference";
  }

  @Override
  public String description() {
    return float64
        ? "pure Java, float64 (gradient checks)"
        : "pure Java reference (float32, double accumulation)";
  }

  double round(double v) {
    return float64 ? v : (double) (float) v;
  }

  static double[] data(Tensor t) {
    return ((HeapStorage) t.storage()).values();
  }

  static int off(Tensor t) {
    return (int) t.offset();
  }

  /** Direct double access for tests that need float64 inputs (gradient checks). */
  public double get(Tensor t, long i) {
    local(t, "get");
    checkIndex(t, i);
    return data(t)[off(t) + (int) i];
  }

  /** Direct double access for tests that need float64 inputs (gradient checks). */
  public void set(Tensor t, long i, double value) {
    local(t, "set");
    checkIndex(t, i);
    data(t)[off(t) + (int) i] = round(value);
  }

  private static void checkIndex(Tensor t, long i) {
    if (i < 0 || i >= t.size()) {
      throw new IndexOutOfBoundsException("index " + i + " outside tensor " + t.shape());
    }
  }

  /** One Java double[] per tensor (8 bytes a value), within the heap. */
  @Override
  protected MemoryLimit memoryLimit() {
    long heap = Runtime.getRuntime().maxMemory();
    return new MemoryLimit(
        Math.min(NDArray.MAX_VALUES, heap / Double.BYTES),
        "one Java double[] per tensor (at most "
            + NDArray.MAX_VALUES
            + " values) in a heap of "
            + MemoryLimit.gibibytes(heap));
  }

  @Override
  protected Storage newStorage(long floats) {
    return new HeapStorage(floats, name());
  }

  @Override
  protected void runUpload(float[] src, Tensor dst) {
    double[] d = data(dst);
    int o = off(dst);
    for (int i = 0; i < src.length; i++) {
      d[o + i] = src[i];
    }
  }

  @Override
  protected void runDownload(Tensor src, float[] dst) {
    double[] s = data(src);
    int o = off(src);
    for (int i = 0; i < dst.length; i++) {
      dst[i] = (float) s[o + i];
    }
  }

  @Override
  protected void runFill(Tensor t, float value) {
    double[] d = data(t);
    int o = off(t);
    for (int i = 0; i < t.size(); i++) {
      d[o + i] = value;
    }
  }

  @Override
  protected void runCopy(Tensor src, Tensor dst) {
    System.arraycopy(data(src), off(src), data(dst), off(dst), (int) src.size());
  }

  @Override
  protected void runAccumulate(Tensor src, Tensor dst) {
    double[] s = data(src);
    double[] d = data(dst);
    for (int i = 0; i < src.size(); i++) {
      d[off(dst) + i] = round(d[off(dst) + i] + s[off(src) + i]);
    }
  }

  @Override
  protected void runGatherRows(Tensor src, int[] rows, int from, int count, Tensor dst) {
    int row = (int) src.shape().rowSize();
    for (int i = 0; i < count; i++) {
      System.arraycopy(
          data(src), off(src) + rows[from + i] * row, data(dst), off(dst) + i * row, row);
    }
  }

  @Override
  protected void runMatmul(
      Tensor a,
      boolean ta,
      Tensor b,
      boolean tb,
      Tensor c,
      int m,
      int n,
      int k,
      boolean accumulate) {
    double[] ad = data(a);
    double[] bd = data(b);
    double[] cd = data(c);
    int ao = off(a);
    int bo = off(b);
    int co = off(c);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = accumulate ? cd[co + i * n + j] : 0.0;
        for (int p = 0; p < k; p++) {
          double av = ta ? ad[ao + p * m + i] : ad[ao + i * k + p];
          double bv = tb ? bd[bo + j * k + p] : bd[bo + p * n + j];
          sum += av * bv;
        }
        cd[co + i * n + j] = round(sum);
      }
    }
  }

  @Override
  protected void runAddBias(Tensor x, Tensor bias, Tensor y, long rows, int cols) {
    double[] xd = data(x);
    double[] bd = data(bias);
    double[] yd = data(y);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        yd[off(y) + r * cols + c] = round(xd[off(x) + r * cols + c] + bd[off(bias) + c]);
      }
    }
  }

  @Override
  protected void runBiasGrad(Tensor dy, Tensor dbias, long rows, int cols) {
    double[] g = data(dy);
    double[] db = data(dbias);
    for (int c = 0; c < cols; c++) {
      double sum = 0;
      for (int r = 0; r < rows; r++) {
        sum += g[off(dy) + r * cols + c];
      }
      db[off(dbias) + c] = round(db[off(dbias) + c] + sum);
    }
  }

  @Override
  protected void runAdd(Tensor a, Tensor b, Tensor y) {
    for (int i = 0; i < a.size(); i++) {
      data(y)[off(y) + i] = round(data(a)[off(a) + i] + data(b)[off(b) + i]);
    }
  }

  @Override
  protected void runMul(Tensor a, Tensor b, Tensor y) {
    for (int i = 0; i < a.size(); i++) {
      data(y)[off(y) + i] = round(data(a)[off(a) + i] * data(b)[off(b) + i]);
    }
  }

  @Override
  protected void runMulGrad(Tensor dy, Tensor other, Tensor dx) {
    for (int i = 0; i < dy.size(); i++) {
      int d = off(dx) + i;
      data(dx)[d] = round(data(dx)[d] + data(dy)[off(dy) + i] * data(other)[off(other) + i]);
    }
  }

  @Override
  protected void runActivation(Activation kind, Tensor x, Tensor y) {
    for (int i = 0; i < x.size(); i++) {
      data(y)[off(y) + i] = round(kind.apply(data(x)[off(x) + i]));
    }
  }

  @Override
  protected void runActivationGrad(Activation kind, Tensor y, Tensor dy, Tensor dx) {
    for (int i = 0; i < y.size(); i++) {
      int d = off(dx) + i;
      double slope = kind.slopeFromOutput(data(y)[off(y) + i]);
      data(dx)[d] = round(data(dx)[d] + data(dy)[off(dy) + i] * slope);
    }
  }

  @Override
  protected void runTimeStep(Tensor x, Tensor y, int batch, int steps, int features, int step) {
    for (int b = 0; b < batch; b++) {
      System.arraycopy(
          data(x),
          off(x) + (b * steps + step) * features,
          data(y),
          off(y) + b * features,
          features);
    }
  }

  @Override
  protected void runTimeStepGrad(
      Tensor dy, Tensor dx, int batch, int steps, int features, int step) {
    for (int b = 0; b < batch; b++) {
      for (int f = 0; f < features; f++) {
        int d = off(dx) + (b * steps + step) * features + f;
        data(dx)[d] = round(data(dx)[d] + data(dy)[off(dy) + b * features + f]);
      }
    }
  }

  @Override
  protected void runMse(Tensor pred, Tensor target, Tensor loss) {
    double sum = 0;
    for (int i = 0; i < pred.size(); i++) {
      double d = data(pred)[off(pred) + i] - data(target)[off(target) + i];
      sum += d * d;
    }
    data(loss)[off(loss)] = round(sum / pred.size());
  }

  @Override
  protected void runElementwiseLoss(
      ElementwiseLoss kind, float[] params, Tensor pred, Tensor target, Tensor loss) {
    int k = params.length;
    double sum = 0;
    for (int t = 0; t < target.size(); t++) {
      double y = data(target)[off(target) + t];
      for (int i = 0; i < k; i++) {
        sum += kind.value(data(pred)[off(pred) + t * k + i], y, params[i]);
      }
    }
    data(loss)[off(loss)] = round(sum / ((double) target.size() * k));
  }

  @Override
  protected void runElementwiseLossGrad(
      ElementwiseLoss kind,
      float[] params,
      Tensor pred,
      Tensor target,
      Tensor dloss,
      Tensor dpred,
      Tensor dtarget) {
    int k = params.length;
    double scale = data(dloss)[off(dloss)] / ((double) target.size() * k);
    for (int t = 0; t < target.size(); t++) {
      double y = data(target)[off(target) + t];
      double targetSlope = 0;
      for (int i = 0; i < k; i++) {
        double[] slopes = kind.slopes(data(pred)[off(pred) + t * k + i], y, params[i]);
        if (dpred != null) {
          int d = off(dpred) + t * k + i;
          data(dpred)[d] = round(data(dpred)[d] + scale * slopes[0]);
        }
        targetSlope += slopes[1];
      }
      if (dtarget != null) {
        int d = off(dtarget) + t;
        data(dtarget)[d] = round(data(dtarget)[d] + scale * targetSlope);
      }
    }
  }

  @Override
  protected void runSum(Tensor x, Tensor y) {
    double sum = 0;
    for (int i = 0; i < x.size(); i++) {
      sum += data(x)[off(x) + i];
    }
    data(y)[off(y)] = round(sum);
  }

  @Override
  protected void runSumGrad(Tensor dy, Tensor dx) {
    double upstream = data(dy)[off(dy)];
    for (int i = 0; i < dx.size(); i++) {
      int d = off(dx) + i;
      data(dx)[d] = round(data(dx)[d] + upstream);
    }
  }

  @Override
  protected void runMseGrad(Tensor pred, Tensor target, Tensor dloss, Tensor dpred) {
    double upstream = data(dloss)[off(dloss)];
    double n = pred.size();
    for (int i = 0; i < pred.size(); i++) {
      int d = off(dpred) + i;
      double diff = data(pred)[off(pred) + i] - data(target)[off(target) + i];
      data(dpred)[d] = round(data(dpred)[d] + upstream * 2.0 * diff / n);
    }
  }

  @Override
  protected void runLayerNorm(
      Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor xhat, Tensor rstd, long rows, int n) {
    double eps = 1e-3; // Keras' LayerNormalization default
    for (int r = 0; r < rows; r++) {
      int base = r * n;
      double mean = 0;
      for (int j = 0; j < n; j++) {
        mean += data(x)[off(x) + base + j];
      }
      mean /= n;
      double var = 0;
      for (int j = 0; j < n; j++) {
        double d = data(x)[off(x) + base + j] - mean;
        var += d * d;
      }
      double inv = round(1.0 / Math.sqrt(var / n + eps));
      data(rstd)[off(rstd) + r] = inv;
      for (int j = 0; j < n; j++) {
        double h = round((data(x)[off(x) + base + j] - mean) * inv);
        data(xhat)[off(xhat) + base + j] = h;
        data(y)[off(y) + base + j] =
            round(data(gamma)[off(gamma) + j] * h + data(beta)[off(beta) + j]);
      }
    }
  }

  @Override
  protected void runLayerNormGrad(
      Tensor dy,
      Tensor xhat,
      Tensor rstd,
      Tensor gamma,
      Tensor dx,
      Tensor dgamma,
      Tensor dbeta,
      long rows,
      int n) {
    for (int r = 0; r < rows; r++) {
      int base = r * n;
      double sumDxhat = 0;
      double sumDxhatXhat = 0;
      for (int j = 0; j < n; j++) {
        double g = data(dy)[off(dy) + base + j];
        double h = data(xhat)[off(xhat) + base + j];
        double dxhat = g * data(gamma)[off(gamma) + j];
        sumDxhat += dxhat;
        sumDxhatXhat += dxhat * h;
        data(dgamma)[off(dgamma) + j] = round(data(dgamma)[off(dgamma) + j] + g * h);
        data(dbeta)[off(dbeta) + j] = round(data(dbeta)[off(dbeta) + j] + g);
      }
      double inv = data(rstd)[off(rstd) + r];
      for (int j = 0; j < n; j++) {
        double dxhat = data(dy)[off(dy) + base + j] * data(gamma)[off(gamma) + j];
        double h = data(xhat)[off(xhat) + base + j];
        int d = off(dx) + base + j;
        data(dx)[d] = round(data(dx)[d] + inv * (dxhat - sumDxhat / n - h * sumDxhatXhat / n));
      }
    }
  }

  @Override
  protected void runBatchNorm(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor y,
      Tensor xhat,
      Tensor mean,
      Tensor var,
      Tensor rstd,
      long rows,
      int channels) {
    double eps = 1e-3; // Keras' BatchNormalization default
    double[] xd = data(x);
    int xo = off(x);
    int n = Math.toIntExact(rows);
    for (int c = 0; c < channels; c++) {
      double mu = 0;
      for (int r = 0; r < n; r++) {
        mu += xd[xo + r * channels + c];
      }
      mu /= n;
      double sq = 0;
      for (int r = 0; r < n; r++) {
        double d = xd[xo + r * channels + c] - mu;
        sq += d * d;
      }
      double v = sq / n;
      double inv = round(1.0 / Math.sqrt(v + eps));
      data(mean)[off(mean) + c] = round(mu);
      data(var)[off(var) + c] = round(v);
      data(rstd)[off(rstd) + c] = inv;
      double g = data(gamma)[off(gamma) + c];
      double b = data(beta)[off(beta) + c];
      for (int r = 0; r < n; r++) {
        int i = r * channels + c;
        double h = round((xd[xo + i] - mu) * inv);
        data(xhat)[off(xhat) + i] = h;
        data(y)[off(y) + i] = round(g * h + b);
      }
    }
  }

  @Override
  protected void runBatchNormGrad(
      Tensor dy,
      Tensor xhat,
      Tensor rstd,
      Tensor gamma,
      Tensor dx,
      Tensor dgamma,
      Tensor dbeta,
      long rows,
      int channels) {
    int n = Math.toIntExact(rows);
    for (int c = 0; c < channels; c++) {
      double gm = data(gamma)[off(gamma) + c];
      double sumDy = 0;
      double sumDyXhat = 0;
      for (int r = 0; r < n; r++) {
        int i = r * channels + c;
        double g = data(dy)[off(dy) + i];
        sumDy += g;
        sumDyXhat += g * data(xhat)[off(xhat) + i];
      }
      data(dgamma)[off(dgamma) + c] = round(data(dgamma)[off(dgamma) + c] + sumDyXhat);
      data(dbeta)[off(dbeta) + c] = round(data(dbeta)[off(dbeta) + c] + sumDy);
      double meanDxhat = gm * sumDy / n;
      double meanDxhatXhat = gm * sumDyXhat / n;
      double inv = data(rstd)[off(rstd) + c];
      for (int r = 0; r < n; r++) {
        int i = r * channels + c;
        double dxhat = data(dy)[off(dy) + i] * gm;
        double h = data(xhat)[off(xhat) + i];
        int d = off(dx) + i;
        data(dx)[d] = round(data(dx)[d] + inv * (dxhat - meanDxhat - h * meanDxhatXhat));
      }
    }
  }

  @Override
  protected void runBatchNormInference(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor movingMean,
      Tensor movingVar,
      Tensor y,
      long rows,
      int channels) {
    double eps = 1e-3;
    int n = Math.toIntExact(rows);
    for (int c = 0; c < channels; c++) {
      double mm = data(movingMean)[off(movingMean) + c];
      double scale =
          data(gamma)[off(gamma) + c] / Math.sqrt(data(movingVar)[off(movingVar) + c] + eps);
      double b = data(beta)[off(beta) + c];
      for (int r = 0; r < n; r++) {
        int i = r * channels + c;
        data(y)[off(y) + i] = round((data(x)[off(x) + i] - mm) * scale + b);
      }
    }
  }

  @Override
  protected void runConv1d(Tensor x, Tensor kernel, Tensor bias, Conv1dSpec spec, Tensor y) {
    ConvReference.forward(this, x, kernel, bias, spec, y);
  }

  @Override
  protected void runConv1dGrad(
      Tensor x,
      Tensor kernel,
      Tensor y,
      Tensor dy,
      Conv1dSpec spec,
      Tensor dx,
      Tensor dkernel,
      Tensor dbias) {
    ConvReference.backward(this, x, kernel, y, dy, spec, dx, dkernel, dbias);
  }

  @Override
  protected void runStreamStep(StreamSlab slab, int[] slots, int count, float[] x, float[] y) {
    StreamStepReference.run(this, slab, slots, count, x, y);
  }

  @Override
  protected void runRecurrentForward(
      RecurrentKind kind,
      Activation activation,
      Tensor x,
      Tensor h0,
      Tensor c0,
      RecurrentParams w,
      Tensor out,
      Tensor cache) {
    RecurrentReference.forward(this, kind, activation, x, h0, c0, w, out, cache);
  }

  @Override
  protected void runRecurrentBackward(
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
    RecurrentReference.backward(
        this, kind, activation, x, h0, c0, w, out, cache, dout, dcLast, dx, dh0, dc0, grads);
  }

  @Override
  protected void runAdam(
      Tensor p,
      Tensor g,
      Tensor m,
      Tensor v,
      Tensor vhat,
      float lrT,
      float b1,
      float b2,
      float eps,
      float decay) {
    for (int i = 0; i < p.size(); i++) {
      double grad = data(g)[off(g) + i];
      double param = data(p)[off(p) + i];
      if (decay != 0) {
        param = round(param - decay * param);
      }
      double mi = round(b1 * data(m)[off(m) + i] + (1 - b1) * grad);
      double vi = round(b2 * data(v)[off(v) + i] + (1 - b2) * grad * grad);
      data(m)[off(m) + i] = mi;
      data(v)[off(v) + i] = vi;
      double denominatorV = vi;
      if (vhat != null) {
        denominatorV = Math.max(data(vhat)[off(vhat) + i], vi); // Math.max keeps a NaN
        data(vhat)[off(vhat) + i] = denominatorV;
      }
      data(p)[off(p) + i] = round(param - lrT * mi / (Math.sqrt(denominatorV) + eps));
    }
  }

  @Override
  protected void runSgd(
      Tensor p, Tensor g, Tensor velocity, float lr, float momentum, boolean nesterov) {
    for (int i = 0; i < p.size(); i++) {
      double grad = data(g)[off(g) + i];
      double param = data(p)[off(p) + i];
      if (velocity == null) {
        data(p)[off(p) + i] = round(param - lr * grad);
        continue;
      }
      double u = round(momentum * data(velocity)[off(velocity) + i] - lr * grad);
      data(velocity)[off(velocity) + i] = u;
      data(p)[off(p) + i] = round(param + (nesterov ? momentum * u - lr * grad : u));
    }
  }

  @Override
  protected void runRmsprop(
      Tensor p,
      Tensor g,
      Tensor velocity,
      Tensor averageGrad,
      Tensor momentumBuf,
      float lr,
      float rho,
      float momentum,
      float eps) {
    for (int i = 0; i < p.size(); i++) {
      double grad = data(g)[off(g) + i];
      double vel = round(rho * data(velocity)[off(velocity) + i] + (1 - rho) * grad * grad);
      data(velocity)[off(velocity) + i] = vel;
      double denominator = vel + eps;
      if (averageGrad != null) {
        double a = round(rho * data(averageGrad)[off(averageGrad) + i] + (1 - rho) * grad);
        data(averageGrad)[off(averageGrad) + i] = a;
        denominator = vel - a * a + eps;
      }
      double increment = lr * grad / Math.sqrt(denominator);
      double step = increment;
      if (momentumBuf != null) {
        step = round(momentum * data(momentumBuf)[off(momentumBuf) + i] + increment);
        data(momentumBuf)[off(momentumBuf) + i] = step;
      }
      data(p)[off(p) + i] = round(data(p)[off(p) + i] - step);
    }
  }
}
