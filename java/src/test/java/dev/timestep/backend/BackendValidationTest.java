package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input is rejected by the shared Java checks with an exception whose message names the
 * problem, identically on the reference and the native CPU backend. None of these may surface as a
 * {@link NativeFailure}: the point of the checks is that bad input never reaches native code.
 */
class BackendValidationTest {
  private Scope scope;

  @BeforeEach
  void open() {
    scope = new Scope();
  }

  @AfterEach
  void close() {
    scope.close();
  }

  static Stream<String> backends() {
    return Stream.of("reference", "cpu");
  }

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  /** The other backend of the pair, to hand over a tensor that lives elsewhere. */
  private static Backend other(String name) {
    return name.equals("cpu") ? ReferenceBackend.float32() : CpuBackend.get();
  }

  private Tensor t(Backend b, int... dims) {
    return b.allocate(Shape.of(dims), scope);
  }

  /**
   * Asserts {@code call} throws {@code type} (not a native failure) whose message has every
   * fragment.
   */
  private static <T extends RuntimeException> T assertRejected(
      Class<T> type, Executable call, String... fragments) {
    T e = assertThrows(type, call);
    assertFalse(
        e instanceof NativeFailure, () -> "rejected only in native code: " + e.getMessage());
    String message = e.getMessage();
    for (String fragment : fragments) {
      assertTrue(
          message != null && message.contains(fragment),
          () -> "message \"" + message + "\" should mention \"" + fragment + "\"");
    }
    return e;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void matmulWithMismatchedShapes(String name) {
    Backend b = backend(name);
    assertRejected(
        IllegalArgumentException.class,
        () -> b.matmul(t(b, 2, 3), false, t(b, 4, 5), false, t(b, 2, 5), false),
        "matmul",
        "[2, 3]",
        "[4, 5]");
    // Inner dimensions agree but the output is the wrong shape.
    assertRejected(
        IllegalArgumentException.class,
        () -> b.matmul(t(b, 2, 3), false, t(b, 3, 5), false, t(b, 5, 2), false),
        "matmul",
        "[5, 2]");
    // Transposition is taken into account: [3, 2]ᵀ · [3, 5] is fine, [2, 3]ᵀ · [3, 5] is not.
    b.matmul(t(b, 3, 2), true, t(b, 3, 5), false, t(b, 2, 5), false);
    assertRejected(
        IllegalArgumentException.class,
        () -> b.matmul(t(b, 2, 3), true, t(b, 3, 5), false, t(b, 2, 5), false),
        "matmul",
        "[2, 3]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.matmul(t(b, 2, 3, 1), false, t(b, 3, 5), false, t(b, 2, 5), false),
        "rank 2",
        "[2, 3, 1]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void elementwiseWithMismatchedSizes(String name) {
    Backend b = backend(name);
    assertRejected(
        IllegalArgumentException.class,
        () -> b.add(t(b, 2, 3), t(b, 3, 3), t(b, 2, 3)),
        "add",
        "[2, 3]",
        "[3, 3]");
    assertRejected(
        IllegalArgumentException.class, () -> b.add(t(b, 2, 3), t(b, 2, 3), t(b, 7)), "add", "[7]");
    assertRejected(
        IllegalArgumentException.class, () -> b.mul(t(b, 4), t(b, 5), t(b, 4)), "mul", "[5]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.mulGrad(t(b, 4), t(b, 4), t(b, 6)),
        "mulGrad",
        "[6]");
    assertRejected(
        IllegalArgumentException.class, () -> b.copy(t(b, 4), t(b, 5)), "copy", "[4]", "[5]");
    assertRejected(
        IllegalArgumentException.class, () -> b.accumulate(t(b, 4), t(b, 5)), "accumulate");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.activation(Activation.TANH, t(b, 2, 2), t(b, 3)),
        "activation",
        "[3]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.activationGrad(Activation.TANH, t(b, 3), t(b, 3), t(b, 2)),
        "activationGrad",
        "[2]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.activation(null, t(b, 3), t(b, 3)),
        "activation kind");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void mseWithMismatchedShapes(String name) {
    Backend b = backend(name);
    // Same size, different shape: mse insists on equal shapes, not just sizes.
    assertRejected(
        IllegalArgumentException.class,
        () -> b.mse(t(b, 2, 3), t(b, 3, 2), t(b, 1)),
        "mse",
        "[2, 3]",
        "[3, 2]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.mse(t(b, 2, 3), t(b, 2, 3), t(b, 2)),
        "mse loss",
        "[2]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.mseGrad(t(b, 2, 3), t(b, 2, 3), t(b, 1), t(b, 6)),
        "mseGrad",
        "[6]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.mse(t(b, 0, 3), t(b, 0, 3), t(b, 1)),
        "mse",
        "empty");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void timeStepNeedsRankThreeAndAStepInRange(String name) {
    Backend b = backend(name);
    assertRejected(
        IllegalArgumentException.class,
        () -> b.lastStep(t(b, 2, 3), t(b, 2, 3)),
        "timeStep",
        "rank 3",
        "[2, 3]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.lastStep(t(b, 2, 3, 4), t(b, 2, 3)),
        "timeStep",
        "[2, 3]",
        "[2, 4]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.lastStepGrad(t(b, 2, 4), t(b, 8, 4)),
        "timeStepGrad",
        "rank 3",
        "[8, 4]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.lastStepGrad(t(b, 2, 3), t(b, 2, 5, 4)),
        "timeStepGrad",
        "[2, 3]",
        "[2, 4]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.timeStep(t(b, 2, 5, 4), 5, t(b, 2, 4)),
        "timeStep",
        "step 5",
        "[0, 5)");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.timeStepGrad(t(b, 2, 4), -1, t(b, 2, 5, 4)),
        "timeStepGrad",
        "step -1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void biasOfWrongLength(String name) {
    Backend b = backend(name);
    assertRejected(
        IllegalArgumentException.class,
        () -> b.addBias(t(b, 2, 3), t(b, 4), t(b, 2, 3)),
        "addBias",
        "[4]",
        "[3]",
        "[2, 3]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.addBias(t(b, 2, 3), t(b, 1, 3), t(b, 2, 3)),
        "addBias",
        "[1, 3]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.biasGrad(t(b, 5, 2, 3), t(b, 2)),
        "biasGrad",
        "[2]",
        "[5, 2, 3]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.addBias(t(b, 2, 3), t(b, 3), t(b, 3, 2)),
        "addBias",
        "[3, 2]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void tensorFromAnotherBackend(String name) {
    Backend b = backend(name);
    Backend elsewhere = other(name);
    Tensor foreign = elsewhere.allocate(Shape.of(2, 3), scope);
    assertRejected(
        IllegalArgumentException.class,
        () -> b.copy(foreign, t(b, 2, 3)),
        "copy source",
        "lives on the " + elsewhere.name() + " backend",
        "not on " + b.name());
    assertRejected(
        IllegalArgumentException.class,
        () -> b.add(t(b, 2, 3), t(b, 2, 3), foreign),
        "add output",
        elsewhere.name());
    assertRejected(
        IllegalArgumentException.class, () -> b.download(foreign), "download", elsewhere.name());
    // The float64 reference is a different backend from the float32 one.
    Tensor wide = ReferenceBackend.float64().allocate(Shape.of(1), scope);
    assertRejected(
        IllegalArgumentException.class, () -> b.readScalar(wide), "readScalar", "reference64");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void closedTensorIsRejectedAsFreed(String name) {
    Backend b = backend(name);
    Tensor open = t(b, 2, 3);
    Tensor closed;
    Tensor viewOfClosed;
    try (Scope shortLived = new Scope()) {
      closed = b.allocate(Shape.of(2, 3), shortLived);
      viewOfClosed = closed.view(1, Shape.of(4));
    }
    assertTrue(closed.isClosed(), "closing the scope frees its tensors");
    assertRejected(IllegalStateException.class, () -> b.fill(closed, 1f), "fill", "freed");
    assertRejected(IllegalStateException.class, () -> b.download(closed), "download", "freed");
    assertRejected(IllegalStateException.class, () -> b.add(open, closed, open), "add b", "freed");
    assertRejected(
        IllegalStateException.class, () -> b.copy(open, closed), "copy destination", "freed");
    assertRejected(IllegalStateException.class, () -> b.fill(viewOfClosed, 1f), "fill", "freed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void nullTensorIsNamed(String name) {
    Backend b = backend(name);
    assertRejected(IllegalArgumentException.class, () -> b.fill(null, 0f), "fill", "null");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.matmul(t(b, 2, 2), false, null, false, t(b, 2, 2), false),
        "matmul b",
        "null");
    assertRejected(
        IllegalArgumentException.class, () -> b.mse(t(b, 3), t(b, 3), null), "mse loss", "null");
    assertRejected(
        IllegalArgumentException.class, () -> b.allocate(null, scope), "allocate", "null");
    assertRejected(
        IllegalArgumentException.class, () -> b.upload((NDArray) null, scope), "upload", "null");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void gatherRowsRejectsBadIndicesBeforeWritingAnything(String name) {
    Backend b = backend(name);
    Tensor src = b.upload(NDArray.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 5, 2), scope);
    Tensor dst = b.upload(NDArray.of(new float[] {-1, -1, -1, -1, -1, -1}, 3, 2), scope);
    // The first two indices are fine; the third is not. Validation must happen before the copy.
    assertRejected(
        IllegalArgumentException.class,
        () -> b.gatherRows(src, new int[] {0, 1, 5}, 0, dst),
        "gatherRows",
        "5",
        "[0, 5)");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.gatherRows(src, new int[] {0, -1, 2}, 0, dst),
        "gatherRows",
        "-1");
    assertArrayEquals(
        new float[] {-1, -1, -1, -1, -1, -1}, b.download(dst).data(), "a rejected gather wrote");

    assertRejected(
        IllegalArgumentException.class,
        () -> b.gatherRows(src, new int[] {0, 1, 2}, 1, dst),
        "gatherRows",
        "3 row indices",
        "position 1");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.gatherRows(src, new int[] {0, 1, 2}, -1, dst),
        "gatherRows",
        "position -1");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.gatherRows(src, null, 0, dst),
        "gatherRows",
        "none");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.gatherRows(src, new int[] {0, 1, 2}, 0, t(b, 3, 3)),
        "gatherRows",
        "[5, 2]",
        "[3, 3]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void adamRejectsBadHyperParameters(String name) {
    Backend b = backend(name);
    Tensor p = t(b, 4);
    Tensor g = t(b, 4);
    Tensor m = t(b, 4);
    Tensor v = t(b, 4);
    for (float lr : new float[] {0f, -1e-3f, Float.NaN, Float.POSITIVE_INFINITY}) {
      assertRejected(
          IllegalArgumentException.class,
          () -> b.adam(p, g, m, v, lr, 0.9f, 0.999f, 1e-7f),
          "adam",
          "lr_t=" + lr);
    }
    assertRejected(
        IllegalArgumentException.class,
        () -> b.adam(p, g, m, v, 1e-3f, 1f, 0.999f, 1e-7f),
        "adam",
        "beta1=1.0");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.adam(p, g, m, v, 1e-3f, 0.9f, -0.5f, 1e-7f),
        "adam",
        "beta2=-0.5");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.adam(p, g, m, v, 1e-3f, 0.9f, 0.999f, -1f),
        "adam",
        "epsilon=-1.0");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.adam(p, g, t(b, 5), v, 1e-3f, 0.9f, 0.999f, 1e-7f),
        "adam",
        "[5]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void uploadAndReadScalarCheckSizes(String name) {
    Backend b = backend(name);
    assertRejected(
        IllegalArgumentException.class,
        () -> b.upload(NDArray.zeros(2, 2), t(b, 5)),
        "upload",
        "[2, 2]",
        "[5]");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.readScalar(t(b, 2)),
        "readScalar",
        "[2]",
        "not a scalar");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void emptySequencesAndOverflowingRowRangesAreRejectedInJava(String name) {
    Backend b = backend(name);
    assertRejected(
        IllegalArgumentException.class,
        () -> b.lastStep(t(b, 2, 0, 3), t(b, 2, 3)),
        "no time steps");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.lastStepGrad(t(b, 2, 0), t(b, 2, 3, 0)),
        "no features");
    // from + count overflows int: must still be a range error, not an index error.
    assertRejected(
        IllegalArgumentException.class,
        () -> b.gatherRows(t(b, 5, 2), new int[] {0, 1}, Integer.MAX_VALUE, t(b, 2, 2)),
        "row indices");
    assertRejected(
        IllegalArgumentException.class,
        () -> b.gatherRows(t(b, 5, 0), new int[] {0}, 0, t(b, 1, 0)),
        "empty");
  }
}
