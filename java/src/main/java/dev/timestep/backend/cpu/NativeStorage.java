package dev.timestep.backend.cpu;

import dev.timestep.tensor.Storage;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Native (off-heap) memory for the CPU backend, zero-filled, given back on {@link #free()} (to
 * {@link NativeBlockCache}, which reuses or frees it) and never by the GC. Plain calloc/free
 * through JavaCPP rather than a deallocating {@code FloatPointer}: a training step allocates many
 * small tensors, and JavaCPP's deallocator bookkeeping costs about 1.6 µs per allocation against
 * 0.1 µs here. Live bytes are counted exactly in {@link #LIVE_BYTES} (leak tests read it through
 * {@link CpuBackend#liveNativeBytes()}).
 */
final class NativeStorage implements Storage {
  static final AtomicLong LIVE_BYTES = new AtomicLong();

  private FloatPointer pointer;
  private final long capacity;

  /**
   * {@code zeroed}: false when the caller overwrites every element (a reused block keeps old data).
   */
  NativeStorage(long floats, boolean zeroed) {
    Pointer raw = NativeBlockCache.take(floats * Float.BYTES, zeroed);
    if (raw == null || raw.isNull()) {
      throw new OutOfMemoryError(
          "could not allocate " + floats * Float.BYTES + " bytes of native memory");
    }
    this.pointer = new FloatPointer(raw); // a view: owns nothing, so the GC never frees it
    this.capacity = floats;
    LIVE_BYTES.addAndGet(floats * Float.BYTES);
  }

  /** Address of element {@code offset}. */
  long address(long offset) {
    if (pointer == null) {
      throw new IllegalStateException("native storage was already freed");
    }
    return pointer.address() + offset * Float.BYTES;
  }

  FloatPointer pointer() {
    return pointer;
  }

  @Override
  public long capacity() {
    return capacity;
  }

  @Override
  public synchronized void free() {
    if (pointer != null) {
      NativeBlockCache.CACHE.give(pointer, capacity * Float.BYTES);
      pointer = null;
      LIVE_BYTES.addAndGet(-capacity * Float.BYTES);
    }
  }

  @Override
  public boolean isFreed() {
    return pointer == null;
  }

  @Override
  public String backendName() {
    return CpuBackend.NAME;
  }
}
