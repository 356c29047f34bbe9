package dev.timestep.backend.cuda;

import java.nio.charset.StandardCharsets;
import org.bytedeco.javacpp.Loader;

/**
 * Answers "can the CUDA backend run here?" without ever throwing: no native library for this
 * platform, a build without nvcc, no driver and no device are all normal answers.
 */
public final class CudaProbe {
  private CudaProbe() {}

  /** What the probe found. {@code reason} explains a "no" in words a user can act on. */
  public record Result(boolean usable, String deviceName, String reason) {}

  private static volatile Result cached;

  /** Whether the loaded libtimestep_cuda has real kernels (false for the no-nvcc stub). */
  public static boolean kernelsCompiled() {
    try {
      Loader.load(CudaNative.class);
      return CudaNative.ts_cuda_compiled() == 1;
    } catch (Throwable t) {
      return false;
    }
  }

  public static Result probe() {
    Result r = cached;
    if (r == null) {
      r = runProbe();
      cached = r;
    }
    return r;
  }

  private static Result runProbe() {
    try {
      Loader.load(CudaNative.class);
    } catch (Throwable t) { // LinkageError, or anything a broken install throws while loading
      return new Result(false, null, "libtimestep_cuda could not be loaded (" + t + ")");
    }
    try {
      if (CudaNative.ts_cuda_compiled() == 0) {
        return new Result(
            false,
            null,
            "this build has no CUDA kernels (it was built without nvcc, or with -Dts.cuda=OFF)");
      }
      int[] count = new int[1];
      int status = CudaNative.ts_cuda_device_count(count);
      if (status != 0 || count[0] < 1) {
        return new Result(false, null, CudaNative.ts_cuda_last_error());
      }
      byte[] name = new byte[256];
      CudaNative.ts_cuda_device_name(0, name, name.length);
      int len = 0;
      while (len < name.length && name[len] != 0) {
        len++;
      }
      return new Result(
          true,
          new String(name, 0, len, StandardCharsets.UTF_8),
          "found " + count[0] + " device(s)");
    } catch (Throwable t) {
      return new Result(false, null, "the CUDA probe failed (" + t + ")");
    }
  }
}
