package dev.timestep.tensor;

/**
 * Memory that holds a tensor's values: the Java heap, native memory or device memory. Each backend
 * has its own kind; a backend refuses tensors whose storage is not its own.
 */
public interface Storage {
  /** Capacity in float32 elements. */
  long capacity();

  /** Releases the memory now. Idempotent. */
  void free();

  boolean isFreed();

  /**
   * The name of the backend whose memory this is, for error messages ("reference", "cpu", "cuda").
   */
  String backendName();
}
