package dev.timestep.backend;

import dev.timestep.backend.cpu.CpuNative;
import dev.timestep.tensor.Tensor;
import java.util.Arrays;

/**
 * A backend whose ops are calls into a native device (native/include/timestep/ops.h) through the
 * one binding, {@link CpuNative}: the CPU and CUDA backends differ only in their memory (host or
 * device addresses) and their device handle. A non-zero status becomes a {@link NativeFailure}
 * carrying the device library's message.
 */
public abstract class NativeBackend extends AbstractBackend {
  /** The {@code const ts_device*} every op takes: which library's function table runs it. */
  private final long device;

  protected NativeBackend(long device) {
    if (device == 0) {
      throw new IllegalArgumentException("no native device");
    }
    this.device = device;
  }

  /**
   * The device handle this backend's ops run on (for subclasses' own calls into {@link CpuNative}).
   */
  protected final long device() {
    return device;
  }

  /** The address of the tensor's first element in this backend's memory. */
  protected abstract long address(Tensor t);

  protected final void check(String op, int status) {
    if (status != 0) {
      throw new NativeFailure(name() + " " + op, status, CpuNative.ts_last_error(device));
    }
  }

  private long at(Tensor t) {
    return address(t);
  }

  @Override
  protected void runFill(Tensor t, float value) {
    check("fill", CpuNative.ts_fill(device, at(t), t.size(), value));
  }

  @Override
  protected void runCopy(Tensor src, Tensor dst) {
    check("copy", CpuNative.ts_copy(device, at(src), at(dst), src.size()));
  }

  @Override
  protected void runAccumulate(Tensor src, Tensor dst) {
    check("accumulate", CpuNative.ts_accumulate(device, at(src), at(dst), src.size()));
  }

  @Override
  protected void runGatherRows(Tensor src, int[] rows, int from, int count, Tensor dst) {
    int[] slice =
        from == 0 && count == rows.length ? rows : Arrays.copyOfRange(rows, from, from + count);
    check(
        "gatherRows",
        CpuNative.ts_gather_rows(device, at(src), slice, count, src.shape().rowSize(), at(dst)));
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
    check(
        "matmul",
        CpuNative.ts_matmul(
            device, at(a), at(b), at(c), m, n, k, ta ? 1 : 0, tb ? 1 : 0, accumulate ? 1 : 0));
  }

  @Override
  protected void runAddBias(Tensor x, Tensor bias, Tensor y, long rows, int cols) {
    check("addBias", CpuNative.ts_add_bias(device, at(x), at(bias), at(y), rows, cols));
  }

  @Override
  protected void runBiasGrad(Tensor dy, Tensor dbias, long rows, int cols) {
    check("biasGrad", CpuNative.ts_bias_grad(device, at(dy), at(dbias), rows, cols));
  }

  @Override
  protected void runAdd(Tensor a, Tensor b, Tensor y) {
    check("add", CpuNative.ts_add(device, at(a), at(b), at(y), a.size()));
  }

  @Override
  protected void runMul(Tensor a, Tensor b, Tensor y) {
    check("mul", CpuNative.ts_mul(device, at(a), at(b), at(y), a.size()));
  }

  @Override
  protected void runMulGrad(Tensor dy, Tensor other, Tensor dx) {
    check("mulGrad", CpuNative.ts_mul_grad(device, at(dy), at(other), at(dx), dy.size()));
  }

  @Override
  protected void runActivation(Activation kind, Tensor x, Tensor y) {
    check("activation", CpuNative.ts_activation(device, kind.code(), at(x), at(y), x.size()));
  }

  @Override
  protected void runActivationGrad(Activation kind, Tensor y, Tensor dy, Tensor dx) {
    check(
        "activationGrad",
        CpuNative.ts_activation_grad(device, kind.code(), at(y), at(dy), at(dx), y.size()));
  }

  @Override
  protected void runTimeStep(Tensor x, Tensor y, int batch, int steps, int features, int step) {
    check("timeStep", CpuNative.ts_time_step(device, at(x), at(y), batch, steps, features, step));
  }

  @Override
  protected void runTimeStepGrad(
      Tensor dy, Tensor dx, int batch, int steps, int features, int step) {
    check(
        "timeStepGrad",
        CpuNative.ts_time_step_grad(device, at(dy), at(dx), batch, steps, features, step));
  }

  @Override
  protected void runMse(Tensor pred, Tensor target, Tensor loss) {
    check("mse", CpuNative.ts_mse(device, at(pred), at(target), at(loss), pred.size()));
  }

  @Override
  protected void runMseGrad(Tensor pred, Tensor target, Tensor dloss, Tensor dpred) {
    check(
        "mseGrad",
        CpuNative.ts_mse_grad(device, at(pred), at(target), at(dloss), at(dpred), pred.size()));
  }

  @Override
  protected void runElementwiseLoss(
      ElementwiseLoss kind, float[] params, Tensor pred, Tensor target, Tensor loss) {
    check(
        "elementwiseLoss",
        CpuNative.ts_elementwise_loss(
            device,
            kind.code(),
            params,
            params.length,
            at(pred),
            at(target),
            at(loss),
            target.size()));
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
    check(
        "elementwiseLossGrad",
        CpuNative.ts_elementwise_loss_grad(
            device,
            kind.code(),
            params,
            params.length,
            at(pred),
            at(target),
            at(dloss),
            orZero(dpred),
            orZero(dtarget),
            target.size()));
  }

