package dev.timestep.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaProbe;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite's case table, the one {@code selfcheck} and the GPU check print, run as a
 * test on each native backend (cuda only where {@link CudaProbe} finds a usable device; skipped
 * elsewhere, never passed), judged by the same {@link Tolerance} table.
 */
class OpCheckConformanceTest {

  @Test
  void everyCaseOfTheTablePassesOnCpu() {
    assertConforms(CpuBackend.get());
  }

  @Test
  void everyCaseOfTheTablePassesOnCuda() {
    CudaTests.assumeUsable();
    assertConforms(CudaBackend.get());
  }

  @Test
  void theReferenceConformsToItselfBitForBit() {
    List<String> notes = new ArrayList<>();
    for (OpCheck.Row row : OpCheck.compare(ReferenceBackend.float32(), notes)) {
      assertEquals(0, row.errorRatio(), row.op() + " " + row.shape());
    }
  }

  private static void assertConforms(Backend backend) {
    List<String> notes = new ArrayList<>();
    List<OpCheck.Row> rows = OpCheck.compare(backend, notes);
    assertTrue(
        rows.size() > 100,
        "the table has every op at several shapes, got " + rows.size() + " rows");
    assertTrue(
        rows.stream().allMatch(OpCheck.Row::pass),
        backend.name() + ":\n" + String.join("\n", notes));
  }
}
