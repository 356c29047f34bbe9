package dev.timestep.testing;

import org.bytedeco.javacpp.Pointer;

/**
 * A stable starting point for native-memory accounting in tests.
 *
 * <p>{@link Pointer#totalBytes()} also drops when JavaCPP's deallocator thread frees pointers
 * that some earlier test left unreachable (not closed). If that happened in the middle of a
 * leak test, "after" would read lower than "before" for reasons that have nothing to do with
 * the code under test. So before taking the baseline we let the collector and that thread
 * finish with any such garbage; once the count holds still, only the test's own allocations
 * move it.
 */
public final class NativeMemory {
  private NativeMemory() {}

  /** {@link Pointer#totalBytes()} after pending garbage pointers have been freed. */
  public static long settledTotalBytes() {
    long last = Pointer.totalBytes();
    int stableReads = 0;
    for (int i = 0; i < 50 && stableReads < 2; i++) {
      System.gc();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for native memory to settle", e);
      }
      long now = Pointer.totalBytes();
      stableReads = now == last ? stableReads + 1 : 0;
      last = now;
    }
    return last;
  }
}
