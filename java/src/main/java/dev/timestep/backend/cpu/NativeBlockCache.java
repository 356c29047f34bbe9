package dev.timestep.backend.cpu;

import dev.timestep.backend.BlockCache;
import dev.timestep.backend.CacheCapacity;
import org.bytedeco.javacpp.Pointer;

/**
 * Freed native blocks kept for reuse, keyed by their exact size. A training step allocates the same
 * tensors every step (layer outputs, gradients); taking them back from here instead of calloc
 * avoids the page faults and cold-memory zeroing that were about a tenth of a WaveNet step. A
 * reused block is zeroed again, so callers still get zero-filled memory. The cache holds at most
 * {@code CACHE.capacityBytes()} (default 256 MiB, {@code -Dtimestep.cpu.cacheBytes}); blocks beyond
 * that are freed at once, and {@code CACHE.release()} frees everything it holds.
 */
final class NativeBlockCache {
  static final String CAPACITY_PROPERTY = "timestep.cpu.cacheBytes";
  private static final long DEFAULT_CAPACITY = 256L << 20;

  /** The blocks themselves: give back, release and the byte counts go straight to it. */
  static final BlockCache<Pointer> CACHE =
      new BlockCache<>(
          CpuBackend.NAME,
          CacheCapacity.fromProperty(CAPACITY_PROPERTY, DEFAULT_CAPACITY),
          new CallocAllocator());

  private NativeBlockCache() {}

  /**
   * A block of {@code bytes}, zero-filled when {@code zeroed} (else a reused block keeps its old
   * contents), or null when native memory is exhausted.
   */
  static Pointer take(long bytes, boolean zeroed) {
    BlockCache.Taken<Pointer> taken = CACHE.take(bytes);
    if (taken == null) {
      return null;
    }
    if (zeroed && !taken.fresh()) { // calloc's fresh blocks are zero already
      Pointer.memset(taken.block(), 0, bytes);
    }
    return taken.block();
  }

  /** calloc/free through JavaCPP; a failed calloc is reported as null. */
  private static final class CallocAllocator implements BlockCache.Allocator<Pointer> {
    @Override
    public Pointer allocate(long bytes) {
      Pointer block = Pointer.calloc(bytes, 1);
      return block == null || block.isNull() ? null : block;
    }

    @Override
    public void free(Pointer block) {
      Pointer.free(block);
    }
  }
}
