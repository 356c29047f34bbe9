package dev.timestep.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The guard that skips CUDA tests after a fault, on a fake device. */
class CudaFaultGuardTest {
  /** A fake device: synchronize answers the status set here and counts its calls. */
  private static final class FakeDevice {
    final AtomicInteger status = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicReference<String> message = new AtomicReference<>("");

    CudaFaultGuard guard() {
      return new CudaFaultGuard(
          () -> {
            calls.incrementAndGet();
            return status.get();
          },
          message::get);
    }
  }

  @Test
  void aHealthyDeviceSkipsNothing() {
    FakeDevice device = new FakeDevice();
    CudaFaultGuard guard = device.guard();
    for (int i = 0; i < 3; i++) {
      assertDoesNotThrow(guard::assumeNoEarlierFault);
    }
  }

  @Test
  void afterAStickyFaultEveryLaterTestIsSkippedWithTheFirstFaultsName() {
    FakeDevice device = new FakeDevice();
    CudaFaultGuard guard = device.guard();
    assertDoesNotThrow(guard::assumeNoEarlierFault);
    device.status.set(4);
    device.message.set(
        "synchronize: an illegal memory access was encountered (cudaErrorIllegalAddress)");
    TestAbortedException first =
        assertThrows(TestAbortedException.class, guard::assumeNoEarlierFault);
    assertTrue(first.getMessage().contains(CudaFaultGuard.SKIPPED), first.getMessage());
    assertTrue(first.getMessage().contains("cudaErrorIllegalAddress"), first.getMessage());

    // Later calls fail with other words; the skip keeps naming the first fault, without asking
    // the device again.
    device.message.set("malloc of 64 bytes: unspecified launch failure (cudaErrorLaunchFailure)");
    int callsSoFar = device.calls.get();
    TestAbortedException later =
        assertThrows(TestAbortedException.class, guard::assumeNoEarlierFault);
    assertEquals(first.getMessage(), later.getMessage());
    assertEquals(callsSoFar, device.calls.get());
  }

  @Test
  void anErrorThatClearsIsNoFault() {
    // Reported by one synchronize, gone by the next: not a fault that sticks to the context.
    AtomicInteger status = new AtomicInteger(4);
    CudaFaultGuard guard =
        new CudaFaultGuard(() -> status.getAndSet(0), () -> "synchronize: invalid argument");
    assertDoesNotThrow(guard::assumeNoEarlierFault);
    assertDoesNotThrow(guard::assumeNoEarlierFault);
  }
}
