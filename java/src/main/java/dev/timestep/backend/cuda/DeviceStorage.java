package dev.timestep.backend.cuda;

import dev.timestep.tensor.Storage;
import java.util.concurrent.atomic.AtomicLong;

/** GPU memory from cudaMalloc, freed with cudaFree on {@link #free()}, never by the GC. */
final class DeviceStorage implements Storage {
  /** Bytes currently held by all device storages of this process (leak tests read it). */
  static final AtomicLong LIVE_BYTES = new AtomicLong();

  private long pointer;
  private final long capacity;

  DeviceStorage(long floats) {
    long[] out = new long[1];
    int status = CudaNative.ts_cuda_malloc(floats * Float.BYTES, out);
    if (status != 0) {
      throw new dev.timestep.backend.NativeFailure(
          "cuda malloc of " + floats * Float.BYTES + " bytes", status, CudaNative.ts_cuda_last_error());
    }
    this.pointer = out[0];
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
      CudaNative.ts_cuda_free(pointer);
      pointer = 0;
      LIVE_BYTES.addAndGet(-capacity * Float.BYTES);
    }
  }

  @Override
  public boolean isFreed() {
    return pointer == 0;
  }

  @Override
  public String owner() {
    return CudaBackend.NAME;
  }
}
