package dev.timestep.backend;

import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.EnumMap;
import java.util.Map;

/**
 * Validates every call once, for all backends, then hands over to the {@code run*} kernels. After
 * these checks a kernel may assume: tensors are open, live on this backend, have the sizes the op
 * needs, and an output shares no memory with another of the op's tensors (except in place over
 * exactly an input of an elementwise op, and copy, which handles any overlap). That is what keeps
 * bad input away from native code.
 */
public abstract class AbstractBackend implements Backend {

  /** Allocates {@code floats} zero-filled floats of this backend's storage. */
  protected abstract dev.timestep.tensor.Storage newStorage(long floats);

  /**
   * The most values one tensor can hold here; a larger allocation is refused before any memory is
   * requested.
   */
  protected abstract MemoryLimit memoryLimit();

  protected abstract void runUpload(float[] src, Tensor dst);

  protected abstract void runDownload(Tensor src, float[] dst);

  protected abstract void runFill(Tensor t, float value);

  protected abstract void runCopy(Tensor src, Tensor dst);

  protected abstract void runAccumulate(Tensor src, Tensor dst);

  protected abstract void runGatherRows(Tensor src, int[] rows, int from, int count, Tensor dst);

  protected abstract void runMatmul(
      Tensor a,
      boolean ta,
      Tensor b,
      boolean tb,
      Tensor c,
      int m,
      int n,
      int k,
      boolean accumulate);

  protected abstract void runAddBias(Tensor x, Tensor bias, Tensor y, long rows, int cols);

  protected abstract void runBiasGrad(Tensor dy, Tensor dbias, long rows, int cols);

  protected abstract void runAdd(Tensor a, Tensor b, Tensor y);

  protected abstract void runMul(Tensor a, Tensor b, Tensor y);

  protected abstract void runMulGrad(Tensor dy, Tensor other, Tensor dx);

  protected abstract void runActivation(Activation kind, Tensor x, Tensor y);

  protected abstract void runActivationGrad(Activation kind, Tensor y, Tensor dy, Tensor dx);

  protected abstract void runTimeStep(
      Tensor x, Tensor y, int batch, int steps, int features, int step);

  protected abstract void runTimeStepGrad(
      Tensor dy, Tensor dx, int batch, int steps, int features, int step);

  protected abstract void runMse(Tensor pred, Tensor target, Tensor loss);

  protected abstract void runMseGrad(Tensor pred, Tensor target, Tensor dloss, Tensor dpred);

  protected abstract void runElementwiseLoss(
      ElementwiseLoss kind, float[] params, Tensor pred, Tensor target, Tensor loss);

  protected abstract void runElementwiseLossGrad(
      ElementwiseLoss kind,
      float[] params,
      Tensor pred,
      Tensor target,
      Tensor dloss,
      Tensor dpred,
      Tensor dtarget);

  protected abstract void runSum(Tensor x, Tensor y);

  protected abstract void runSumGrad(Tensor dy, Tensor dx);

  protected abstract void runAdam(
      Tensor p,
      Tensor g,
      Tensor m,
      Tensor v,
      Tensor vhat,
      float lrT,
      float b1,
      float b2,
      float eps,
      float decay);

  protected abstract void runSgd(
      Tensor p, Tensor g, Tensor velocity, float lr, float momentum, boolean nesterov);

  protected abstract void runRmsprop(
      Tensor p,
      Tensor g,
      Tensor velocity,
      Tensor averageGrad,
      Tensor momentumBuf,
      float lr,
      float rho,
      float momentum,
      float eps);

  protected abstract void runLayerNorm(
      Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor xhat, Tensor rstd, long rows, int n);

  protected abstract void runLayerNormGrad(
      Tensor dy,
      Tensor xhat,
      Tensor rstd,
      Tensor gamma,
      Tensor dx,
      Tensor dgamma,
      Tensor dbeta,
      long rows,
      int n);

  protected abstract void runBatchNorm(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor y,
      Tensor xhat,
      Tensor mean,
      Tensor var,
      Tensor rstd,
      long rows,
      int channels);

  protected abstract void runBatchNormGrad(
      Tensor dy,
      Tensor xhat,
      Tensor rstd,
      Tensor gamma,
      Tensor dx,
      Tensor dgamma,
      Tensor dbeta,
      long rows,
      int channels);

  protected abstract void runBatchNormInference(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor movingMean,
      Tensor movingVar,
      Tensor y,
      long rows,
      int channels);

  protected abstract void runConv1d(
      Tensor x, Tensor kernel, Tensor bias, Conv1dSpec spec, Tensor y);

  protected abstract void runConv1dGrad(
      Tensor x,
      Tensor kernel,
      Tensor y,
      Tensor dy,
      Conv1dSpec spec,
      Tensor dx,
      Tensor dkernel,
      Tensor dbias);

  protected abstract void runStreamStep(
      StreamSlab slab, int[] slots, int count, float[] x, float[] y);

  protected abstract void runRecurrentForward(
      RecurrentKind kind,
      Activation activation,
      Tensor x,
      Tensor h0,
      Tensor c0,
      RecurrentParams w,
      Tensor out,
      Tensor cache);

  protected abstract void runRecurrentBackward(
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
      RecurrentParams grads);

  // ---- memory --------------------------------------------------------------------------

  @Override
  public Tensor allocate(Shape shape, Scope scope) {
    if (shape == null || scope == null) {
      throw new IllegalArgumentException("allocate: shape and scope must not be null");
    }
    memoryLimit().require("allocate", shape, name());
    return scope.track(Tensor.owning(shape, newStorage(Math.max(1, shape.size()))));
  }

  @Override
  public Tensor allocateForOverwrite(Shape shape, Scope scope) {
    if (shape == null || scope == null) {
      throw new IllegalArgumentException("allocateForOverwrite: shape and scope must not be null");
    }
    memoryLimit().require("allocateForOverwrite", shape, name());
    return scope.track(Tensor.owning(shape, newStorageForOverwrite(Math.max(1, shape.size()))));
  }

