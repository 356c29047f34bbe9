package dev.timestep.backend;

/**
 * The sequence ops of a native library: fused recurrent layers, Conv1D, layer normalization and
 * batch normalization (see ts_cpu_rnn_*, ts_cpu_conv1d*, ts_cpu_layer_norm* and ts_cpu_batch_norm*
 * in cpu_api.h, and their ts_cuda_* twins in cuda_api.h). Separate from {@link Kernels} so that a
 * library without them is refused clearly by {@link NativeBackend}; the CPU and CUDA libraries both
 * have them. A null buffer travels as address 0.
 */
public interface SequenceKernels {
  int rnnForward(int kind, int activation, int batch, int steps, int features, int units, long x, long h0,
      long kernel, long recurrent, long bias, long extra, long out, long cache);

  int rnnBackward(int kind, int activation, int batch, int steps, int features, int units, long x, long h0,
      long kernel, long recurrent, long bias, long extra, long out, long cache, long dout, long dx, long dh0,
      long dkernel, long drecurrent, long dbias, long dextra);

  int conv1d(long x, long kernel, long bias, long y, int batch, int steps, int inChannels, int outChannels,
      int kernelSize, int stride, int dilation, int padLeft, int outSteps, int activation);

  int conv1dGrad(long x, long kernel, long y, long dy, long dx, long dkernel, long dbias, int batch, int steps,
      int inChannels, int outChannels, int kernelSize, int stride, int dilation, int padLeft, int outSteps,
      int activation);

  int layerNorm(long x, long gamma, long beta, long y, long xhat, long rstd, long rows, int n);

  int layerNormGrad(long dy, long xhat, long rstd, long gamma, long dx, long dgamma, long dbeta, long rows, int n);

  int batchNorm(long x, long gamma, long beta, long y, long xhat, long mean, long var, long rstd, long rows,
      int channels);

  int batchNormGrad(long dy, long xhat, long rstd, long gamma, long dx, long dgamma, long dbeta, long rows,
      int channels);

  int batchNormInference(long x, long gamma, long beta, long movingMean, long movingVar, long y, long rows,
      int channels);
}