  @Override
  protected void runSum(Tensor x, Tensor y) {
    check("sum", CpuNative.ts_sum(device, at(x), at(y), x.size()));
  }

  @Override
  protected void runSumGrad(Tensor dy, Tensor dx) {
    check("sumGrad", CpuNative.ts_sum_grad(device, at(dy), at(dx), dx.size()));
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
    check(
        "recurrentForward",
        CpuNative.ts_rnn_forward(
            device,
            kind.code(),
            activation.code(),
            x.dim(0),
            x.dim(1),
            x.dim(2),
            h0.dim(1),
            at(x),
            at(h0),
            orZero(c0),
            at(w.kernel()),
            at(w.recurrent()),
            at(w.bias()),
            orZero(w.cellWeights()),
            at(out),
            at(cache)));
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
      RecurrentParams g) {
    check(
        "recurrentBackward",
        CpuNative.ts_rnn_backward(
            device,
            kind.code(),
            activation.code(),
            x.dim(0),
            x.dim(1),
            x.dim(2),
            h0.dim(1),
            at(x),
            at(h0),
            orZero(c0),
            at(w.kernel()),
            at(w.recurrent()),
            at(w.bias()),
            orZero(w.cellWeights()),
            at(out),
            at(cache),
            at(dout),
            orZero(dcLast),
            orZero(dx),
            orZero(dh0),
            orZero(dc0),
            at(g.kernel()),
            at(g.recurrent()),
            at(g.bias()),
            orZero(g.cellWeights())));
  }

  @Override
  protected void runStreamStep(StreamSlab slab, int[] slots, int count, float[] x, float[] y) {
    long[] buffers = slab.addresses(this::at);
    int chunks = buffers.length - 4 * slab.stack().layerCount();
    check(
        "streamStep",
        CpuNative.ts_stream_step(
            device, slab.stack().plan(), buffers, chunks, slab.chunkRows(), slots, count, x, y));
  }

  @Override
  protected void runLayerNorm(
      Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor xhat, Tensor rstd, long rows, int n) {
    check(
        "layerNorm",
        CpuNative.ts_layer_norm(
            device, at(x), at(gamma), at(beta), at(y), at(xhat), at(rstd), rows, n));
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
    check(
        "layerNormGrad",
        CpuNative.ts_layer_norm_grad(
            device, at(dy), at(xhat), at(rstd), at(gamma), at(dx), at(dgamma), at(dbeta), rows, n));
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
    check(
        "batchNorm",
        CpuNative.ts_batch_norm(
            device, at(x), at(gamma), at(beta), at(y), at(xhat), at(mean), at(var), at(rstd), rows,
            channels));
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
    check(
        "batchNormGrad",
        CpuNative.ts_batch_norm_grad(
            device,
            at(dy),
            at(xhat),
            at(rstd),
            at(gamma),
            at(dx),
            at(dgamma),
            at(dbeta),
            rows,
            channels));
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
    check(
        "batchNormInference",
        CpuNative.ts_batch_norm_inference(
            device,
            at(x),
            at(gamma),
            at(beta),
            at(movingMean),
            at(movingVar),
            at(y),
            rows,
            channels));
  }

  @Override
  protected void runConv1d(Tensor x, Tensor kernel, Tensor bias, Conv1dSpec s, Tensor y) {
    check(
        "conv1d",
        CpuNative.ts_conv1d(
            device,
            at(x),
            at(kernel),
            orZero(bias),
            at(y),
            x.dim(0),
            x.dim(1),
            x.dim(2),
            kernel.dim(2),
            s.kernelSize(),
            s.stride(),
            s.dilation(),
            s.padLeft(),
            s.outSteps(),
            s.activation().code()));
  }

  @Override
  protected void runConv1dGrad(
      Tensor x,
      Tensor kernel,
      Tensor y,
      Tensor dy,
      Conv1dSpec s,
      Tensor dx,
      Tensor dkernel,
      Tensor dbias) {
    check(
        "conv1dGrad",
        CpuNative.ts_conv1d_grad(
            device,
            at(x),
            at(kernel),
            at(y),
            at(dy),
            orZero(dx),
            at(dkernel),
            orZero(dbias),
            x.dim(0),
            x.dim(1),
            x.dim(2),
            kernel.dim(2),
            s.kernelSize(),
            s.stride(),
            s.dilation(),
            s.padLeft(),
            s.outSteps(),
            s.activation().code()));
  }

  private long orZero(Tensor t) {
    return t == null ? 0L : address(t);
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
    check(
        "adam",
        CpuNative.ts_adam(
            device, at(p), at(g), at(m), at(v), orZero(vhat), p.size(), lrT, b1, b2, eps, decay));
  }

  @Override
  protected void runSgd(
      Tensor p, Tensor g, Tensor velocity, float lr, float momentum, boolean nesterov) {
    check(
        "sgd",
        CpuNative.ts_sgd(
            device, at(p), at(g), orZero(velocity), p.size(), lr, momentum, nesterov ? 1 : 0));
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
    check(
        "rmsprop",
        CpuNative.ts_rmsprop(
            device,
            at(p),
            at(g),
            at(velocity),
            orZero(averageGrad),
            orZero(momentumBuf),
            p.size(),
            lr,
            rho,
            momentum,
            eps));
  }
}
