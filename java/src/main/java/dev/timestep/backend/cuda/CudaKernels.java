package dev.timestep.backend.cuda;

import dev.timestep.backend.Kernels;
import dev.timestep.backend.SequenceKernels;
import org.bytedeco.javacpp.Loader;

/**
 * {@link Kernels} and {@link SequenceKernels} over libtimestep_cuda through the JavaCPP binding
 * {@link CudaNative}: every op the native CPU library has, with the same arguments and results.
 */
final class CudaKernels implements Kernels, SequenceKernels {

  static void load() {
    Loader.load(CudaNative.class);
  }

  @Override
  public String lastError() {
    return CudaNative.ts_cuda_last_error();
  }

  @Override
  public int fill(long x, long n, float value) {
    return CudaNative.ts_cuda_fill(x, n, value);
  }

  @Override
  public int copy(long src, long dst, long n) {
    return CudaNative.ts_cuda_copy(src, dst, n);
  }

  @Override
  public int accumulate(long src, long dst, long n) {
    return CudaNative.ts_cuda_accumulate(src, dst, n);
  }

  @Override
  public int matmul(long a, long b, long c, int m, int n, int k, int transA, int transB, int accumulate) {
    return CudaNative.ts_cuda_matmul(a, b, c, m, n, k, transA, transB, accumulate);
  }

  @Override
  public int addBias(long x, long bias, long y, long rows, int cols) {
    return CudaNative.ts_cuda_add_bias(x, bias, y, rows, cols);
  }

  @Override
  public int biasGrad(long dy, long dbias, long rows, int cols) {
    return CudaNative.ts_cuda_bias_grad(dy, dbias, rows, cols);
  }

  @Override
  public int add(long a, long b, long y, long n) {
    return CudaNative.ts_cuda_add(a, b, y, n);
  }

  @Override
  public int mul(long a, long b, long y, long n) {
    return CudaNative.ts_cuda_mul(a, b, y, n);
  }

  @Override
  public int mulGrad(long dy, long other, long dx, long n) {
    return CudaNative.ts_cuda_mul_grad(dy, other, dx, n);
  }

  @Override
  public int activation(int kind, long x, long y, long n) {
    return CudaNative.ts_cuda_activation(kind, x, y, n);
  }

  @Override
  public int activationGrad(int kind, long y, long dy, long dx, long n) {
    return CudaNative.ts_cuda_activation_grad(kind, y, dy, dx, n);
  }

  @Override
  public int timeStep(long x, long y, int batch, int steps, int features, int step) {
    return CudaNative.ts_cuda_time_step(x, y, batch, steps, features, step);
  }

  @Override
  public int timeStepGrad(long dy, long dx, int batch, int steps, int features, int step) {
    return CudaNative.ts_cuda_time_step_grad(dy, dx, batch, steps, features, step);
  }

  @Override
  public int mse(long pred, long target, long loss, long n) {
    return CudaNative.ts_cuda_mse(pred, target, loss, n);
  }

  @Override
  public int mseGrad(long pred, long target, long dloss, long dpred, long n) {
    return CudaNative.ts_cuda_mse_grad(pred, target, dloss, dpred, n);
  }

  @Override
  public int adam(long param, long grad, long m, long v, long n, float lrT, float beta1, float beta2, float eps) {
    return CudaNative.ts_cuda_adam(param, grad, m, v, n, lrT, beta1, beta2, eps);
  }

  @Override
  public int gatherRows(long src, int[] rows, int count, long rowLen, long dst) {
    return CudaNative.ts_cuda_gather_rows(src, rows, count, rowLen, dst);
  }

  @Override
  public int rnnForward(int kind, int activation, int batch, int steps, int features, int units, long x, long h0,
      long kernel, long recurrent, long bias, long extra, long out, long cache) {
    return CudaNative.ts_cuda_rnn_forward(kind, activation, batch, steps, features, units, x, h0, kernel, recurrent,
        bias, extra, out, cache);
  }

  @Override
  public int rnnBackward(int kind, int activation, int batch, int steps, int features, int units, long x, long h0,
      long kernel, long recurrent, long bias, long extra, long out, long cache, long dout, long dx, long dh0,
      long dkernel, long drecurrent, long dbias, long dextra) {
    return CudaNative.ts_cuda_rnn_backward(kind, activation, batch, steps, features, units, x, h0, kernel, recurrent,
        bias, extra, out, cache, dout, dx, dh0, dkernel, drecurrent, dbias, dextra);
  }

  @Override
  public int conv1d(long x, long kernel, long bias, long y, int batch, int steps, int inChannels, int outChannels,
      int kernelSize, int stride, int dilation, int padLeft, int outSteps, int activation) {
    return CudaNative.ts_cuda_conv1d(x, kernel, bias, y, batch, steps, inChannels, outChannels, kernelSize, stride,
        dilation, padLeft, outSteps, activation);
  }

  @Override
  public int conv1dGrad(long x, long kernel, long y, long dy, long dx, long dkernel, long dbias, int batch, int steps,
      int inChannels, int outChannels, int kernelSize, int stride, int dilation, int padLeft, int outSteps,
      int activation) {
    return CudaNative.ts_cuda_conv1d_grad(x, kernel, y, dy, dx, dkernel, dbias, batch, steps, inChannels, outChannels,
        kernelSize, stride, dilation, padLeft, outSteps, activation);
  }

  @Override
  public int layerNorm(long x, long gamma, long beta, long y, long xhat, long rstd, long rows, int n) {
    return CudaNative.ts_cuda_layer_norm(x, gamma, beta, y, xhat, rstd, rows, n);
  }

  @Override
  public int layerNormGrad(long dy, long xhat, long rstd, long gamma, long dx, long dgamma, long dbeta, long rows,
      int n) {
    return CudaNative.ts_cuda_layer_norm_grad(dy, xhat, rstd, gamma, dx, dgamma, dbeta, rows, n);
  }

  @Override
  public int batchNorm(long x, long gamma, long beta, long y, long xhat, long mean, long var, long rstd, long rows,
      int channels) {
    return CudaNative.ts_cuda_batch_norm(x, gamma, beta, y, xhat, mean, var, rstd, rows, channels);
  }

  @Override
  public int batchNormGrad(long dy, long xhat, long rstd, long gamma, long dx, long dgamma, long dbeta, long rows,
      int channels) {
    return CudaNative.ts_cuda_batch_norm_grad(dy, xhat, rstd, gamma, dx, dgamma, dbeta, rows, channels);
  }

  @Override
  public int batchNormInference(long x, long gamma, long beta, long movingMean, long movingVar, long y, long rows,
      int channels) {
    return CudaNative.ts_cuda_batch_norm_inference(x, gamma, beta, movingMean, movingVar, y, rows, channels);
  }
}
