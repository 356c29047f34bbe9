package dev.timestep.backend.cuda;

import dev.timestep.backend.BlockCache;
import dev.timestep.backend.CacheCapacity;
import dev.timestep.backend.NativeFailure;

/**
 * Freed device blocks kept for reuse, keyed by their exact size, up to {@code
 * CACHE.capacityBytes()} (default 1 GiB, {@code -Dtimestep.cuda.cacheBytes}). cudaFree waits for
 * the whole device, so without this every tensor a training step frees would cost a host sync.
 * Reusing a block at once is safe because every kernel and copy runs on the one default stream:
 * work that still reads the old tensor is queued before anything the new owner launches.
 */
final class DeviceBlockCache {
  static final String CAPACITY_PROPERTY = "timestep.cuda.cacheBytes";
  private static final long DEFAULT_CAPACITY = 1L << 30;

  /** Status of this thread's last failed cudaMalloc; per thread, like the library's error text. */
  private static final ThreadLocal<int[]> FAILED_STATUS = ThreadLocal.withInitial(() -> new int[1]);

  /** The blocks themselves: give back, release and the byte counts go straight to it. */
  static final BlockCache<Long> CACHE =
      new BlockCache<>(
          CudaBackend.NAME,
          CacheCapacity.fromProperty(CAPACITY_PROPERTY, DEFAULT_CAPACITY),
          new CudaAllocator());

  private DeviceBlockCache() {}

  /**
   * The address of a device block of {@code bytes}; not zeroed (neither cudaMalloc's nor a reused
   * block's contents are defined).
   *
   * @throws NativeFailure when cudaMalloc fails even after the cache was emptied
   */
  static long take(long bytes) {
    BlockCache.Taken<Long> taken = CACHE.take(bytes);
    if (taken == null) {
      throw new NativeFailure(
          "cuda malloc of " + bytes + " bytes",
          FAILED_STATUS.get()[0],
          CudaNative.ts_cuda_last_error());
    }
    return taken.block();
  }

  /** cudaMalloc/cudaFree through the library; a failed malloc is reported as null. */
  private static final class CudaAllocator implements BlockCache.Allocator<Long> {
    @Override
    public Long allocate(long bytes) {
      long[] out = new long[1];
      int status = CudaNative.ts_cuda_malloc(bytes, out);
      if (status != 0) {
        FAILED_STATUS.get()[0] = status;
        return null;
      }
      return out[0];
    }

    @Override
    public void free(Long address) {
      CudaNative.ts_cuda_free(
          address); // like the cudaFree before the cache: a failure here has no one to report to
    }
  }
}