  /**
   * Storage whose contents the caller overwrites in full; zero-filled unless a backend can skip it.
   */
  protected dev.timestep.tensor.Storage newStorageForOverwrite(long floats) {
    return newStorage(floats);
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
    local(dst, "upload destination");
    if (array == null || array.size() != dst.size()) {
      throw new IllegalArgumentException(
          "upload: array "
              + (array == null ? "null" : array.shape())
              + " does not fit tensor "
              + dst.shape());
    }
    runUpload(array.data(), dst);
  }

  @Override
  public NDArray download(Tensor tensor) {
    local(tensor, "download");
    NDArray.requireHeapSize("download", tensor.shape());
    float[] out = new float[Math.toIntExact(tensor.size())];
    runDownload(tensor, out);
    return new NDArray(tensor.shape(), out);
  }

  @Override
  public float readScalar(Tensor tensor) {
    local(tensor, "readScalar");
    if (tensor.size() != 1) {
      throw new IllegalArgumentException(
          "readScalar: tensor " + tensor.shape() + " is not a scalar");
    }
    float[] out = new float[1];
    runDownload(tensor, out);
    return out[0];
  }

  @Override
  public void fill(Tensor tensor, float value) {
    local(tensor, "fill");
    runFill(tensor, value);
  }

  @Override
  public void copy(Tensor src, Tensor dst) {
    sameSize("copy", local(src, "copy source"), local(dst, "copy destination"));
    runCopy(src, dst);
  }

  @Override
  public void accumulate(Tensor src, Tensor dst) {
    sameSize("accumulate", local(src, "accumulate source"), local(dst, "accumulate destination"));
    inPlaceOrSeparate("accumulate", "dst", dst, "src", src);
    runAccumulate(src, dst);
  }

  @Override
  public void gatherRows(Tensor src, int[] rows, int from, Tensor dst) {
    local(src, "gatherRows source");
    local(dst, "gatherRows destination");
    int count = dst.dim(0);
    if (rows == null || from < 0 || count > rows.length || from > rows.length - count) {
      throw new IllegalArgumentException(
          "gatherRows: need "
              + count
              + " row indices from position "
              + from
              + " but have "
              + (rows == null ? "none" : rows.length));
    }
    if (src.shape().rowSize() != dst.shape().rowSize()) {
      throw new IllegalArgumentException(
          "gatherRows: rows of " + src.shape() + " and " + dst.shape() + " differ in size");
    }
    if (src.shape().rowSize() == 0) {
      throw new IllegalArgumentException("gatherRows: rows of " + src.shape() + " are empty");
    }
    separate("gatherRows", "dst", new Tensor[] {dst}, "src", src);
    int limit = src.dim(0);
    for (int i = from; i < from + count; i++) {
      if (rows[i] < 0 || rows[i] >= limit) {
        throw new IllegalArgumentException(
            "gatherRows: row index " + rows[i] + " outside [0, " + limit + ")");
      }
    }
    runGatherRows(src, rows, from, count, dst);
  }

  // ---- ops -----------------------------------------------------------------------------

  @Override
  public void matmul(
      Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, boolean accumulate) {
    rank("matmul a", local(a, "matmul a"), 2);
    rank("matmul b", local(b, "matmul b"), 2);
    rank("matmul c", local(c, "matmul c"), 2);
    int m = transA ? a.dim(1) : a.dim(0);
    int k = transA ? a.dim(0) : a.dim(1);
    int kb = transB ? b.dim(1) : b.dim(0);
    int n = transB ? b.dim(0) : b.dim(1);
    if (k != kb || c.dim(0) != m || c.dim(1) != n) {
      throw new IllegalArgumentException(
          "matmul: "
              + a.shape()
              + (transA ? "ᵀ" : "")
              + " · "
              + b.shape()
              + (transB ? "ᵀ" : "")
              + " cannot produce "
              + c.shape());
    }
    separate("matmul", "c", new Tensor[] {c}, "a b", a, b);
    runMatmul(a, transA, b, transB, c, m, n, k, accumulate);
  }

  @Override
  public void addBias(Tensor x, Tensor bias, Tensor y) {
    sameShape("addBias", local(x, "addBias input"), local(y, "addBias output"));
    biasFits("addBias", x, local(bias, "addBias bias"));
    inPlaceOrSeparate("addBias", "y", y, "x", x);
    separate("addBias", "y", new Tensor[] {y}, "bias", bias);
    int cols = x.dim(-1);
    runAddBias(x, bias, y, x.size() / cols, cols);
  }

  @Override
  public void biasGrad(Tensor dy, Tensor dbias) {
    biasFits("biasGrad", local(dy, "biasGrad dy"), local(dbias, "biasGrad dbias"));
    separate("biasGrad", "dbias", new Tensor[] {dbias}, "dy", dy);
    int cols = dy.dim(-1);
    runBiasGrad(dy, dbias, dy.size() / cols, cols);
  }

  @Override
  public void add(Tensor a, Tensor b, Tensor y) {
    sameSize("add", local(a, "add a"), local(b, "add b"));
    sameSize("add", a, local(y, "add output"));
    inPlaceOrSeparate("add", "y", y, "a b", a, b);
    runAdd(a, b, y);
  }

  @Override
  public void mul(Tensor a, Tensor b, Tensor y) {
    sameSize("mul", local(a, "mul a"), local(b, "mul b"));
    sameSize("mul", a, local(y, "mul output"));
    inPlaceOrSeparate("mul", "y", y, "a b", a, b);
    runMul(a, b, y);
  }

  @Override
  public void mulGrad(Tensor dy, Tensor other, Tensor dx) {
    sameSize("mulGrad", local(dy, "mulGrad dy"), local(other, "mulGrad other"));
    sameSize("mulGrad", dy, local(dx, "mulGrad dx"));
    inPlaceOrSeparate("mulGrad", "dx", dx, "dy other", dy, other);
    runMulGrad(dy, other, dx);
  }

  @Override
  public void activation(Activation kind, Tensor x, Tensor y) {
    requireKind(kind);
    sameSize("activation", local(x, "activation input"), local(y, "activation output"));
    inPlaceOrSeparate("activation", "y", y, "x", x);
    runActivation(kind, x, y);
  }

  @Override
  public void activationGrad(Activation kind, Tensor y, Tensor dy, Tensor dx) {
    requireKind(kind);
    sameSize("activationGrad", local(y, "activationGrad y"), local(dy, "activationGrad dy"));
    sameSize("activationGrad", y, local(dx, "activationGrad dx"));
    inPlaceOrSeparate("activationGrad", "dx", dx, "y dy", y, dy);
    runActivationGrad(kind, y, dy, dx);
  }

