package dev.timestep.backend.cuda;

import dev.timestep.tensor.Storage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GPU memory from {@link DeviceBlockCache} (cudaMalloc, or a block a freed tensor gave back), given
 * back to it on {@link #free()}, never by the GC. Not zeroed: {@link CudaBackend} fills it when the
 * caller needs zeros.
 */
final class DeviceStorage implements Storage {
  /**
   * Bytes held by the live device storages of this process (leak tests read it); cached blocks do
   * not count.
   */
  static final AtomicLong LIVE_BYTES = new AtomicLong();

  private long pointer;
  private final long capacity;

  DeviceStorage(long floats) {
    this.pointer = DeviceBlockCache.take(floats * Float.BYTES);
    this.capacity = floats;
    LIVE_BYTES.addAndGet(floats * Float.BYTES);
  }

  long address(long offset) {
    if (pointer == 0) {
      throw new IllegalStateException("device storage was already freed");
    }
    return pointer + offset * Float.BYTES;
  }

  @Override
  public long capacity() {
    return capacity;
  }

  @Override
  public synchronized void free() {
    if (pointer != 0) {
      DeviceBlockCache.CACHE.give(pointer, capacity * Float.BYTES);
      pointer = 0;
      LIVE_BYTES.addAndGet(-capacity * Float.BYTES);
    }
  }

  @Override
  public boolean isFreed() {
    return pointer == 0;
  }

  @Override
  public String backendName() {
    return CudaBackend.NAME;
  }
}
