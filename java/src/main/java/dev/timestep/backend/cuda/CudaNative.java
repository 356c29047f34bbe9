package dev.timestep.backend.cuda;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * JavaCPP binding of the CUDA library's own functions ({@code native/include/timestep/cuda_api.h}):
 * its device handle, memory and settings. Its ops run through the one ops binding, {@link
 * dev.timestep.backend.cpu.CpuNative}, on {@link #ts_cuda_device()}. Callers must validate every
 * argument first: this class is the last stop before native code.
 */
@Properties(value = @Platform(include = "timestep/cuda_api.h", link = "timestep_cuda"))
final class CudaNative {
  static {
    Loader.load();
  }

  private CudaNative() {}

  static native String ts_cuda_last_error();

  /**
   * The CUDA device whose ops {@link dev.timestep.backend.cpu.CpuNative} runs; null without CUDA
   * kernels.
   */
  static native @Cast("const ts_device*") Pointer ts_cuda_device();

  // ---- device and memory (CUDA only) ---------------------------------------------------
  static native int ts_cuda_compiled();

  static native int ts_cuda_device_count(int[] count);

  static native int ts_cuda_device_name(int device, @Cast("char*") byte[] name, int capacity);

  static native int ts_cuda_set_device(int device);

  static native int ts_cuda_mem_info(
      @Cast("long long*") long[] freeBytes, @Cast("long long*") long[] totalBytes);

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
