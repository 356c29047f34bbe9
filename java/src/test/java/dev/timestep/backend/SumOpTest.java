package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Parameter;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.FiniteDifferences;
import dev.timestep.testing.Float64OpTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sum op ({@link Backend#sum}, {@link Backend#sumGrad}, {@link Ops#sum}): its backward against
 * finite differences in double, every native backend against the float32 reference (cuda only where
 * a device is usable, else SKIPPED), and {@link Backend#allFinite}.
 */
class SumOpTest extends Float64OpTest {
  static final double ATOL = 1e-5;
  static final double RTOL = 1e-4;

  /** Empty, one element, odd sizes, and one long enough that float32 accumulation would drift. */
  static final int[] SIZES = {0, 1, 3, 17, 33, 257, 100_003};

  SumOpTest() {
    super(0x5C0DEL);
  }

  static Stream<String> backends() {
    return Stream.of("reference", CpuBackend.NAME, CudaBackend.NAME);
  }

  static Backend backend(String name) {
    if (name.equals(CudaBackend.NAME)) {
      CudaTests.assumeUsable();
      return CudaBackend.get();
    }
    return name.equals(CpuBackend.NAME) ? CpuBackend.get() : ReferenceBackend.float32();
  }

  @Test
  void backwardMatchesFiniteDifferences() {
    Parameter x = t64.param("x", -1, 1, 3, 5);
    // sum is linear: square it so the check sees a gradient that depends on x.
    FiniteDifferences.check(
        "sum",
        t -> {
          var s = Ops.sum(t, x);
          return Ops.mul(t, s, s);
        },
        x);
    FiniteDifferences.check("sum (inner)", t -> Ops.sum(t, Ops.tanh(t, x)), x);
  }

  private float[] randomFloats(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextDouble() * 4 - 2);
    }
    return v;
  }

  private static void assertClose(String what, float expected, float actual) {
    assertTrue(
        Math.abs(actual - expected) <= ATOL + RTOL * Math.abs(expected),
        () -> what + ": expected " + expected + ", got " + actual);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void sumAndSumGradMatchTheReference(String name) {
    Backend b = backend(name);
    ReferenceBackend ref = ReferenceBackend.float32();
    for (int n : SIZES) {
      NDArray values = NDArray.of(randomFloats(n), n);
      NDArray garbage = NDArray.of(new float[] {12345f}, 1);
      float expected = ref.readScalar(sumOf(ref, values, garbage));
      assertClose(name + " sum n=" + n, expected, b.readScalar(sumOf(b, values, garbage)));

      NDArray start = NDArray.of(randomFloats(n), n);
      for (float upstream : new float[] {1f, 0.3f, -2f}) {
        NDArray dy = NDArray.of(new float[] {upstream}, 1);
        float[] want = sumGradOf(ref, dy, start);
        float[] got = sumGradOf(b, dy, start);
        for (int i = 0; i < n; i++) {
          assertClose(name + " sumGrad n=" + n + " at " + i, want[i], got[i]);
        }
      }
    }
  }

  private Tensor sumOf(Backend b, NDArray values, NDArray garbage) {
    Tensor y = b.upload(garbage, scope); // overwritten, not accumulated
    b.sum(b.upload(values, scope), y);
    return y;
  }

  private float[] sumGradOf(Backend b, NDArray dy, NDArray start) {
    Tensor dx = b.upload(start, scope); // accumulated into
    b.sumGrad(b.upload(dy, scope), dx);
    return b.download(dx).data();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void sumRefusesAnOutputThatIsNotAScalar(String name) {
    Backend b = backend(name);
    Tensor x = b.allocate(Shape.of(4), scope);
    Tensor y = b.allocate(Shape.of(2), scope);
    assertThrows(IllegalArgumentException.class, () -> b.sum(x, y));
    assertThrows(IllegalArgumentException.class, () -> b.sumGrad(y, x));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void allFiniteSeesNanAndInfinityInAnyTensor(String name) {
    Backend b = backend(name);
    Tensor finite = b.upload(NDArray.of(new float[] {1f, -3e38f, 0f, 3e38f}, 4), scope);
    Tensor empty = b.allocate(Shape.of(0), scope);
    assertTrue(b.allFinite(finite, empty));
    assertTrue(b.allFinite());
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      Tensor t = b.upload(NDArray.of(new float[] {0f, bad, 1f}, 3), scope);
      assertFalse(b.allFinite(t), () -> name + " " + bad);
      assertFalse(b.allFinite(finite, t), () -> name + " " + bad + " second");
    }
    assertEquals(4, finite.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void allFiniteIntoReusesTheCallersScratchAndRefusesAWrongOne(String name) {
    Backend b = backend(name);
    Tensor finite = b.upload(NDArray.of(new float[] {1f, -3e38f, 0f, 3e38f}, 4), scope);
    Tensor bad = b.upload(NDArray.of(new float[] {0f, Float.NaN}, 2), scope);
    Tensor scratch = b.allocate(Shape.of(2), scope);
    for (int round = 0;
        round < 3;
        round++) { // a NaN left in the scratch never leaks into the next answer
      assertFalse(b.allFiniteInto(scratch, finite, bad));
      assertTrue(b.allFiniteInto(scratch, finite, finite));
    }
    assertThrows(IllegalArgumentException.class, () -> b.allFiniteInto(scratch, finite));
    Tensor whole = b.allocate(Shape.of(4), scope);
    assertThrows(
        IllegalArgumentException.class,
        () -> b.allFiniteInto(whole.view(0, Shape.of(2)), whole, finite));
  }
}
