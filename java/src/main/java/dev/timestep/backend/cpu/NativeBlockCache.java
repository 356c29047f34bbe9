package dev.timestep.backend.cpu;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;

/**
 * Freed native blocks kept for reuse, keyed by their exact size. A training step allocates the
 * same tensors every step (layer outputs, gradients); taking them back from here instead of
 * calloc avoids the page faults and cold-memory zeroing that were about a tenth of a WaveNet
 * step. A reused block is zeroed again, so callers still get zero-filled memory. The cache holds
 * at most {@link #capacityBytes()} (default 256 MiB, {@code -Dtimestep.cpu.cacheBytes}); blocks
 * beyond that are freed at once, and {@link #release()} frees everything it holds.
 */
final class NativeBlockCache {
  static final String CAPACITY_PROPERTY = "timestep.cpu.cacheBytes";
  private static final long DEFAULT_CAPACITY = 256L << 20;

  private static final Map<Long, ArrayDeque<Pointer>> FREE = new HashMap<>();
  private static final long CAPACITY = capacityFromProperty();
  private static long cachedBytes;

  private NativeBlockCache() {}

  /**
   * A block of {@code bytes}, zero-filled when {@code zeroed} (else a reused block keeps its old
   * contents), or null when native memory is exhausted.
   */
  static Pointer take(long bytes, boolean zeroed) {
    Pointer block;
    synchronized (NativeBlockCache.class) {
      ArrayDeque<Pointer> blocks = FREE.get(bytes);
      block = blocks == null ? null : blocks.pollLast();
      if (block != null) {
        cachedBytes -= bytes;
      }
    }
    if (block == null) {
      return Pointer.calloc(bytes, 1);
    }
    if (zeroed) {
      Pointer.memset(block, 0, bytes);
    }
    return block;
  }

  /** Takes back a block that {@link #take} gave out; frees it when the cache is full. */
  static void give(Pointer block, long bytes) {
    synchronized (NativeBlockCache.class) {
      if (cachedBytes + bytes <= CAPACITY) {
        FREE.computeIfAbsent(bytes, k -> new ArrayDeque<>()).addLast(block);
        cachedBytes += bytes;
        return;
      }
    }
    Pointer.free(block);
  }

  /** Frees every cached block. */
  static synchronized void release() {
    for (ArrayDeque<Pointer> blocks : FREE.values()) {
      for (Pointer block : blocks) {
        Pointer.free(block);
      }
    }
    FREE.clear();
    cachedBytes = 0;
  }

  static synchronized long cachedBytes() {
    return cachedBytes;
  }

  static long capacityBytes() {
    return CAPACITY;
  }

  private static long capacityFromProperty() {
    String text = System.getProperty(CAPACITY_PROPERTY);
    if (text == null || text.isBlank()) {
      return DEFAULT_CAPACITY;
    }
    try {
      long bytes = Long.parseLong(text.trim());
      if (bytes < 0) {
        throw new NumberFormatException("negative");
      }
      return bytes;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + CAPACITY_PROPERTY + " must be a number of bytes >= 0 (0 turns the cache off), got '" + text + "'", e);
    }
  }
}
