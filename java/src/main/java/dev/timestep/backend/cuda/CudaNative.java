package dev.timestep.backend.cuda;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * JavaCPP binding of {@code native/include/timestep/cuda_api.h}. Buffers travel as raw
 * addresses ({@code long}) so views into a larger allocation (a parameter arena, a batch
 * slice) cost nothing. Callers must validate every argument first: this class is the
 * last stop before native code. Only {@link CudaKernels} and {@link CudaBackend} call it.
 */
@Properties(value = @Platform(include = "timestep/cuda_api.h", link = "timestep_cuda"))
final class CudaNative {
  static {
    Loader.load();
  }

  private CudaNative() {}

  static native String ts_cuda_last_error();

  static native int ts_cuda_fill(@Cast("float*") long x, long n, float value);

  static native int ts_cuda_copy(@Cast("const float*") long src, @Cast("float*") long dst, long n);

  static native int ts_cuda_accumulate(@Cast("const float*") long src, @Cast("float*") long dst, long n);

  static native int ts_cuda_matmul(@Cast("const float*") long a, @Cast("const float*") long b,
      @Cast("float*") long c, int m, int n, int k, int transA, int transB, int accumulate);

  static native int ts_cuda_add_bias(@Cast("const float*") long x, @Cast("const float*") long bias,
      @Cast("float*") long y, long rows, int cols);

  static native int ts_cuda_bias_grad(@Cast("const float*") long dy, @Cast("float*") long dbias,
      long rows, int cols);

  static native int ts_cuda_add(@Cast("const float*") long a, @Cast("const float*") long b,
      @Cast("float*") long y, long n);

  static native int ts_cuda_mul(@Cast("const float*") long a, @Cast("const float*") long b,
      @Cast("float*") long y, long n);

  static native int ts_cuda_mul_grad(@Cast("const float*") long dy, @Cast("const float*") long other,
      @Cast("float*") long dx, long n);

  static native int ts_cuda_activation(int kind, @Cast("const float*") long x, @Cast("float*") long y, long n);

  static native int ts_cuda_activation_grad(int kind, @Cast("const float*") long y,
      @Cast("const float*") long dy, @Cast("float*") long dx, long n);

  static native int ts_cuda_time_step(@Cast("const float*") long x, @Cast("float*") long y,
      int batch, int steps, int features, int step);

  static native int ts_cuda_time_step_grad(@Cast("const float*") long dy, @Cast("float*") long dx,
      int batch, int steps, int features, int step);

  static native int ts_cuda_mse(@Cast("const float*") long pred, @Cast("const float*") long target,
      @Cast("float*") long loss, long n);

  static native int ts_cuda_mse_grad(@Cast("const float*") long pred, @Cast("const float*") long target,
      @Cast("const float*") long dloss, @Cast("float*") long dpred, long n);

  static native int ts_cuda_adam(@Cast("float*") long param, @Cast("const float*") long grad,
      @Cast("float*") long m, @Cast("float*") long v, long n, float lrT, float beta1, float beta2, float eps);

  /** rows is a host array (the library stages it on the device). */
  static native int ts_cuda_gather_rows(@Cast("const float*") long src, int[] rows, int count,
      long rowLen, @Cast("float*") long dst);

  // ---- sequence ops (the twins of CpuNative's; see SequenceKernels) -----------------------
  static native int ts_cuda_layer_norm(@Cast("const float*") long x, @Cast("const float*") long gamma,
      @Cast("const float*") long beta, @Cast("float*") long y, @Cast("float*") long xhat, @Cast("float*") long rstd,
      long rows, int n);

  static native int ts_cuda_layer_norm_grad(@Cast("const float*") long dy, @Cast("const float*") long xhat,
      @Cast("const float*") long rstd, @Cast("const float*") long gamma, @Cast("float*") long dx,
      @Cast("float*") long dgamma, @Cast("float*") long dbeta, long rows, int n);

