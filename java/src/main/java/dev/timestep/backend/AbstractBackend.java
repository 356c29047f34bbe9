package dev.timestep.backend;

import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;

/**
 * Validates every call once, for all backends, then hands over to the {@code run*} kernels.
 * After these checks a kernel may assume: tensors are open, live on this backend, and have
 * the sizes the op needs. That is what keeps bad input away from native code.
 */
public abstract class AbstractBackend implements Backend {

  /** Allocates {@code floats} zero-filled floats of this backend's storage. */
  protected abstract dev.timestep.tensor.Storage newStorage(long floats);

  protected abstract void runUpload(float[] src, Tensor dst);

  protected abstract void runDownload(Tensor src, float[] dst);

  protected abstract void runFill(Tensor t, float value);

  protected abstract void runCopy(Tensor src, Tensor dst);

  protected abstract void runAccumulate(Tensor src, Tensor dst);

  protected abstract void runGatherRows(Tensor src, int[] rows, int from, int count, Tensor dst);

  protected abstract void runMatmul(Tensor a, boolean ta, Tensor b, boolean tb, Tensor c, int m, int n,
      int k, boolean accumulate);

  protected abstract void runAddBias(Tensor x, Tensor bias, Tensor y, long rows, int cols);

  protected abstract void runBiasGrad(Tensor dy, Tensor dbias, long rows, int cols);

  protected abstract void runAdd(Tensor a, Tensor b, Tensor y);

  protected abstract void runMul(Tensor a, Tensor b, Tensor y);

  protected abstract void runMulGrad(Tensor dy, Tensor other, Tensor dx);

  protected abstract void runActivation(Activation kind, Tensor x, Tensor y);

  protected abstract void runActivationGrad(Activation kind, Tensor y, Tensor dy, Tensor dx);

  protected abstract void runLastStep(Tensor x, Tensor y, int batch, int steps, int features);

  protected abstract void runLastStepGrad(Tensor dy, Tensor dx, int batch, int steps, int features);

  protected abstract void runMse(Tensor pred, Tensor target, Tensor loss);

  protected abstract void runMseGrad(Tensor pred, Tensor target, Tensor dloss, Tensor dpred);

  protected abstract void runAdam(Tensor p, Tensor g, Tensor m, Tensor v, float lrT, float b1, float b2,
      float eps);

  // ---- memory --------------------------------------------------------------------------

  @Override
  public Tensor allocate(Shape shape, Scope scope) {
    if (shape == null || scope == null) {
      throw new IllegalArgumentException("allocate: shape and scope must not be null");
    }
    return scope.track(Tensor.owning(shape, newStorage(Math.max(1, shape.size()))));
  }

  @Override
  public Tensor upload(NDArray array, Scope scope) {
    if (array == null) {
      throw new IllegalArgumentException("upload: array must not be null");
    }
    Tensor t = allocate(array.shape(), scope);
    runUpload(array.data(), t);
    return t;
  }

  @Override
  public void upload(NDArray array, Tensor dst) {
    own(dst, "upload destination");
    if (array == null || array.size() != dst.size()) {
      throw new IllegalArgumentException("upload: array " + (array == null ? "null" : array.shape())
          + " does not fit tensor " + dst.shape());
    }
    runUpload(array.data(), dst);
  }

  @Override
  public NDArray download(Tensor tensor) {
    own(tensor, "download");
    float[] out = new float[Math.toIntExact(tensor.size())];
    runDownload(tensor, out);
    return new NDArray(tensor.shape(), out);
  }

  @Override
  public float readScalar(Tensor tensor) {
    own(tensor, "readScalar");
    if (tensor.size() != 1) {
      throw new IllegalArgumentException("readScalar: tensor " + tensor.shape() + " is not a scalar");
    }
    float[] out = new float[1];
    runDownload(tensor, out);
    return out[0];
  }

  @Override
  public void fill(Tensor tensor, float value) {
    own(tensor, "fill");
    runFill(tensor, value);
  }

  @Override
  public void copy(Tensor src, Tensor dst) {
    sameSize("copy", own(src, "copy source"), own(dst, "copy destination"));
    runCopy(src, dst);
  }

  @Override
  public void accumulate(Tensor src, Tensor dst) {
    sameSize("accumulate", own(src, "accumulate source"), own(dst, "accumulate destination"));
    runAccumulate(src, dst);
  }

