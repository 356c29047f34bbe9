package dev.timestep.backend.cuda;

import org.junit.jupiter.api.Assumptions;

/**
 * The assumption every CUDA test starts with: a usable device, and no earlier kernel fault in this
 * process. A fault (an illegal address, a kernel assert) sticks to the CUDA context: every later
 * CUDA call fails with it, so without this check one bad kernel fails every CUDA test that runs
 * after it. With it the test that hit the fault fails with its own error and the rest are skipped
 * with the first fault's name (SkippedTestsSummary counts them under that reason).
 */
public final class CudaTests {
  private static final CudaFaultGuard GUARD =
      new CudaFaultGuard(CudaNative::ts_cuda_synchronize, CudaNative::ts_cuda_last_error);

  private CudaTests() {}

  /** Skips the calling test without a usable CUDA device or after an earlier CUDA fault. */
  public static void assumeUsable() {
    CudaProbe.Result probe = CudaProbe.probe();
    Assumptions.assumeTrue(probe.usable(), () -> "no usable CUDA device: " + probe.reason());
    GUARD.assumeNoEarlierFault();
  }
}
