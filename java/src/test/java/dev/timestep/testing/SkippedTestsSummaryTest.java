package dev.timestep.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SkippedTestsSummaryTest {
  @Test
  void theGpuReasonIsNamedOnceWithTheCount() {
    assertEquals(
        "no usable CUDA device (no NVIDIA driver on this machine): 163 GPU tests skipped",
        SkippedTestsSummary.line(
            "Assumption failed: no usable CUDA device: no NVIDIA driver on this machine", 163));
    assertEquals(
        "no nvcc at /usr/local/cuda: 1 test skipped",
        SkippedTestsSummary.line("Assumption failed: no nvcc at /usr/local/cuda", 1));
    assertEquals("disabled: slow: 2 tests skipped", SkippedTestsSummary.line("disabled: slow", 2));
  }
}
