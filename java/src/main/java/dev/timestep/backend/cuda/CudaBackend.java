package dev.timestep.backend.cuda;

import dev.timestep.backend.BackendUnavailableException;
import dev.timestep.backend.MemoryLimit;
import dev.timestep.backend.NativeBackend;
import dev.timestep.backend.cpu.CpuNative;
import dev.timestep.tensor.Storage;
import dev.timestep.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import org.bytedeco.javacpp.Pointer;

/**
 * The CUDA backend: tensors live in device memory and every op is one call into libtimestep_cuda,
 * whose kernels share their math with the CPU library (native/common). That library links the CUDA
 * runtime statically, so only an NVIDIA driver is needed.
 */
public final class CudaBackend extends NativeBackend {
  public static final String NAME = "cuda";
  private static volatile CudaBackend instance;

  private final String deviceName;
  private final GemmMode gemmMode;
  private final MemoryLimit memoryLimit;

  private CudaBackend(String deviceName, GemmMode gemmMode, MemoryLimit memoryLimit) {
    super(cudaDevice());
    this.deviceName = deviceName;
    this.gemmMode = gemmMode;
    this.memoryLimit = memoryLimit;
  }

  /** The library's device handle; a build without CUDA kernels has none. */
  private static long cudaDevice() {
    Pointer device = CudaNative.ts_cuda_device();
    if (device == null || device.isNull()) {
      throw new BackendUnavailableException(
          "the cuda backend is unavailable: " + CudaNative.ts_cuda_last_error());
    }
    return device.address();
  }

  /**
   * The CUDA backend on device 0, its matrix products run as {@code -D}{@value GemmMode#PROPERTY}
   * says when it is first created (see {@link GemmMode}).
   *
   * @throws IllegalArgumentException when that property names no mode (checked first)
   * @throws BackendUnavailableException when the library has no kernels or no device is usable
   */
  public static CudaBackend get() {
    if (instance == null) {
      synchronized (CudaBackend.class) {
        if (instance == null) {
          GemmMode gemm = GemmMode.fromProperty();
          CudaProbe.Result probe = CudaProbe.probe();
          if (!probe.usable()) {
            throw new BackendUnavailableException(
                "the cuda backend is unavailable: " + probe.reason());
          }
          int status = CudaNative.ts_cuda_set_device(0);
          if (status != 0) {
            throw new BackendUnavailableException(
                "cuda: cannot select device 0: " + CudaNative.ts_cuda_last_error());
          }
          status = CudaNative.ts_cuda_gemm_set_mode(gemm.code());
          if (status != 0) {
            throw new IllegalStateException(
                "cuda: cannot set GEMM mode "
                    + gemm.text()
                    + ": "
                    + CudaNative.ts_cuda_last_error());
          }
          instance = new CudaBackend(probe.deviceName(), gemm, deviceMemory(probe.deviceName()));
        }
      }
    }
    return instance;
  }

  /**
   * The device's total memory (no tensor can be larger), or no limit when the runtime does not say.
   */
  private static MemoryLimit deviceMemory(String deviceName) {
    long[] free = new long[1];
    long[] total = new long[1];
    if (CudaNative.ts_cuda_mem_info(free, total) != 0 || total[0] <= 0) {
      return new MemoryLimit(Long.MAX_VALUE / Float.BYTES, "what a long can count");
    }
    return MemoryLimit.ofBytes(total[0], "the memory of " + deviceName);
  }

  @Override
  protected MemoryLimit memoryLimit() {
    return memoryLimit;
  }

  /** How this backend's matrix products are run (fixed when it was created). */
  public GemmMode gemmMode() {
    return gemmMode;
  }

  /**
   * The GEMM library that libtimestep_cuda found, in its own words: "cuBLAS 130001 from
   * /usr/local/cuda/lib64/libcublas.so.13", or "none: ..." saying why not. Loads cuBLAS if that was
   * not tried yet, whatever the mode.
   */
  public String gemmLibrary() {
    byte[] text = new byte[1024];
    CudaNative.ts_cuda_gemm_library(text, text.length);
    int len = 0;
    while (len < text.length && text[len] != 0) {
      len++;
    }
    return new String(text, 0, len, StandardCharsets.UTF_8);
  }

  /** What runs the matrix products, in a few words (does not load cuBLAS in mode own). */
  public String gemmSummary() {
    if (gemmMode == GemmMode.OWN) {
      return "own kernels (" + GemmMode.PROPERTY + "=own)";
    }
    String library = gemmLibrary();
    if (!library.startsWith("cuBLAS")) {
      return "own kernels, no cuBLAS (" + library + ")";
    }
    return gemmMode == GemmMode.AUTO
        ? library + " for products of 2^21+ multiply-adds, own kernels below"
        : library + " for every product";
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "CUDA (" + deviceName + ", libtimestep_cuda; GEMM: " + gemmSummary() + ")";
  }

  /** Bytes of device memory currently held by Timestep tensors in this process. */
  public static long liveDeviceBytes() {
    return DeviceStorage.LIVE_BYTES.get();
  }

  /**
   * Bytes of freed device memory kept for reuse by later tensors of the same size (at most {@code
   * -Dtimestep.cuda.cacheBytes}, default 1 GiB). Not counted by {@link #liveDeviceBytes()}.
   */
  public static long cachedDeviceBytes() {
    return DeviceBlockCache.CACHE.cachedBytes();
  }

  /** Frees (cudaFree) the memory {@link #cachedDeviceBytes()} counts. */
  public static void releaseCachedMemory() {
    DeviceBlockCache.CACHE.release();
  }

  @Override
  protected long address(Tensor t) {
    return ((DeviceStorage) t.storage()).address(t.offset());
  }

  @Override
  protected Storage newStorage(long floats) {
    DeviceStorage storage = new DeviceStorage(floats);
    int status =
        CpuNative.ts_fill(
            device(), storage.address(0), floats, 0f); // neither cudaMalloc nor the cache zeroes
    if (status != 0) {
      storage.free();
      check("zero new memory", status);
    }
    return storage;
  }

  @Override
  protected Storage newStorageForOverwrite(long floats) {
    return new DeviceStorage(floats); // the caller writes every element: no fill
  }

  @Override
  protected void runUpload(float[] src, Tensor dst) {
    check("upload", CudaNative.ts_cuda_upload(address(dst), src, src.length));
  }

  @Override
  protected void runDownload(Tensor src, float[] dst) {
    check("download", CudaNative.ts_cuda_download(address(src), dst, dst.length));
  }

  /** Reading the loss after every batch would stall the host on the device 1 batch in 1. */
  @Override
  public int syncInterval() {
    return 16;
  }

  @Override
  public void synchronize() {
    check("synchronize", CudaNative.ts_cuda_synchronize());
  }
}
