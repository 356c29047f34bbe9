package dev.timestep.backend;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Freed memory blocks kept for reuse, in free lists keyed by their exact size, holding at most
 * {@link #capacityBytes()} (0 turns caching off). A training step allocates the same tensor sizes
 * every step, so taking them back from here skips the allocator: calloc's page faults on the CPU,
 * and on a GPU cudaFree, which waits for the whole device. Thread-safe; the allocator is called
 * outside the lock, so a slow allocation does not hold up other threads.
 *
 * @param <T> the block handle (a pointer object, a device address)
 */
public final class BlockCache<T> {
  /** Where new blocks come from and where blocks the cache does not keep go. */
  public interface Allocator<T> {
    /** A new block of {@code bytes}, or null when the memory is exhausted. */
    T allocate(long bytes);

    void free(T block);
  }

  /**
   * A block from {@link #take}: {@code fresh} when newly allocated (its contents are whatever the
   * allocator gives), else reused with the contents its last user left.
   */
  public record Taken<T>(T block, boolean fresh) {}

  private final String name;
  private final long capacity;
  private final Allocator<T> allocator;
  private final Map<Long, ArrayDeque<T>> free = new HashMap<>();
  private long cached;

  public BlockCache(String name, long capacityBytes, Allocator<T> allocator) {
    if (name == null || allocator == null) {
      throw new IllegalArgumentException("BlockCache: name and allocator must not be null");
    }
    if (capacityBytes < 0) {
      throw new IllegalArgumentException(
          "BlockCache " + name + ": capacity must be >= 0 bytes, got " + capacityBytes);
    }
    this.name = name;
    this.capacity = capacityBytes;
    this.allocator = allocator;
  }

  /**
   * A block of exactly {@code bytes}: a cached one when there is one, else a new one. When the
   * allocator fails while the cache holds blocks, they are freed and the allocation tried once
   * more, so memory parked here (blocks of other sizes) never causes an out-of-memory.
   *
   * @return the block, or null when the allocator cannot provide one
   */
  public Taken<T> take(long bytes) {
    checkSize(bytes);
    synchronized (free) {
      ArrayDeque<T> blocks = free.get(bytes);
      T block =
          blocks == null ? null : blocks.pollLast(); // the most recent: likeliest still in cache
      if (block != null) {
        cached -= bytes;
        return new Taken<>(block, false);
      }
    }
    T block = allocator.allocate(bytes);
    if (block == null && cachedBytes() > 0) {
      release();
      block = allocator.allocate(bytes);
    }
    return block == null ? null : new Taken<>(block, true);
  }

  /**
   * Takes back a block of {@code bytes} from {@link #take}; frees it at once when it would not fit.
   */
  public void give(T block, long bytes) {
    if (block == null) {
      throw new IllegalArgumentException("BlockCache " + name + ": cannot give back a null block");
    }
    checkSize(bytes);
    synchronized (free) {
      if (bytes <= capacity - cached) {
        free.computeIfAbsent(bytes, k -> new ArrayDeque<>()).addLast(block);
        cached += bytes;
        return;
      }
    }
    allocator.free(block);
  }

  /** Frees every cached block. */
  public void release() {
    List<T> blocks = new ArrayList<>();
    synchronized (free) {
      for (ArrayDeque<T> list : free.values()) {
        blocks.addAll(list);
      }
      free.clear();
      cached = 0;
    }
    for (T block : blocks) {
      allocator.free(block);
    }
  }

  /** Bytes of the blocks held for reuse (not counting those given out). */
  public long cachedBytes() {
    synchronized (free) {
      return cached;
    }
  }

  public long capacityBytes() {
    return capacity;
  }

  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "BlockCache[" + name + ", " + cachedBytes() + " of " + capacity + " bytes]";
  }

  private void checkSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("BlockCache " + name + ": negative block size " + bytes);
    }
  }
}