  @Override
  public void gatherRows(Tensor src, int[] rows, int from, Tensor dst) {
    own(src, "gatherRows source");
    own(dst, "gatherRows destination");
    int count = dst.dim(0);
    if (rows == null || from < 0 || count > rows.length || from > rows.length - count) {
      throw new IllegalArgumentException("gatherRows: need " + count + " row indices from position "
          + from + " but have " + (rows == null ? "none" : rows.length));
    }
    if (src.shape().rowSize() != dst.shape().rowSize()) {
      throw new IllegalArgumentException(
          "gatherRows: rows of " + src.shape() + " and " + dst.shape() + " differ in size");
    }
    if (src.shape().rowSize() == 0) {
      throw new IllegalArgumentException("gatherRows: rows of " + src.shape() + " are empty");
    }
    int limit = src.dim(0);
    for (int i = from; i < from + count; i++) {
      if (rows[i] < 0 || rows[i] >= limit) {
        throw new IllegalArgumentException("gatherRows: row index " + rows[i] + " outside [0, " + limit + ")");
      }
    }
    runGatherRows(src, rows, from, count, dst);
  }

  // ---- ops -----------------------------------------------------------------------------

  @Override
  public void matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, boolean accumulate) {
    rank("matmul a", own(a, "matmul a"), 2);
    rank("matmul b", own(b, "matmul b"), 2);
    rank("matmul c", own(c, "matmul c"), 2);
    int m = transA ? a.dim(1) : a.dim(0);
    int k = transA ? a.dim(0) : a.dim(1);
    int kb = transB ? b.dim(1) : b.dim(0);
    int n = transB ? b.dim(0) : b.dim(1);
    if (k != kb || c.dim(0) != m || c.dim(1) != n) {
      throw new IllegalArgumentException("matmul: " + a.shape() + (transA ? "ᵀ" : "") + " · " + b.shape()
          + (transB ? "ᵀ" : "") + " cannot produce " + c.shape());
    }
    runMatmul(a, transA, b, transB, c, m, n, k, accumulate);
  }

  @Override
  public void addBias(Tensor x, Tensor bias, Tensor y) {
    sameShape("addBias", own(x, "addBias input"), own(y, "addBias output"));
    biasFits("addBias", x, own(bias, "addBias bias"));
    int cols = x.dim(-1);
    runAddBias(x, bias, y, x.size() / cols, cols);
  }

  @Override
  public void biasGrad(Tensor dy, Tensor dbias) {
    biasFits("biasGrad", own(dy, "biasGrad dy"), own(dbias, "biasGrad dbias"));
    int cols = dy.dim(-1);
    runBiasGrad(dy, dbias, dy.size() / cols, cols);
  }

  @Override
  public void add(Tensor a, Tensor b, Tensor y) {
    sameSize("add", own(a, "add a"), own(b, "add b"));
    sameSize("add", a, own(y, "add output"));
    runAdd(a, b, y);
  }

  @Override
  public void mul(Tensor a, Tensor b, Tensor y) {
    sameSize("mul", own(a, "mul a"), own(b, "mul b"));
    sameSize("mul", a, own(y, "mul output"));
    runMul(a, b, y);
  }

  @Override
  public void mulGrad(Tensor dy, Tensor other, Tensor dx) {
    sameSize("mulGrad", own(dy, "mulGrad dy"), own(other, "mulGrad other"));
    sameSize("mulGrad", dy, own(dx, "mulGrad dx"));
    runMulGrad(dy, other, dx);
  }

  @Override
  public void activation(Activation kind, Tensor x, Tensor y) {
    requireKind(kind);
    sameSize("activation", own(x, "activation input"), own(y, "activation output"));
    runActivation(kind, x, y);
  }

  @Override
  public void activationGrad(Activation kind, Tensor y, Tensor dy, Tensor dx) {
    requireKind(kind);
    sameSize("activationGrad", own(y, "activationGrad y"), own(dy, "activationGrad dy"));
    sameSize("activationGrad", y, own(dx, "activationGrad dx"));
    runActivationGrad(kind, y, dy, dx);
  }

  @Override
  public void lastStep(Tensor x, Tensor y) {
    rank("lastStep input", own(x, "lastStep input"), 3);
    Shape expected = Shape.of(x.dim(0), x.dim(2));
    if (!own(y, "lastStep output").shape().equals(expected)) {
      throw new IllegalArgumentException("lastStep: output " + y.shape() + " must be " + expected);
    }
    nonEmptySequence("lastStep input", x);
    runLastStep(x, y, x.dim(0), x.dim(1), x.dim(2));
  }

  @Override
  public void lastStepGrad(Tensor dy, Tensor dx) {
    rank("lastStepGrad dx", own(dx, "lastStepGrad dx"), 3);
    Shape expected = Shape.of(dx.dim(0), dx.dim(2));
    if (!own(dy, "lastStepGrad dy").shape().equals(expected)) {
      throw new IllegalArgumentException("lastStepGrad: dy " + dy.shape() + " must be " + expected);
    }
    nonEmptySequence("lastStepGrad dx", dx);
    runLastStepGrad(dy, dx, dx.dim(0), dx.dim(1), dx.dim(2));
  }

  @Override
  public void mse(Tensor pred, Tensor target, Tensor loss) {
    sameShape("mse", own(pred, "mse prediction"), own(target, "mse target"));
    scalar("mse loss", own(loss, "mse loss"));
    nonEmpty("mse", pred);
    runMse(pred, target, loss);
  }

  @Override
  public void mseGrad(Tensor pred, Tensor target, Tensor dloss, Tensor dpred) {
    sameShape("mseGrad", own(pred, "mseGrad prediction"), own(target, "mseGrad target"));
    sameShape("mseGrad", pred, own(dpred, "mseGrad dpred"));
    scalar("mseGrad dloss", own(dloss, "mseGrad dloss"));
    nonEmpty("mseGrad", pred);
    runMseGrad(pred, target, dloss, dpred);
  }

  @Override
  public void adam(Tensor param, Tensor grad, Tensor m, Tensor v, float lrT, float beta1, float beta2,
      float epsilon) {
    sameSize("adam", own(param, "adam param"), own(grad, "adam grad"));
    sameSize("adam", param, own(m, "adam m"));
    sameSize("adam", param, own(v, "adam v"));
    if (!(lrT > 0) || !Float.isFinite(lrT) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)
        || !(epsilon >= 0)) {
      throw new IllegalArgumentException("adam: bad hyper-parameters lr_t=" + lrT + " beta1=" + beta1
          + " beta2=" + beta2 + " epsilon=" + epsilon);
    }
    runAdam(param, grad, m, v, lrT, beta1, beta2, epsilon);
  }

  // ---- checks --------------------------------------------------------------------------

  /** The tensor must be non-null, open, and live in this backend's memory. */
  protected final Tensor own(Tensor t, String what) {
    if (t == null) {
      throw new IllegalArgumentException(what + ": tensor is null");
    }
    t.requireOpen(what);
    if (!t.storage().owner().equals(name())) {
      throw new IllegalArgumentException(what + ": tensor " + t.shape() + " lives on the "
          + t.storage().owner() + " backend, not on " + name());
    }
    return t;
  }

  private static void rank(String what, Tensor t, int rank) {
    if (t.rank() != rank) {
      throw new IllegalArgumentException(what + ": expected rank " + rank + " but got shape " + t.shape());
    }
  }

  private static void sameSize(String op, Tensor a, Tensor b) {
    if (a.size() != b.size()) {
      throw new IllegalArgumentException(op + ": sizes differ, " + a.shape() + " vs " + b.shape());
    }
  }

  private static void sameShape(String op, Tensor a, Tensor b) {
    if (!a.shape().equals(b.shape())) {
      throw new IllegalArgumentException(op + ": shapes differ, " + a.shape() + " vs " + b.shape());
    }
  }

  private static void scalar(String what, Tensor t) {
    if (t.size() != 1) {
      throw new IllegalArgumentException(what + ": expected one value but got shape " + t.shape());
    }
  }

  private static void nonEmpty(String op, Tensor t) {
    if (t.size() == 0) {
      throw new IllegalArgumentException(op + ": empty input " + t.shape());
    }
  }

  private static void nonEmptySequence(String what, Tensor t) {
    if (t.dim(1) == 0 || t.dim(2) == 0) {
      throw new IllegalArgumentException(what + " " + t.shape() + " has no time steps or no features");
    }
  }

  private static void biasFits(String op, Tensor x, Tensor bias) {
    if (bias.rank() != 1 || bias.dim(0) != x.dim(-1) || x.dim(-1) == 0) {
      throw new IllegalArgumentException(
          op + ": bias " + bias.shape() + " must be [" + x.dim(-1) + "] for input " + x.shape());
    }
  }

  private static void requireKind(Activation kind) {
    if (kind == null) {
      throw new IllegalArgumentException("activation kind must not be null");
    }
  }
}
