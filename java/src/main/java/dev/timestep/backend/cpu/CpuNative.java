package dev.timestep.backend.cpu;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.CriticalRegion;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * The one JavaCPP binding of the native ops ({@code native/include/timestep/ops.h}), for every
 * device, plus the CPU library's own functions ({@code cpu_api.h}). Each op takes the device handle
 * first ({@link #ts_cpu_device()} or the CUDA library's {@code ts_cuda_device()}) and dispatches
 * through that device's function table inside this glue, so the CPU and CUDA libraries never export
 * the same symbol. The glue links libtimestep_cpu, which every build has. Buffers travel as raw
 * addresses ({@code long}) so views into a larger allocation (a parameter arena, a batch slice)
 * cost nothing. Callers must validate every argument first: this class is the last stop before
 * native code; {@link dev.timestep.backend.NativeBackend} calls it directly.
 */
@Properties(value = @Platform(include = "timestep/cpu_api.h", link = "timestep_cpu"))
public final class CpuNative {
  static {
    Loader.load();
  }

  private CpuNative() {}

  // ---- the CPU library ---------------------------------------------------------------------
  /** The CPU device (static in the library; never freed). */
  static native @Cast("const ts_device*") Pointer ts_cpu_device();

  static native String ts_cpu_last_error();

  static native int ts_cpu_fma_peak(double seconds, int threads, double[] gflops);

  static native int ts_cpu_set_threads(int threads);

  static native int ts_cpu_threads();

  static native int ts_cpu_set_scratch_cache(long bytes);

  static native long ts_cpu_scratch_cached_bytes();

  static native void ts_cpu_release_scratch();

  // ---- ops.h: every op, on the given device --------------------------------------------------
  /** The message of the device library's last failure on this thread. */
  public static native String ts_last_error(@Cast("const ts_device*") long device);

  public static native int ts_fill(
      @Cast("const ts_device*") long device, @Cast("float*") long x, long n, float value);

  public static native int ts_copy(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long src,
      @Cast("float*") long dst,
      long n);

  public static native int ts_accumulate(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long src,
      @Cast("float*") long dst,
      long n);

  public static native int ts_matmul(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long a,
      @Cast("const float*") long b,
      @Cast("float*") long c,
      int m,
      int n,
      int k,
      int transA,
      int transB,
      int accumulate);

  public static native int ts_add_bias(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long x,
      @Cast("const float*") long bias,
      @Cast("float*") long y,
      long rows,
      int cols);

  public static native int ts_bias_grad(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long dy,
      @Cast("float*") long dbias,
      long rows,
      int cols);

  public static native int ts_add(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long a,
      @Cast("const float*") long b,
      @Cast("float*") long y,
      long n);

  public static native int ts_mul(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long a,
      @Cast("const float*") long b,
      @Cast("float*") long y,
      long n);

  public static native int ts_mul_grad(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long dy,
      @Cast("const float*") long other,
      @Cast("float*") long dx,
      long n);

  public static native int ts_activation(
      @Cast("const ts_device*") long device,
      int kind,
      @Cast("const float*") long x,
      @Cast("float*") long y,
      long n);

  public static native int ts_activation_grad(
      @Cast("const ts_device*") long device,
      int kind,
      @Cast("const float*") long y,
      @Cast("const float*") long dy,
      @Cast("float*") long dx,
      long n);

  public static native int ts_time_step(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long x,
      @Cast("float*") long y,
      int batch,
      int steps,
      int features,
      int step);

  public static native int ts_time_step_grad(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long dy,
      @Cast("float*") long dx,
      int batch,
      int steps,
      int features,
      int step);

  public static native int ts_mse(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long pred,
      @Cast("const float*") long target,
      @Cast("float*") long loss,
      long n);

  public static native int ts_mse_grad(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long pred,
      @Cast("const float*") long target,
      @Cast("const float*") long dloss,
      @Cast("float*") long dpred,
      long n);

  /** {@code params} is a host array on every device. */
  public static native int ts_elementwise_loss(
      @Cast("const ts_device*") long device,
      int kind,
      float[] params,
      int k,
      @Cast("const float*") long pred,
      @Cast("const float*") long target,
      @Cast("float*") long loss,
      long n);

  /** {@code params} is a host array on every device; dpred or dtarget may be 0 (NULL). */
  public static native int ts_elementwise_loss_grad(
      @Cast("const ts_device*") long device,
      int kind,
      float[] params,
      int k,
      @Cast("const float*") long pred,
      @Cast("const float*") long target,
      @Cast("const float*") long dloss,
      @Cast("float*") long dpred,
      @Cast("float*") long dtarget,
      long n);

  public static native int ts_sum(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long x,
      @Cast("float*") long y,
      long n);

  public static native int ts_sum_grad(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long dy,
      @Cast("float*") long dx,
      long n);

  public static native int ts_adam(
      @Cast("const ts_device*") long device,
      @Cast("float*") long param,
      @Cast("const float*") long grad,
      @Cast("float*") long m,
      @Cast("float*") long v,
      @Cast("float*") long vhat,
      long n,
      float lrT,
      float beta1,
      float beta2,
      float eps,
      float decay);

  public static native int ts_sgd(
      @Cast("const ts_device*") long device,
      @Cast("float*") long param,
      @Cast("const float*") long grad,
      @Cast("float*") long velocity,
      long n,
      float lr,
      float momentum,
      int nesterov);

  public static native int ts_rmsprop(
      @Cast("const ts_device*") long device,
      @Cast("float*") long param,
      @Cast("const float*") long grad,
      @Cast("float*") long velocity,
      @Cast("float*") long averageGrad,
      @Cast("float*") long momentumBuf,
      long n,
      float lr,
      float rho,
      float momentum,
      float eps);

  public static native int ts_gather_rows(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long src,
      int[] rows,
      int count,
      long rowLen,
      @Cast("float*") long dst);

  public static native int ts_conv1d(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long x,
      @Cast("const float*") long kernel,
      @Cast("const float*") long bias,
      @Cast("float*") long y,
      int batch,
      int steps,
      int inChannels,
      int outChannels,
      int kernelSize,
      int stride,
      int dilation,
      int padLeft,
      int outSteps,
      int activation);

  public static native int ts_conv1d_grad(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long x,
      @Cast("const float*") long kernel,
      @Cast("const float*") long y,
      @Cast("const float*") long dy,
      @Cast("float*") long dx,
      @Cast("float*") long dkernel,
      @Cast("float*") long dbias,
      int batch,
      int steps,
      int inChannels,
      int outChannels,
      int kernelSize,
      int stride,
      int dilation,
      int padLeft,
      int outSteps,
      int activation);

  public static native int ts_layer_norm(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long x,
      @Cast("const float*") long gamma,
      @Cast("const float*") long beta,
      @Cast("float*") long y,
      @Cast("float*") long xhat,
      @Cast("float*") long rstd,
      long rows,
      int n);

  public static native int ts_layer_norm_grad(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long dy,
      @Cast("const float*") long xhat,
      @Cast("const float*") long rstd,
      @Cast("const float*") long gamma,
      @Cast("float*") long dx,
      @Cast("float*") long dgamma,
      @Cast("float*") long dbeta,
      long rows,
      int n);

  public static native int ts_batch_norm(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long x,
      @Cast("const float*") long gamma,
      @Cast("const float*") long beta,
      @Cast("float*") long y,
      @Cast("float*") long xhat,
      @Cast("float*") long mean,
      @Cast("float*") long var,
      @Cast("float*") long rstd,
      long rows,
      int channels);

  public static native int ts_batch_norm_grad(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long dy,
      @Cast("const float*") long xhat,
      @Cast("const float*") long rstd,
      @Cast("const float*") long gamma,
      @Cast("float*") long dx,
      @Cast("float*") long dgamma,
      @Cast("float*") long dbeta,
      long rows,
      int channels);

  public static native int ts_batch_norm_inference(
      @Cast("const ts_device*") long device,
      @Cast("const float*") long x,
      @Cast("const float*") long gamma,
      @Cast("const float*") long beta,
      @Cast("const float*") long movingMean,
      @Cast("const float*") long movingVar,
      @Cast("float*") long y,
      long rows,
      int channels);

  public static native int ts_rnn_forward(
      @Cast("const ts_device*") long device,
      int kind,
      int activation,
      int batch,
      int steps,
      int features,
      int units,
      @Cast("const float*") long x,
      @Cast("const float*") long h0,
      @Cast("const float*") long c0,
      @Cast("const float*") long kernel,
      @Cast("const float*") long recurrent,
      @Cast("const float*") long bias,
      @Cast("const float*") long cellWeights,
      @Cast("float*") long out,
      @Cast("float*") long cache);

  /**
   * The fused streaming step; every array is a host array (plan, buffers of device addresses,
   * slots, x, y), read and written in place under the JNI critical region: no copies.
   */
  @CriticalRegion
  public static native int ts_stream_step(
      @Cast("const ts_device*") long device,
      @Cast("const int*") int[] plan,
      @Cast("float* const*") long[] buffers,
      int chunks,
      int chunkRows,
      @Cast("const int*") int[] slots,
      int count,
      @Cast("const float*") float[] x,
      float[] y);

  public static native int ts_rnn_backward(
      @Cast("const ts_device*") long device,
      int kind,
      int activation,
      int batch,
      int steps,
      int features,
      int units,
      @Cast("const float*") long x,
      @Cast("const float*") long h0,
      @Cast("const float*") long c0,
      @Cast("const float*") long kernel,
      @Cast("const float*") long recurrent,
      @Cast("const float*") long bias,
      @Cast("const float*") long cellWeights,
      @Cast("const float*") long out,
      @Cast("const float*") long cache,
      @Cast("const float*") long dout,
      @Cast("const float*") long dcLast,
      @Cast("float*") long dx,
      @Cast("float*") long dh0,
      @Cast("float*") long dc0,
      @Cast("float*") long dkernel,
      @Cast("float*") long drecurrent,
      @Cast("float*") long dbias,
      @Cast("float*") long dcellWeights);
}
