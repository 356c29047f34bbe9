package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaProbe;
import dev.timestep.backend.reference.ReferenceBackend;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Backend selection. The automatic choice depends on the machine, so the "no GPU" and "GPU"
 * expectations are separate tests, each skipped (not passed) on the other kind of machine.
 */
class BackendsTest {

  private static CudaProbe.Result cuda() {
    return CudaProbe.probe();
  }

  @Test
  void autoChoiceWithoutCudaIsTheNativeCpuBackendAndSaysWhy() {
    CudaProbe.Result probe = cuda();
    Assumptions.assumeFalse(
        probe.usable(), () -> "a CUDA device is present: " + probe.deviceName());
    Backends.Choice choice = Backends.autoChoice();
    assertEquals("cpu", choice.backend().name());
    assertSame(CpuBackend.get(), choice.backend());
    assertTrue(
        choice.reason().contains("no CUDA"),
        () -> "reason should say CUDA is unavailable: " + choice.reason());
    assertTrue(
        choice.reason().contains(probe.reason()),
        () ->
            "reason should carry the probe's explanation '"
                + probe.reason()
                + "': "
                + choice.reason());
    assertSame(choice, Backends.autoChoice(), "the automatic choice is made once and cached");
  }

  @Test
  void autoChoiceWithCudaIsTheCudaBackend() {
    CudaProbe.Result probe = cuda();
    Assumptions.assumeTrue(probe.usable(), () -> "no usable CUDA device: " + probe.reason());
    Backends.Choice choice = Backends.autoChoice();
    assertEquals("cuda", choice.backend().name());
    assertTrue(choice.reason().contains(probe.deviceName()), choice.reason());
  }

  @Test
  void namedBackendsThatAlwaysExist() {
    assertSame(ReferenceBackend.float32(), Backends.named("reference"));
    assertSame(CpuBackend.get(), Backends.named("cpu"));
    // Names are trimmed and case-insensitive, as a CLI flag or property would deliver them.
    assertSame(CpuBackend.get(), Backends.named("  CPU "));
    assertSame(Backends.autoChoice().backend(), Backends.named("auto"));
  }

  @Test
  void namedCudaWithoutDeviceExplainsWhy() {
    CudaProbe.Result probe = cuda();
    Assumptions.assumeFalse(
        probe.usable(), () -> "a CUDA device is present: " + probe.deviceName());
    BackendUnavailableException e =
        assertThrows(BackendUnavailableException.class, () -> Backends.named("cuda"));
    assertTrue(
        e.getMessage().contains("cuda") && e.getMessage().contains(probe.reason()),
        () ->
            "message should name cuda and the probe's reason '"
                + probe.reason()
                + "': "
                + e.getMessage());
  }

  @Test
  void unknownNameListsTheValidNames() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Backends.named("tpu"));
    for (String valid : List.of("'tpu'", "auto", "cuda", "cpu", "reference")) {
      assertTrue(
          e.getMessage().contains(valid),
          () -> "message should mention " + valid + ": " + e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Backends.named(null));
  }

  @Test
  void reportHasOneLinePerBackendAndTheAutoChoice() {
    List<String> lines = Backends.report();
    assertEquals(4, lines.size(), () -> "report: " + lines);
    assertTrue(lines.get(0).startsWith("cuda"), lines.get(0));
    assertTrue(lines.get(1).startsWith("cpu") && lines.get(1).contains("available"), lines.get(1));
    assertTrue(
        lines.get(2).startsWith("reference") && lines.get(2).contains("available"), lines.get(2));
    assertTrue(
        lines.get(3).startsWith("auto")
            && lines.get(3).contains(Backends.autoChoice().backend().name()),
        lines.get(3));
    if (!cuda().usable()) {
      assertTrue(
          lines.get(0).contains("unavailable") && lines.get(0).contains(cuda().reason()),
          lines.get(0));
    }
  }

  @Test
  void systemPropertyForcesABackend() {
    String saved = System.getProperty(Backends.PROPERTY);
    try {
      System.setProperty(Backends.PROPERTY, "reference");
      assertSame(ReferenceBackend.float32(), Backends.auto());
      assertSame(
          ReferenceBackend.float32(),
          Backend.auto(),
          "the interface's auto() honours the property too");
      assertSame(
          ReferenceBackend.float32(),
          Backends.named("auto"),
          "so does the CLI's default --backend auto");

      System.setProperty(Backends.PROPERTY, "cpu");
      assertSame(CpuBackend.get(), Backends.auto());

      // "auto" (and blank) fall back to the automatic choice rather than a forced one.
      System.setProperty(Backends.PROPERTY, "auto");
      assertSame(Backends.autoChoice().backend(), Backends.auto());
      System.setProperty(Backends.PROPERTY, " ");
      assertSame(Backends.autoChoice().backend(), Backends.auto());

      // Forcing something that does not exist is an error, not a silent fallback.
      System.setProperty(Backends.PROPERTY, "bogus");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Backends::auto);
      assertTrue(e.getMessage().contains("bogus"), e.getMessage());
    } finally {
      if (saved == null) {
        System.clearProperty(Backends.PROPERTY);
      } else {
        System.setProperty(Backends.PROPERTY, saved);
      }
    }
  }
}
