package dev.timestep.backend.cpu;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * JavaCPP binding of {@code native/include/timestep/cpu_api.h}. Buffers travel as raw
 * addresses ({@code long}) so views into a larger allocation (a parameter arena, a batch
 * slice) cost nothing. Callers must validate every argument first: this class is the
 * last stop before native code. Only {@link CpuKernels} calls it.
 */
@Properties(value = @Platform(include = "timestep/cpu_api.h", link = "timestep_cpu"))
final class CpuNative {
  static {
    Loader.load();
  }

  private CpuNative() {}

  static native String ts_cpu_last_error();

  static native int ts_cpu_fill(@Cast("float*") long x, long n, float value);

  static native int ts_cpu_copy(@Cast("const float*") long src, @Cast("float*") long dst, long n);

  static native int ts_cpu_accumulate(@Cast("const float*") long src, @Cast("float*") long dst, long n);

  static native int ts_cpu_matmul(@Cast("const float*") long a, @Cast("const float*") long b,
      @Cast("float*") long c, int m, int n, int k, int transA, int transB, int accumulate);

  static native int ts_cpu_add_bias(@Cast("const float*") long x, @Cast("const float*") long bias,
      @Cast("float*") long y, long rows, int cols);

  static native int ts_cpu_bias_grad(@Cast("const float*") long dy, @Cast("float*") long dbias,
      long rows, int cols);

  static native int ts_cpu_add(@Cast("const float*") long a, @Cast("const float*") long b,
      @Cast("float*") long y, long n);

  static native int ts_cpu_mul(@Cast("const float*") long a, @Cast("const float*") long b,
      @Cast("float*") long y, long n);

  static native int ts_cpu_mul_grad(@Cast("const float*") long dy, @Cast("const float*") long other,
      @Cast("float*") long dx, long n);

  static native int ts_cpu_activation(int kind, @Cast("const float*") long x, @Cast("float*") long y, long n);

  static native int ts_cpu_activation_grad(int kind, @Cast("const float*") long y,
      @Cast("const float*") long dy, @Cast("float*") long dx, long n);

  static native int ts_cpu_last_step(@Cast("const float*") long x, @Cast("float*") long y,
      int batch, int steps, int features);

  static native int ts_cpu_last_step_grad(@Cast("const float*") long dy, @Cast("float*") long dx,
      int batch, int steps, int features);

  static native int ts_cpu_mse(@Cast("const float*") long pred, @Cast("const float*") long target,
      @Cast("float*") long loss, long n);

  static native int ts_cpu_mse_grad(@Cast("const float*") long pred, @Cast("const float*") long target,
      @Cast("const float*") long dloss, @Cast("float*") long dpred, long n);

  static native int ts_cpu_adam(@Cast("float*") long param, @Cast("const float*") long grad,
      @Cast("float*") long m, @Cast("float*") long v, long n, float lrT, float beta1, float beta2, float eps);

  static native int ts_cpu_gather_rows(@Cast("const float*") long src, int[] rows, int count,
      long rowLen, @Cast("float*") long dst);
}
