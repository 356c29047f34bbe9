package dev.timestep.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The -Dtimestep.cuda.gemm property: parsing, its error, and its numbers against the C header. No
 * GPU needed.
 */
class GemmModeTest {

  @Test
  void valuesAreTrimmedAndCaseInsensitive() {
    assertEquals(GemmMode.AUTO, GemmMode.parse("auto"));
    assertEquals(GemmMode.OWN, GemmMode.parse(" OWN "));
    assertEquals(GemmMode.CUBLAS, GemmMode.parse("cuBLAS"));
  }

  @Test
  void unsetOrBlankIsAuto() {
    assertEquals(GemmMode.AUTO, GemmMode.parse(null));
    assertEquals(GemmMode.AUTO, GemmMode.parse(""));
    assertEquals(GemmMode.AUTO, GemmMode.parse("  "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"tf32", "cublas2", "0", "own kernels"})
  void anyOtherValueNamesThePropertyAndTheChoices(String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GemmMode.parse(value));
    for (String part : new String[] {GemmMode.PROPERTY, value, "auto", "own", "cublas"}) {
      assertTrue(
          e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
    }
  }

  @Test
  void fromPropertyReadsTheSystemProperty() {
    String before = System.getProperty(GemmMode.PROPERTY);
    try {
      System.setProperty(GemmMode.PROPERTY, "own");
      assertEquals(GemmMode.OWN, GemmMode.fromProperty());
      System.clearProperty(GemmMode.PROPERTY);
      assertEquals(GemmMode.AUTO, GemmMode.fromProperty());
    } finally {
      restore(before);
    }
  }

  /** Without a device the bad property, not the missing device, is reported: it is read first. */
  @Test
  void theBackendChecksThePropertyBeforeAnyNativeCall() {
    CudaProbe.Result probe = CudaProbe.probe();
    Assumptions.assumeFalse(
        probe.usable(), "a CUDA device is present: the backend may already exist");
    String before = System.getProperty(GemmMode.PROPERTY);
    try {
      System.setProperty(GemmMode.PROPERTY, "fastest");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, CudaBackend::get);
      assertTrue(e.getMessage().contains(GemmMode.PROPERTY), e.getMessage());
    } finally {
      restore(before);
    }
  }

  @Test
  void codesAreThoseOfTheCHeader() throws IOException {
    Path header = Path.of("..", "native", "include", "timestep", "cuda_api.h");
    Assumptions.assumeTrue(
        Files.isRegularFile(header), "the native sources are not beside this build");
    String text = Files.readString(header);
    for (GemmMode mode : GemmMode.values()) {
      Matcher m = Pattern.compile("#define TS_GEMM_" + mode.name() + " (\\d+)").matcher(text);
      assertTrue(m.find(), "cuda_api.h lacks TS_GEMM_" + mode.name());
      assertEquals(Integer.parseInt(m.group(1)), mode.code(), mode.name());
    }
  }

  private static void restore(String before) {
    if (before == null) {
      System.clearProperty(GemmMode.PROPERTY);
    } else {
      System.setProperty(GemmMode.PROPERTY, before);
    }
  }
}
