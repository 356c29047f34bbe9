package dev.timestep.backend.cpu;

import dev.timestep.backend.MemoryLimit;
import dev.timestep.backend.NativeBackend;
import dev.timestep.tensor.Storage;
import dev.timestep.tensor.Tensor;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;

/** The native C++ backend: every op is one JNI call into libtimestep_cpu. */
public final class CpuBackend extends NativeBackend {
  public static final String NAME = "cpu";

  /** System property: threads the native kernels may use (default: every available core). */
  public static final String THREADS_PROPERTY = "timestep.cpu.threads";

  private static final int MAX_THREADS = 64;
  private static volatile CpuBackend instance;
  private volatile MemoryLimit memoryLimit;

  private CpuBackend() {
    super(CpuNative.ts_cpu_device().address());
  }

  /**
   * The CPU backend, loading the native library on first use.
   *
   * @throws LinkageError when the native library cannot load on this platform
   */
  public static CpuBackend get() {
    if (instance == null) {
      synchronized (CpuBackend.class) {
        if (instance == null) {
          Loader.load(CpuNative.class);
          String threads = System.getProperty(THREADS_PROPERTY);
          if (threads != null && !threads.isBlank()) {
            setThreads(parseThreads(threads.trim()));
          }
          if (CpuNative.ts_cpu_set_scratch_cache(NativeBlockCache.CACHE.capacityBytes()) != 0) {
            throw new IllegalStateException(
                "ts_cpu_set_scratch_cache: " + CpuNative.ts_cpu_last_error());
          }
          instance = new CpuBackend();
        }
      }
    }
    return instance;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "native C++ (libtimestep_cpu, "
        + System.getProperty("os.arch")
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores, "
        + threads()
        + " kernel threads)";
  }

  /**
   * Sets how many threads the native kernels may use (0 = every core this process may run on).
   * Results repeat exactly for a given thread count; they may differ in the last bits between
   * thread counts, where partial sums are added in a different order.
   *
   * @throws IllegalArgumentException when threads is outside 0..64
   */
  public static void setThreads(int threads) {
    if (threads < 0 || threads > MAX_THREADS) {
      throw new IllegalArgumentException(
          "threads must be 0 (all cores) to " + MAX_THREADS + ", got " + threads);
    }
    Loader.load(CpuNative.class);
    if (CpuNative.ts_cpu_set_threads(threads) != 0) {
      throw new IllegalStateException("ts_cpu_set_threads: " + CpuNative.ts_cpu_last_error());
    }
  }

  /** Threads the native kernels use now. */
  public static int threads() {
    Loader.load(CpuNative.class);
    return CpuNative.ts_cpu_threads();
  }

  /**
   * The measured float multiply-add rate (GFLOP/s) of {@code threads} threads running independent
   * FMA chains for about {@code seconds}: the floor against which speed reports compare a model's
   * FLOP count.
   *
   * @throws IllegalArgumentException when seconds is outside (0, 60] or threads outside 1..64
   */
  public static double fmaPeakGflops(double seconds, int threads) {
    if (!(seconds > 0 && seconds <= 60) || threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException(
          "fmaPeakGflops: seconds must be in (0, 60] and threads in 1.."
              + MAX_THREADS
              + ", got "
              + seconds
              + " s, "
              + threads
              + " threads");
    }
    Loader.load(CpuNative.class);
    double[] gflops = new double[1];
    if (CpuNative.ts_cpu_fma_peak(seconds, threads, gflops) != 0) {
      throw new IllegalStateException("ts_cpu_fma_peak: " + CpuNative.ts_cpu_last_error());
    }
    return gflops[0];
  }

  private static int parseThreads(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D"
              + THREADS_PROPERTY
              + " must be a whole number of threads (0 = all cores), got '"
              + text
              + "'",
          e);
    }
  }

  /**
   * Bytes of freed native memory kept for reuse: tensors, for later tensors of the same size, and
   * the kernels' large scratch buffers (4 MB and more), each cache holding at most {@code
   * -Dtimestep.cpu.cacheBytes} (default 256 MiB). Not counted by {@link #liveNativeBytes()}.
   */
  public static long cachedNativeBytes() {
    get();
    return NativeBlockCache.CACHE.cachedBytes() + CpuNative.ts_cpu_scratch_cached_bytes();
  }

  /** Frees the memory {@link #cachedNativeBytes()} counts. */
  public static void releaseCachedMemory() {
    get();
    NativeBlockCache.CACHE.release();
    CpuNative.ts_cpu_release_scratch();
  }

  /** Bytes of native memory currently held by CPU-backend tensors in this process. */
  public static long liveNativeBytes() {
    return NativeStorage.LIVE_BYTES.get();
  }

  @Override
  protected long address(Tensor t) {
    return ((NativeStorage) t.storage()).address(t.offset());
  }

  /** Physical memory, looked up once. */
  @Override
  protected MemoryLimit memoryLimit() {
    MemoryLimit limit = memoryLimit;
    if (limit == null) {
      limit = MemoryLimit.physicalMemory();
      memoryLimit = limit;
    }
    return limit;
  }

  @Override
  protected Storage newStorage(long floats) {
    return new NativeStorage(floats, true);
  }

  @Override
  protected Storage newStorageForOverwrite(long floats) {
    return new NativeStorage(floats, false);
  }

  @Override
  protected void runUpload(float[] src, Tensor dst) {
    // A fresh non-owning view carries the position, so concurrent copies never share state.
    new FloatPointer(((NativeStorage) dst.storage()).pointer())
        .position(dst.offset())
        .put(src, 0, src.length);
  }

  @Override
  protected void runDownload(Tensor src, float[] dst) {
    new FloatPointer(((NativeStorage) src.storage()).pointer())
        .position(src.offset())
        .get(dst, 0, dst.length);
  }
}