  @Override
  public void timeStep(Tensor x, int step, Tensor y) {
    rank("timeStep input", local(x, "timeStep input"), 3);
    Shape expected = Shape.of(x.dim(0), x.dim(2));
    if (!local(y, "timeStep output").shape().equals(expected)) {
      throw new IllegalArgumentException("timeStep: output " + y.shape() + " must be " + expected);
    }
    nonEmptySequence("timeStep input", x);
    stepInRange("timeStep", x, step);
    separate("timeStep", "y", new Tensor[] {y}, "x", x);
    runTimeStep(x, y, x.dim(0), x.dim(1), x.dim(2), step);
  }

  @Override
  public void timeStepGrad(Tensor dy, int step, Tensor dx) {
    rank("timeStepGrad dx", local(dx, "timeStepGrad dx"), 3);
    Shape expected = Shape.of(dx.dim(0), dx.dim(2));
    if (!local(dy, "timeStepGrad dy").shape().equals(expected)) {
      throw new IllegalArgumentException("timeStepGrad: dy " + dy.shape() + " must be " + expected);
    }
    nonEmptySequence("timeStepGrad dx", dx);
    stepInRange("timeStepGrad", dx, step);
    separate("timeStepGrad", "dx", new Tensor[] {dx}, "dy", dy);
    runTimeStepGrad(dy, dx, dx.dim(0), dx.dim(1), dx.dim(2), step);
  }

  @Override
  public void mse(Tensor pred, Tensor target, Tensor loss) {
    sameShape("mse", local(pred, "mse prediction"), local(target, "mse target"));
    scalar("mse loss", local(loss, "mse loss"));
    nonEmpty("mse", pred);
    separate("mse", "loss", new Tensor[] {loss}, "pred target", pred, target);
    runMse(pred, target, loss);
  }

  @Override
  public void mseGrad(Tensor pred, Tensor target, Tensor dloss, Tensor dpred) {
    sameShape("mseGrad", local(pred, "mseGrad prediction"), local(target, "mseGrad target"));
    sameShape("mseGrad", pred, local(dpred, "mseGrad dpred"));
    scalar("mseGrad dloss", local(dloss, "mseGrad dloss"));
    nonEmpty("mseGrad", pred);
    separate("mseGrad", "dpred", new Tensor[] {dpred}, "pred target dloss", pred, target, dloss);
    runMseGrad(pred, target, dloss, dpred);
  }

  @Override
  public void elementwiseLoss(
      ElementwiseLoss kind, float[] params, Tensor pred, Tensor target, Tensor loss) {
    String op = "elementwiseLoss";
    lossInputs(op, kind, params, pred, target);
    scalar(op + " loss", local(loss, op + " loss"));
    separate(op, "loss", new Tensor[] {loss}, "pred target", pred, target);
    runElementwiseLoss(kind, params.clone(), pred, target, loss);
  }

  @Override
  public void elementwiseLossGrad(
      ElementwiseLoss kind,
      float[] params,
      Tensor pred,
      Tensor target,
      Tensor dloss,
      Tensor dpred,
      Tensor dtarget) {
    String op = "elementwiseLossGrad";
    lossInputs(op, kind, params, pred, target);
    scalar(op + " dloss", local(dloss, op + " dloss"));
    if (dpred == null && dtarget == null) {
      throw new IllegalArgumentException(op + ": dpred and dtarget are both null; nothing to do");
    }
    if (dpred != null) {
      sameShape(op + " dpred", pred, local(dpred, op + " dpred"));
    }
    if (dtarget != null) {
      sameShape(op + " dtarget", target, local(dtarget, op + " dtarget"));
    }
    separate(
        op,
        "dpred dtarget",
        new Tensor[] {dpred, dtarget},
        "pred target dloss",
        pred,
        target,
        dloss);
    runElementwiseLossGrad(kind, params.clone(), pred, target, dloss, dpred, dtarget);
  }

  /**
   * The checks shared by both loss ops: a kind, 1 to MAX_PARAMETERS valid parameters, a non-empty
   * target and a prediction with params.length values per target value along the last axis.
   */
  private void lossInputs(
      String op, ElementwiseLoss kind, float[] params, Tensor pred, Tensor target) {
    if (kind == null || params == null) {
      throw new IllegalArgumentException(op + ": kind and params must not be null");
    }
    int k = params.length;
    if (k < 1 || k > ElementwiseLoss.MAX_PARAMETERS) {
      throw new IllegalArgumentException(
          op
              + ": takes 1 to "
              + ElementwiseLoss.MAX_PARAMETERS
              + " parameters (predictions per target value), got "
              + k);
    }
    for (int i = 0; i < k; i++) {
      kind.requireParameter(op + " parameter " + i, params[i]);
    }
    local(pred, op + " prediction");
    local(target, op + " target");
    nonEmpty(op, target);
    if (target.rank() == 0) {
      throw new IllegalArgumentException(op + ": target must have at least one axis");
    }
    int[] want = target.shape().dims();
    long last = (long) want[want.length - 1] * k;
    want[want.length - 1] = (int) Math.min(last, Integer.MAX_VALUE);
    if (last > Integer.MAX_VALUE || !pred.shape().equals(Shape.of(want))) {
      throw new IllegalArgumentException(
          op
              + ": prediction "
              + pred.shape()
              + " must be "
              + Shape.of(want)
              + " ("
              + k
              + (k == 1 ? " value" : " values")
              + " per value of target "
              + target.shape()
              + ", along the last axis)");
    }
  }

  @Override
  public void sum(Tensor x, Tensor y) {
    local(x, "sum input");
    scalar("sum output", local(y, "sum output"));
    separate("sum", "output", new Tensor[] {y}, "input", x);
    runSum(x, y);
  }

  @Override
  public void sumGrad(Tensor dy, Tensor dx) {
    scalar("sumGrad dy", local(dy, "sumGrad dy"));
    local(dx, "sumGrad dx");
    separate("sumGrad", "dx", new Tensor[] {dx}, "dy", dy);
    runSumGrad(dy, dx);
  }