  static native int ts_cuda_batch_norm(@Cast("const float*") long x, @Cast("const float*") long gamma,
      @Cast("const float*") long beta, @Cast("float*") long y, @Cast("float*") long xhat, @Cast("float*") long mean,
      @Cast("float*") long var, @Cast("float*") long rstd, long rows, int channels);

  static native int ts_cuda_batch_norm_grad(@Cast("const float*") long dy, @Cast("const float*") long xhat,
      @Cast("const float*") long rstd, @Cast("const float*") long gamma, @Cast("float*") long dx,
      @Cast("float*") long dgamma, @Cast("float*") long dbeta, long rows, int channels);

  static native int ts_cuda_batch_norm_inference(@Cast("const float*") long x, @Cast("const float*") long gamma,
      @Cast("const float*") long beta, @Cast("const float*") long movingMean, @Cast("const float*") long movingVar,
      @Cast("float*") long y, long rows, int channels);

  static native int ts_cuda_conv1d(@Cast("const float*") long x, @Cast("const float*") long kernel,
      @Cast("const float*") long bias, @Cast("float*") long y, int batch, int steps, int inChannels, int outChannels,
      int kernelSize, int stride, int dilation, int padLeft, int outSteps, int activation);

  static native int ts_cuda_conv1d_grad(@Cast("const float*") long x, @Cast("const float*") long kernel,
      @Cast("const float*") long y, @Cast("const float*") long dy, @Cast("float*") long dx,
      @Cast("float*") long dkernel, @Cast("float*") long dbias, int batch, int steps, int inChannels,
      int outChannels, int kernelSize, int stride, int dilation, int padLeft, int outSteps, int activation);

  static native int ts_cuda_rnn_forward(int kind, int activation, int batch, int steps, int features, int units,
      @Cast("const float*") long x, @Cast("const float*") long h0, @Cast("const float*") long kernel,
      @Cast("const float*") long recurrent, @Cast("const float*") long bias, @Cast("const float*") long extra,
      @Cast("float*") long out, @Cast("float*") long cache);

  static native int ts_cuda_rnn_backward(int kind, int activation, int batch, int steps, int features, int units,
      @Cast("const float*") long x, @Cast("const float*") long h0, @Cast("const float*") long kernel,
      @Cast("const float*") long recurrent, @Cast("const float*") long bias, @Cast("const float*") long extra,
      @Cast("const float*") long out, @Cast("const float*") long cache, @Cast("const float*") long dout,
      @Cast("float*") long dx, @Cast("float*") long dh0, @Cast("float*") long dkernel,
      @Cast("float*") long drecurrent, @Cast("float*") long dbias, @Cast("float*") long dextra);

  // ---- device and memory (CUDA only) ---------------------------------------------------
  static native int ts_cuda_compiled();

  static native int ts_cuda_device_count(int[] count);

  static native int ts_cuda_device_name(int device, @Cast("char*") byte[] name, int capacity);

  static native int ts_cuda_set_device(int device);

  static native int ts_cuda_mem_info(@Cast("long long*") long[] freeBytes, @Cast("long long*") long[] totalBytes);

  static native int ts_cuda_synchronize();

  static native int ts_cuda_malloc(long bytes, @Cast("long long*") long[] devicePtr);

  static native int ts_cuda_free(long devicePtr);

  static native int ts_cuda_upload(@Cast("float*") long deviceDst, float[] hostSrc, long n);

  static native int ts_cuda_download(@Cast("const float*") long deviceSrc, float[] hostDst, long n);

  // ---- GEMM library (see GemmMode) -------------------------------------------------------
  static native int ts_cuda_gemm_set_mode(int mode);

  /** 1 when cuBLAS is loaded, else 0; writes a NUL-terminated description into text. */
  static native int ts_cuda_gemm_library(@Cast("char*") byte[] text, int capacity);
}
