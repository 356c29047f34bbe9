package dev.timestep.backend.cuda;

import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Notices a CUDA fault that sticks to the context and then skips every later caller, naming the
 * first fault. The device is asked through {@code synchronize} (status 0 when fine) and {@code
 * lastError} (the library's message for a failed call); a test can hand in a fake device.
 */
final class CudaFaultGuard {
  /** How every skip's message starts. */
  static final String SKIPPED = "skipped after the first CUDA fault";

  private final IntSupplier synchronize;
  private final Supplier<String> lastError;
  private String firstFault;

  CudaFaultGuard(IntSupplier synchronize, Supplier<String> lastError) {
    this.synchronize = synchronize;
    this.lastError = lastError;
  }

  /** Aborts the calling test (as skipped) once the device has shown a sticky fault. */
  void assumeNoEarlierFault() {
    String fault = firstFault();
    Assumptions.assumeTrue(
        fault == null,
        () ->
            SKIPPED
                + ": "
                + fault
                + " (the CUDA context stays unusable in this process; the test that failed first"
                + " shows where)");
  }

  private synchronized String firstFault() {
    if (firstFault == null && synchronize.getAsInt() != 0) {
      String message = lastError.get();
      // An ordinary error is reported once and cleared; a fault fails the next call as well.
      if (synchronize.getAsInt() != 0) {
        firstFault = message;
      }
    }
    return firstFault;
  }
}
