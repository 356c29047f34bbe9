package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Storage;
import dev.timestep.tensor.Tensor;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tensor larger than a backend can ever hold is refused before any memory is requested, with an
 * {@link IllegalArgumentException} giving the size and the limit (not an OutOfMemoryError or an
 * ArithmeticException from deep inside); so is downloading more values than a Java array takes.
 */
class AllocationLimitTest {

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  private static String refused(Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void aHugeShapeIsRefusedWithItsSizeAndTheLimit(String name) {
    Backend b = backend(name);
    try (Scope scope = new Scope()) {
      String m = refused(() -> b.allocate(Shape.of(1 << 30, 1 << 30), scope));
      assertTrue(
          m.startsWith("allocate: shape [1073741824, 1073741824] needs 4611686018427387904 bytes")
              && m.contains("more than")
              && m.contains(name),
          m);
      // 2^64 bytes: more than a long can count
      m =
          refused(
              () ->
                  b.allocateForOverwrite(Shape.of(Integer.MAX_VALUE, Integer.MAX_VALUE, 2), scope));
      assertTrue(
          m.startsWith(
              "allocateForOverwrite: shape [2147483647, 2147483647, 2] needs more than "
                  + Long.MAX_VALUE
                  + " bytes"),
          m);
      assertTrue(scope.size() == 0, "nothing was allocated");
      b.allocate(Shape.of(4, 4), scope); // ordinary sizes still work
    }
  }

  /** Storage that claims 2^32 floats and holds none: the check must come before any read. */
  private static Storage claiming(long floats, String owner) {
    return new Storage() {
      @Override
      public long capacity() {
        return floats;
      }

      @Override
      public void free() {}

      @Override
      public boolean isFreed() {
        return false;
      }

      @Override
      public String backendName() {
        return owner;
      }
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void downloadingMoreThanAJavaArrayHoldsIsRefused(String name) {
    Backend b = backend(name);
    Tensor huge = Tensor.owning(Shape.of(1 << 16, 1 << 16), claiming(1L << 32, name));
    String m = refused(() -> b.download(huge));
    assertTrue(
        m.startsWith(
            "download: shape [65536, 65536] holds 4294967296 values, more than one Java array can"
                + " hold (2147483639)"),
        m);
  }
}
