package dev.timestep.backend.cpu;

import dev.timestep.tensor.Storage;
import org.bytedeco.javacpp.FloatPointer;

/** Native (off-heap) memory for the CPU backend, freed on {@link #free()}, never by the GC. */
final class NativeStorage implements Storage {
  private FloatPointer pointer;
  private final long capacity;

  NativeStorage(long floats) {
    this.pointer = new FloatPointer(floats);
    if (pointer.isNull()) {
      throw new OutOfMemoryError("could not allocate " + floats * 4 + " bytes of native memory");
    }
    this.capacity = floats;
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
  public void free() {
    if (pointer != null) {
      pointer.close();
      pointer = null;
    }
  }

  @Override
  public boolean isFreed() {
    return pointer == null;
  }

  @Override
  public String owner() {
    return CpuBackend.NAME;
  }
}
