package dev.timestep.backend.reference;

import dev.timestep.tensor.Storage;

/**
 * Reference-backend memory: a Java double array (values are rounded to float32 unless the backend
 * runs in float64 mode for gradient checks).
 */
final class HeapStorage implements Storage {
  private double[] values;
  private final String owner;

  HeapStorage(long floats, String owner) {
    this.values = new double[Math.toIntExact(floats)];
    this.owner = owner;
  }

  double[] values() {
    if (values == null) {
      throw new IllegalStateException("reference storage was already freed");
    }
    return values;
  }

  @Override
  public long capacity() {
    return values == null ? 0 : values.length;
  }

  @Override
  public void free() {
    values = null;
  }

  @Override
  public boolean isFreed() {
    return values == null;
  }

  @Override
  public String backendName() {
    return owner;
  }
}