  /**
   * mse(t, t) is 0 exactly when every element is finite ((v - v)^2 = 0) and NaN as soon as one is
   * NaN or infinite (inf - inf = NaN), so the existing kernel answers without a new one.
   */
  @Override
  public boolean allFinite(Tensor... tensors) {
    if (tensors == null) {
      throw new IllegalArgumentException("allFinite: tensors must not be null");
    }
    try (Scope scratch = new Scope()) {
      return allFiniteInto(
          allocateForOverwrite(Shape.of(Math.max(1, tensors.length)), scratch), tensors);
    }
  }

  @Override
  public boolean allFiniteInto(Tensor scratch, Tensor... tensors) {
    if (tensors == null) {
      throw new IllegalArgumentException("allFinite: tensors must not be null");
    }
    for (Tensor t : tensors) {
      local(t, "allFinite");
    }
    if (local(scratch, "allFinite scratch").size() != Math.max(1, tensors.length)) {
      throw new IllegalArgumentException(
          "allFinite: scratch must hold one element per tensor ("
              + Math.max(1, tensors.length)
              + "), got "
              + scratch.shape());
    }
    for (int i = 0; i < tensors.length; i++) {
      if (scratch.overlaps(tensors[i])) {
        throw new IllegalArgumentException(
            "allFinite: scratch " + scratch + " shares memory with tensor " + (i + 1));
      }
    }
    // One (t - t)^2 mean per tensor into its own element of the scratch vector, then one read:
    // 0 when every value is finite, NaN as soon as one is NaN or infinite (inf - inf is NaN).
    for (int i = 0; i < tensors.length; i++) {
      Tensor result = scratch.view(i, Shape.of(1));
      if (tensors[i].size() > 0) {
        runMse(tensors[i], tensors[i], result);
      } else {
        runFill(result, 0f); // nothing to check
      }
    }
    if (tensors.length == 0) {
      runFill(scratch, 0f);
    }
    for (float r : download(scratch).data()) {
      if (r != 0f) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void adam(
      Tensor param,
      Tensor grad,
      Tensor m,
      Tensor v,
      Tensor vhat,
      float lrT,
      float beta1,
      float beta2,
      float epsilon,
      float decay) {
    sameSize("adam", local(param, "adam param"), local(grad, "adam grad"));
    sameSize("adam", param, local(m, "adam m"));
    sameSize("adam", param, local(v, "adam v"));
    if (vhat != null) {
      sameSize("adam", param, local(vhat, "adam vhat"));
    }
    if (!(lrT > 0)
        || !Float.isFinite(lrT)
        || !(beta1 >= 0 && beta1 < 1)
        || !(beta2 >= 0 && beta2 < 1)
        || !(epsilon >= 0)
        || !(decay >= 0 && decay < 1)) {
      throw new IllegalArgumentException(
          "adam: bad hyper-parameters lr_t="
              + lrT
              + " beta1="
              + beta1
              + " beta2="
              + beta2
              + " epsilon="
              + epsilon
              + " decay="
              + decay
              + " (lr_t finite and > 0, betas in [0, 1), epsilon >= 0, decay in [0, 1))");
    }
    separate("adam", "param m v vhat", new Tensor[] {param, m, v, vhat}, "grad", grad);
    runAdam(param, grad, m, v, vhat, lrT, beta1, beta2, epsilon, decay);
  }

  @Override
  public void sgd(
      Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, boolean nesterov) {
    sameSize("sgd", local(param, "sgd param"), local(grad, "sgd grad"));
    if (!(lr > 0) || !Float.isFinite(lr) || !(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException(
          "sgd: bad hyper-parameters lr="
              + lr
              + " momentum="
              + momentum
              + " (lr finite and > 0, momentum in [0, 1])");
    }
    optionalSlot("sgd", "velocity", param, velocity, momentum != 0, "a non-zero momentum");
    separate("sgd", "param velocity", new Tensor[] {param, velocity}, "grad", grad);
    runSgd(param, grad, velocity, lr, momentum, nesterov);
  }

  @Override
  public void rmsprop(
      Tensor param,
      Tensor grad,
      Tensor velocity,
      Tensor averageGrad,
      Tensor momentumBuf,
      float lr,
      float rho,
      float momentum,
      float epsilon) {
    sameSize("rmsprop", local(param, "rmsprop param"), local(grad, "rmsprop grad"));
    sameSize("rmsprop", param, local(velocity, "rmsprop velocity"));
    if (averageGrad != null) {
      sameSize("rmsprop", param, local(averageGrad, "rmsprop averageGrad"));
    }
    if (!(lr > 0)
        || !Float.isFinite(lr)
        || !(rho >= 0 && rho < 1)
        || !(momentum >= 0 && momentum <= 1)
        || !(epsilon >= 0)) {
      throw new IllegalArgumentException(
          "rmsprop: bad hyper-parameters lr="
              + lr
              + " rho="
              + rho
              + " momentum="
              + momentum
              + " epsilon="
              + epsilon
              + " (lr finite and > 0, rho in [0, 1), momentum in [0, 1], epsilon >= 0)");
    }
    optionalSlot(
        "rmsprop", "momentumBuf", param, momentumBuf, momentum != 0, "a non-zero momentum");
    separate(
        "rmsprop",
        "param velocity averageGrad momentumBuf",
        new Tensor[] {param, velocity, averageGrad, momentumBuf},
        "grad",
        grad);
    runRmsprop(param, grad, velocity, averageGrad, momentumBuf, lr, rho, momentum, epsilon);
  }

  /** An optimizer state tensor that must be given (param's size) exactly when {@code wanted}. */
  private void optionalSlot(
      String op, String name, Tensor param, Tensor slot, boolean wanted, String when) {
    if (wanted != (slot != null)) {
      throw new IllegalArgumentException(
          op
              + ": "
              + name
              + (wanted ? " is null" : " was given")
              + "; it is needed exactly with "
              + when);
    }
    if (slot != null) {
      sameSize(op, param, local(slot, op + " " + name));
    }
  }

  @Override
  public void layerNorm(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor xhat, Tensor rstd) {
    int n = layerNormShapes("layerNorm", x, gamma, xhat, rstd);
    biasFits("layerNorm beta", x, local(beta, "layerNorm beta"));
    sameShape("layerNorm output", x, local(y, "layerNorm output"));
    separate(
        "layerNorm", "y xhat rstd", new Tensor[] {y, xhat, rstd}, "x gamma beta", x, gamma, beta);
    runLayerNorm(x, gamma, beta, y, xhat, rstd, x.size() / n, n);
  }

  @Override
  public void layerNormGrad(
      Tensor dy, Tensor xhat, Tensor rstd, Tensor gamma, Tensor dx, Tensor dgamma, Tensor dbeta) {
    int n = layerNormShapes("layerNormGrad", dy, gamma, xhat, rstd);
    sameShape("layerNormGrad dx", dy, local(dx, "layerNormGrad dx"));
    sameShape("layerNormGrad dgamma", gamma, local(dgamma, "layerNormGrad dgamma"));
    sameShape("layerNormGrad dbeta", gamma, local(dbeta, "layerNormGrad dbeta"));
    separate(
        "layerNormGrad",
        "dx dgamma dbeta",
        new Tensor[] {dx, dgamma, dbeta},
        "dy xhat rstd gamma",
        dy,
        xhat,
        rstd,
        gamma);
    runLayerNormGrad(dy, xhat, rstd, gamma, dx, dgamma, dbeta, dy.size() / n, n);
  }

  /** Checks that x, xhat, gamma and rstd agree; returns the length of the normalized axis. */
  private int layerNormShapes(String op, Tensor x, Tensor gamma, Tensor xhat, Tensor rstd) {
    local(x, op + " input");
    biasFits(op + " gamma", x, local(gamma, op + " gamma"));
    sameShape(op + " xhat", x, local(xhat, op + " xhat"));
    int n = x.dim(-1);
    if (local(rstd, op + " rstd").size() != x.size() / n) {
      throw new IllegalArgumentException(
          op
              + ": rstd "
              + rstd.shape()
              + " must hold one value per row ("
              + x.size() / n
              + ") of "
              + x.shape());
    }
    return n;
  }

  @Override
  public void batchNorm(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor y,
      Tensor xhat,
      Tensor mean,
      Tensor var,
      Tensor rstd) {
    String op = "batchNorm";
    int c = batchNormInput(op, x);
    if (x.size() == 0) {
      throw new IllegalArgumentException(
          op + ": input " + x.shape() + " has no rows; batch statistics need at least one row");
    }
    perChannel(op, "gamma", x, gamma);
    perChannel(op, "beta", x, beta);
    perChannel(op, "mean", x, mean);
    perChannel(op, "var", x, var);
    perChannel(op, "rstd", x, rstd);
    sameShape(op + " output", x, local(y, op + " output"));
    sameShape(op + " xhat", x, local(xhat, op + " xhat"));
    separate(
        op,
        "y xhat mean var rstd",
        new Tensor[] {y, xhat, mean, var, rstd},
        "x gamma beta",
        x,
        gamma,
        beta);
    runBatchNorm(x, gamma, beta, y, xhat, mean, var, rstd, x.size() / c, c);
  }

  @Override
  public void batchNormGrad(
      Tensor dy, Tensor xhat, Tensor rstd, Tensor gamma, Tensor dx, Tensor dgamma, Tensor dbeta) {
    String op = "batchNormGrad";
    int c = batchNormInput(op, dy);
    if (dy.size() == 0) {
      throw new IllegalArgumentException(op + ": dy " + dy.shape() + " has no rows");
    }
    sameShape(op + " xhat", dy, local(xhat, op + " xhat"));
    perChannel(op, "rstd", dy, rstd);
    perChannel(op, "gamma", dy, gamma);
    sameShape(op + " dx", dy, local(dx, op + " dx"));
    perChannel(op, "dgamma", dy, dgamma);
    perChannel(op, "dbeta", dy, dbeta);
    separate(
        op,
        "dx dgamma dbeta",
        new Tensor[] {dx, dgamma, dbeta},
        "dy xhat rstd gamma",
        dy,
        xhat,
        rstd,
        gamma);
    runBatchNormGrad(dy, xhat, rstd, gamma, dx, dgamma, dbeta, dy.size() / c, c);
  }

  @Override
  public void batchNormInference(
      Tensor x, Tensor gamma, Tensor beta, Tensor movingMean, Tensor movingVar, Tensor y) {
    String op = "batchNormInference";
    int c = batchNormInput(op, x);
    perChannel(op, "gamma", x, gamma);
    perChannel(op, "beta", x, beta);
    perChannel(op, "movingMean", x, movingMean);
    perChannel(op, "movingVar", x, movingVar);
    sameShape(op + " output", x, local(y, op + " output"));
    separate(
        op,
        "y",
        new Tensor[] {y},
        "x gamma beta movingMean movingVar",
        x,
        gamma,
        beta,
        movingMean,
        movingVar);
    runBatchNormInference(x, gamma, beta, movingMean, movingVar, y, x.size() / c, c);
  }

  /**
   * Checks the input of a batch-norm op (rank ≥ 2, at least one channel); returns C = x.dim(-1).
   */
  private int batchNormInput(String op, Tensor x) {
    local(x, op + " input");
    if (x.rank() < 2) {
      throw new IllegalArgumentException(
          op
              + ": input "
              + x.shape()
              + " must have rank >= 2 ([rows, channels] or [batch, ..., channels])");
    }
    int c = x.dim(-1);
    if (c < 1) {
      throw new IllegalArgumentException(
          op + ": input " + x.shape() + " has no channels (last axis is 0)");
    }
    return c;
  }

  /** Checks that a per-channel tensor of a batch-norm op is [C] for C = x.dim(-1). */
  private void perChannel(String op, String name, Tensor x, Tensor t) {
    local(t, op + " " + name);
    if (t.rank() != 1 || t.dim(0) != x.dim(-1)) {
      throw new IllegalArgumentException(
          op
              + ": "
              + name
              + " "
              + t.shape()
              + " must be ["
              + x.dim(-1)
              + "] (one value per channel of input "
              + x.shape()
              + ")");
    }
  }

  @Override
  public void conv1d(Tensor x, Tensor kernel, Tensor bias, Conv1dSpec spec, Tensor y) {
    checkConv("conv1d", x, kernel, bias, spec, y);
    separate("conv1d", "y", new Tensor[] {y}, "x kernel bias", x, kernel, bias);
    runConv1d(x, kernel, bias, spec, y);
  }

  @Override
  public void conv1dGrad(
      Tensor x,
      Tensor kernel,
      Tensor y,
      Tensor dy,
      Conv1dSpec spec,
      Tensor dx,
      Tensor dkernel,
      Tensor dbias) {
    checkConv("conv1dGrad", x, kernel, dbias, spec, y);
    sameShape("conv1dGrad dy", y, local(dy, "conv1dGrad dy"));
    if (dx != null) {
      sameShape("conv1dGrad dx", x, local(dx, "conv1dGrad dx"));
    }
    sameShape("conv1dGrad dkernel", kernel, local(dkernel, "conv1dGrad dkernel"));
    separate(
        "conv1dGrad",
        "dx dkernel dbias",
        new Tensor[] {dx, dkernel, dbias},
        "x kernel y dy",
        x,
        kernel,
        y,
        dy);
    runConv1dGrad(x, kernel, y, dy, spec, dx, dkernel, dbias);
  }

  private void checkConv(
      String op, Tensor x, Tensor kernel, Tensor bias, Conv1dSpec spec, Tensor y) {
    if (spec == null) {
      throw new IllegalArgumentException(op + ": settings must not be null");
    }
    rank(op + " input", local(x, op + " input"), 3);
    rank(op + " kernel", local(kernel, op + " kernel"), 3);
    if (x.dim(1) == 0 || x.dim(2) == 0) {
      throw new IllegalArgumentException(
          op + ": input " + x.shape() + " has no time steps or no channels");
    }
    if (kernel.dim(0) != spec.kernelSize() || kernel.dim(1) != x.dim(2) || kernel.dim(2) == 0) {
      throw new IllegalArgumentException(
          op
              + ": kernel "
              + kernel.shape()
              + " must be ["
              + spec.kernelSize()
              + ", "
              + x.dim(2)
              + ", filters] for input "
              + x.shape());
    }
    if (bias != null) {
      expectShape(op + " bias", local(bias, op + " bias"), Shape.of(kernel.dim(2)));
    }
    expectShape(
        op + " output",
        local(y, op + " output"),
        Shape.of(x.dim(0), spec.outSteps(), kernel.dim(2)));
  }

  @Override
  public void recurrentForward(
      RecurrentKind kind,
      Activation activation,
      Tensor x,
      Tensor h0,
      Tensor c0,
      RecurrentParams weights,
      Tensor out,
      Tensor cache) {
    checkRecurrent("recurrentForward", kind, activation, x, h0, weights, out);
    cellState("recurrentForward", "initial cell state c0", kind, h0, c0);
    local(cache, "recurrentForward cache");
    long need = (long) x.dim(0) * x.dim(1) * kind.cacheRow(h0.dim(1));
    if (cache.size() < need) {
      throw new IllegalArgumentException(
          "recurrentForward: cache "
              + cache.shape()
              + " holds "
              + cache.size()
              + " floats but "
              + kind
              + " needs "
              + need);
    }
    separate(
        "recurrentForward",
        "out cache",
        new Tensor[] {out, cache},
        FORWARD_INPUTS.get(kind),
        x,
        h0,
        weights.kernel(),
        weights.recurrent(),
        weights.bias(),
        weights.cellWeights(),
        c0);
    runRecurrentForward(kind, activation, x, h0, c0, weights, out, cache);
  }

  @Override
  public void recurrentBackward(
      RecurrentKind kind,
      Activation activation,
      Tensor x,
      Tensor h0,
      Tensor c0,
      RecurrentParams weights,
      Tensor out,
      Tensor cache,
      Tensor dout,
      Tensor dcLast,
      Tensor dx,
      Tensor dh0,
      Tensor dc0,
      RecurrentParams grads) {
    checkRecurrent("recurrentBackward", kind, activation, x, h0, weights, out);
    cellState("recurrentBackward", "initial cell state c0", kind, h0, c0);
    cellState("recurrentBackward", "final cell state gradient dcLast", kind, h0, dcLast);
    cellState("recurrentBackward", "initial cell state gradient dc0", kind, h0, dc0);
    local(cache, "recurrentBackward cache");
    sameShape("recurrentBackward dout", out, local(dout, "recurrentBackward dout"));
    if (dx != null) {
      sameShape("recurrentBackward dx", x, local(dx, "recurrentBackward dx"));
    }
    if (dh0 != null) {
      sameShape("recurrentBackward dh0", h0, local(dh0, "recurrentBackward dh0"));
    }
    if (grads == null) {
      throw new IllegalArgumentException("recurrentBackward: gradient tensors are required");
    }
    sameShape(
        "recurrentBackward dkernel",
        weights.kernel(),
        local(grads.kernel(), "recurrentBackward dkernel"));
    sameShape(
        "recurrentBackward drecurrent",
        weights.recurrent(),
        local(grads.recurrent(), "recurrentBackward drecurrent"));
    sameShape(
        "recurrentBackward dbias", weights.bias(), local(grads.bias(), "recurrentBackward dbias"));
    int units = h0.dim(1);
    cellWeight(
        "recurrentBackward",
        " d",
        kind,
        units,
        RecurrentKind.GRU,
        "recurrent_bias",
        grads.recurrentBias());
    cellWeight(
        "recurrentBackward",
        " d",
        kind,
        units,
        RecurrentKind.LAYER_NORM_SIMPLE,
        "layer_norm",
        grads.layerNorm());
    separate(
        "recurrentBackward",
        BACKWARD_OUTPUTS.get(kind),
        new Tensor[] {
          dx, dh0, grads.kernel(), grads.recurrent(), grads.bias(), grads.cellWeights(), dc0
        },
        BACKWARD_INPUTS.get(kind),
        x,
        h0,
        weights.kernel(),
        weights.recurrent(),
        weights.bias(),
        weights.cellWeights(),
        out,
        cache,
        dout,
        c0,
        dcLast);
    runRecurrentBackward(
        kind, activation, x, h0, c0, weights, out, cache, dout, dcLast, dx, dh0, dc0, grads);
  }

  @Override
  public StreamSlab streamSlab(StreamStack stack, int chunkRows) {
    if (stack == null) {
      throw new IllegalArgumentException("streamSlab: the stack must not be null");
    }
    if (chunkRows < 1) {
      throw new IllegalArgumentException(
          "streamSlab: a chunk needs at least 1 row, got " + chunkRows);
    }
    for (Tensor w : stack.weights()) {
      if (w != null) {
        local(w, "streamSlab weight");
      }
    }
    return new StreamSlab(this, stack, chunkRows);
  }

  @Override
  public void streamStep(StreamSlab slab, int[] slots, int count, float[] x, float[] y) {
    if (slab == null || slots == null || x == null || y == null) {
      throw new IllegalArgumentException("streamStep: slab, slots, x and y must not be null");
    }
    if (slab.backend() != this) {
      throw new IllegalArgumentException(
          "streamStep: the slab lives on " + slab.backend().name() + ", not on " + name());
    }
    slab.requireOpen("streamStep");
    StreamStack stack = slab.stack();
    if (count < 0 || count > slots.length) {
      throw new IllegalArgumentException(
          "streamStep: count " + count + " is outside [0, " + slots.length + "] (the slots)");
    }
    if (x.length < (long) count * stack.features() || y.length < (long) count * stack.outputs()) {
      throw new IllegalArgumentException(
          "streamStep: "
              + count
              + " streams need x of "
              + (long) count * stack.features()
              + " and y of "
              + (long) count * stack.outputs()
              + " floats, got "
              + x.length
              + " and "
              + y.length);
    }
    int capacity = slab.capacity();
    for (int i = 0; i < count; i++) {
      if (slots[i] < 0 || slots[i] >= capacity) {
        throw new IllegalArgumentException(
            "streamStep: slot "
                + slots[i]
                + " (stream "
                + i
                + ") is outside the slab's [0, "
                + capacity
                + ")");
      }
    }
    if (count > 1) {
      boolean[] seen = new boolean[capacity];
      for (int i = 0; i < count; i++) {
        if (seen[slots[i]]) {
          throw new IllegalArgumentException(
              "streamStep: slot " + slots[i] + " appears twice in one step");
        }
        seen[slots[i]] = true;
      }
    }
    if (count > 0) {
      runStreamStep(slab, slots, count, x, y);
    }
  }

  /**
   * An LSTM cell-state tensor ({@code what}): optional, and when given the shape of h0; every other
   * kind has no cell state and refuses one.
   */
  private void cellState(String op, String what, RecurrentKind kind, Tensor h0, Tensor state) {
    if (state == null) {
      return;
    }
    if (kind != RecurrentKind.LSTM) {
      throw new IllegalArgumentException(
          op + ": " + what + " was given, but " + kind + " has no cell state (only LSTM has)");
    }
    expectShape(op + " " + what, local(state, op + " " + what), h0.shape());
  }

  private void checkRecurrent(
      String op,
      RecurrentKind kind,
      Activation activation,
      Tensor x,
      Tensor h0,
      RecurrentParams w,
      Tensor out) {
    // Every recurrent call runs this check: the usual, valid case is told apart first without
    // building the messages below (their strings were 14% of what the whole chapter allocated).
    if (recurrentArgumentsValid(kind, activation, x, h0, w, out)) {
      return;
    }
    if (kind == null || activation == null || w == null) {
      throw new IllegalArgumentException(op + ": kind, activation and weights must not be null");
    }
    rank(op + " input", local(x, op + " input"), 3);
    rank(op + " initial state", local(h0, op + " initial state"), 2);
    int batch = x.dim(0);
    int steps = x.dim(1);
    int features = x.dim(2);
    int units = h0.dim(1);
    if (steps == 0 || features == 0 || units == 0) {
      throw new IllegalArgumentException(
          op
              + ": input "
              + x.shape()
              + " and state "
              + h0.shape()
              + " need at least one step, one feature and one unit");
    }
    if (h0.dim(0) != batch) {
      throw new IllegalArgumentException(
          op
              + ": initial state "
              + h0.shape()
              + " does not match batch "
              + batch
              + " of input "
              + x.shape());
    }
    int g = kind.gates() * units;
    expectShape(op + " kernel", local(w.kernel(), op + " kernel"), Shape.of(features, g));
    expectShape(
        op + " recurrent kernel",
        local(w.recurrent(), op + " recurrent kernel"),
        Shape.of(units, g));
    expectShape(op + " bias", local(w.bias(), op + " bias"), Shape.of(g));
    cellWeight(op, " ", kind, units, RecurrentKind.GRU, "recurrent_bias", w.recurrentBias());
    cellWeight(op, " ", kind, units, RecurrentKind.LAYER_NORM_SIMPLE, "layer_norm", w.layerNorm());
    expectShape(op + " output", local(out, op + " output"), Shape.of(batch, steps, units));
  }

  /**
   * Whether checkRecurrent's every condition holds; false sends the caller through the checks that
   * name what is wrong.
   */
  private boolean recurrentArgumentsValid(
      RecurrentKind kind,
      Activation activation,
      Tensor x,
      Tensor h0,
      RecurrentParams w,
      Tensor out) {
    if (kind == null || activation == null || w == null) {
      return false;
    }
    if (!isLocal(x) || !isLocal(h0) || x.rank() != 3 || h0.rank() != 2) {
      return false;
    }
    int batch = x.dim(0);
    int steps = x.dim(1);
    int features = x.dim(2);
    int units = h0.dim(1);
    if (steps == 0 || features == 0 || units == 0 || h0.dim(0) != batch) {
      return false;
    }
    int g = kind.gates() * units;
    return hasDims(w.kernel(), features, g)
        && hasDims(w.recurrent(), units, g)
        && hasDims(w.bias(), g)
        && cellWeightValid(kind, units, RecurrentKind.GRU, w.recurrentBias())
        && cellWeightValid(kind, units, RecurrentKind.LAYER_NORM_SIMPLE, w.layerNorm())
        && hasDims(out, batch, steps, units);
  }

  private boolean cellWeightValid(
      RecurrentKind kind, int units, RecurrentKind owner, Tensor array) {
    return kind == owner ? hasDims(array, kind.cellWeightsSize(units)) : array == null;
  }

  // Non-null, open, in this backend's memory, and of exactly these dimensions: one overload per
  // rank, as a varargs array would be allocated on every recurrent call.
  private boolean hasDims(Tensor t, int d0) {
    return isLocal(t) && t.rank() == 1 && t.dim(0) == d0;
  }

  private boolean hasDims(Tensor t, int d0, int d1) {
    return isLocal(t) && t.rank() == 2 && t.dim(0) == d0 && t.dim(1) == d1;
  }

  private boolean hasDims(Tensor t, int d0, int d1, int d2) {
    return isLocal(t) && t.rank() == 3 && t.dim(0) == d0 && t.dim(1) == d1 && t.dim(2) == d2;
  }

  private boolean isLocal(Tensor t) {
    return t != null && !t.isClosed() && t.storage().backendName().equals(name());
  }

  /**
   * {@code array} (the weights or gradient called {@code prefix + name}) is required, with its
   * size, for {@code owner} and refused for other kinds.
   */
  /** The names {@code separate} gives the recurrent ops' tensors, per kind (built once). */
  private static final Map<RecurrentKind, String> FORWARD_INPUTS =
      namesPerKind(k -> "x h0 kernel recurrent bias " + k + " c0");

  private static final Map<RecurrentKind, String> BACKWARD_OUTPUTS =
      namesPerKind(k -> "dx dh0 dkernel drecurrent dbias d" + k + " dc0");

  private static final Map<RecurrentKind, String> BACKWARD_INPUTS =
      namesPerKind(k -> "x h0 kernel recurrent bias " + k + " out cache dout c0 dcLast");

  private static Map<RecurrentKind, String> namesPerKind(
      java.util.function.UnaryOperator<String> names) {
    Map<RecurrentKind, String> m = new EnumMap<>(RecurrentKind.class);
    for (RecurrentKind k : RecurrentKind.values()) {
      m.put(k, names.apply(k.cellWeightsName() == null ? "none" : k.cellWeightsName()));
    }
    return m;
  }

  private void cellWeight(
      String op,
      String prefix,
      RecurrentKind kind,
      int units,
      RecurrentKind owner,
      String name,
      Tensor array) {
    if (kind != owner) {
      if (array != null) {
        throw new IllegalArgumentException(
            op + prefix + name + ": " + kind + " has no " + name + " array");
      }
      return;
    }
    // the message is built only on failure: this runs on every recurrent call
    if (array == null
        || array.isClosed()
        || !array.storage().backendName().equals(name())
        || array.rank() != 1
        || array.dim(0) != kind.cellWeightsSize(units)) {
      String what = op + prefix + name;
      expectShape(what, local(array, what), Shape.of(kind.cellWeightsSize(units)));
    }
  }

  private static void expectShape(String what, Tensor t, Shape expected) {
    if (!t.shape().equals(expected)) {
      throw new IllegalArgumentException(
          what + ": expected shape " + expected + " but got " + t.shape());
    }
  }

  // ---- checks --------------------------------------------------------------------------

  /** The tensor must be non-null, open, and live in this backend's memory. */
  protected final Tensor local(Tensor t, String what) {
    if (t == null) {
      throw new IllegalArgumentException(what + ": tensor is null");
    }
    t.requireOpen(what);
    if (!t.storage().backendName().equals(name())) {
      throw new IllegalArgumentException(
          what
              + ": tensor "
              + t.shape()
              + " lives on the "
              + t.storage().backendName()
              + " backend, not on "
              + name());
    }
    return t;
  }

  /**
   * Refuses outputs that share memory with each other or with an input: a kernel reads its inputs
   * while it writes, so an overlap gives wrong numbers. The names are space-separated, in the
   * tensors' order; null tensors (optional ones) are skipped.
   */
  private static void separate(
      String op, String outputNames, Tensor[] outputs, String inputNames, Tensor... inputs) {
    for (int i = 0; i < outputs.length; i++) {
      if (outputs[i] == null) {
        continue;
      }
      for (int j = i + 1; j < outputs.length; j++) {
        if (outputs[i].overlaps(outputs[j])) {
          throw overlap(
              op, outputNames, i, outputs[i], "output " + word(outputNames, j), outputs[j], "");
        }
      }
      for (int j = 0; j < inputs.length; j++) {
        if (outputs[i].overlaps(inputs[j])) {
          throw overlap(
              op, outputNames, i, outputs[i], "input " + word(inputNames, j), inputs[j], "");
        }
      }
    }
  }

  /**
   * For an elementwise op, whose kernels read element i of every input before writing element i of
   * the output (on every backend, checked by OutputAliasingTest): the output may be exactly one of
   * the inputs (in place) but must not overlap one partly.
   */
  private static void inPlaceOrSeparate(
      String op, String outputName, Tensor out, String inputNames, Tensor... inputs) {
    for (int j = 0; j < inputs.length; j++) {
      if (out.overlaps(inputs[j]) && !out.sameElements(inputs[j])) {
        throw overlap(
            op,
            outputName,
            0,
            out,
            "input " + word(inputNames, j),
            inputs[j],
            "; in place is allowed only over exactly the same elements");
      }
    }
  }

  private static IllegalArgumentException overlap(
      String op, String outputNames, int i, Tensor out, String other, Tensor t, String note) {
    return new IllegalArgumentException(
        op
            + ": output "
            + word(outputNames, i)
            + " "
            + out.shape()
            + " shares memory"
            + " with "
            + other
            + " "
            + t.shape()
            + " (views of one storage whose ranges overlap), so the kernel would read"
            + " values it has already overwritten; pass a separate output tensor"
            + note);
  }

  private static String word(String names, int i) {
    return names.split(" ")[i];
  }

  private static void rank(String what, Tensor t, int rank) {
    if (t.rank() != rank) {
      throw new IllegalArgumentException(
          what + ": expected rank " + rank + " but got shape " + t.shape());
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

  private static void stepInRange(String op, Tensor x, int step) {
    if (step < 0 || step >= x.dim(1)) {
      throw new IllegalArgumentException(
          op + ": step " + step + " outside [0, " + x.dim(1) + ") of " + x.shape());
    }
  }

  private static void nonEmptySequence(String what, Tensor t) {
    if (t.dim(1) == 0 || t.dim(2) == 0) {
      throw new IllegalArgumentException(
          what + " " + t.shape() + " has no time steps or no features");
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
