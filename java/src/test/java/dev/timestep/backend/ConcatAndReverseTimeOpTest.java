package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.FiniteDifferences;
import dev.timestep.testing.Float64OpTest;
import dev.timestep.testing.TestArrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Ops#concatLast} and {@link Ops#reverseTime}: hand-computed cases, backward against finite
 * differences in double, and every native backend against the reference on random odd sizes (cuda
 * only where a device is usable, else SKIPPED). Both are gathers, so native and reference must
 * agree exactly.
 */
class ConcatAndReverseTimeOpTest extends Float64OpTest {

  ConcatAndReverseTimeOpTest() {
    super(0xC0CA7L);
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
  void concatenatesAlongTheLastAxisPartByPart() {
    try (Tape tape = new Tape(f64, false)) {
      Variable a = tape.constant(t64.of(new double[] {1, 2, 3, 4}, 2, 2));
      Variable b = tape.constant(t64.of(new double[] {5, 6}, 2, 1));
      Variable c = tape.constant(t64.of(new double[] {7, 8, 9, 10, 11, 12}, 2, 3));
      Variable y = Ops.concatLast(tape, List.of(a, b, c));
      assertEquals(Shape.of(2, 6), y.shape());
      assertArrayEquals(
          new double[] {1, 2, 5, 7, 8, 9, 3, 4, 6, 10, 11, 12}, t64.values(y.value()), 0);
    }
  }

  @Test
  void reversesEachSequenceInTime() {
    try (Tape tape = new Tape(f64, false)) {
      // two sequences of three steps, two features each
      Variable x =
          tape.constant(t64.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2));
      Variable y = Ops.reverseTime(tape, x);
      assertArrayEquals(
          new double[] {5, 6, 3, 4, 1, 2, 11, 12, 9, 10, 7, 8}, t64.values(y.value()), 0);
    }
  }

  @Test
  void backwardMatchesFiniteDifferences() {
    Parameter a = t64.param("a", -1, 1, 2, 3, 2);
    Parameter b = t64.param("b", -1, 1, 2, 3, 1);
    Parameter c = t64.param("c", -1, 1, 2, 3, 3);
    Parameter w = t64.param("w", -1, 1, 2, 3, 6); // makes every output element's weight distinct
    FiniteDifferences.check(
        "concatLast",
        t -> Ops.sum(t, Ops.mul(t, Ops.tanh(t, Ops.concatLast(t, List.of(a, b, c))), w)),
        a,
        b,
        c);
    Parameter x = t64.param("x", -1, 1, 3, 4, 2);
    Parameter v = t64.param("v", -1, 1, 3, 4, 2);
    FiniteDifferences.check(
        "reverseTime", t -> Ops.sum(t, Ops.mul(t, Ops.tanh(t, Ops.reverseTime(t, x)), v)), x);
  }

  @Test
  void refusesPartsWhoseLeadingAxesDiffer() {
    try (Tape tape = new Tape(f64, false)) {
      Variable a = tape.constant(t64.random(0, 1, 2, 3, 2));
      Variable b = tape.constant(t64.random(0, 1, 2, 4, 2));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Ops.concatLast(tape, List.of(a, b)));
      assertEquals(true, e.getMessage().contains("part 2 is [2, 4, 2]"), e.getMessage());
      Variable flat = tape.constant(t64.random(0, 1, 2, 3));
      assertThrows(IllegalArgumentException.class, () -> Ops.reverseTime(tape, flat));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void nativeMatchesTheReference(String name) {
    Backend b = backend(name);
    ReferenceBackend ref = ReferenceBackend.float32();
    int[][] cases = {{1, 1, 1, 1}, {3, 5, 7, 2}, {7, 13, 3, 9}, {2, 1, 11, 5}};
    for (int[] c : cases) {
      NDArray p = TestArrays.uniform(random, -2, 2, c[0], c[1], c[2]);
      NDArray q = TestArrays.uniform(random, -2, 2, c[0], c[1], c[3]);
      NDArray dy = TestArrays.uniform(random, -2, 2, c[0], c[1], c[2] + c[3]);
      float[][] want = run(ref, p, q, dy);
      float[][] got = run(b, p, q, dy);
      for (int k = 0; k < want.length; k++) {
        assertArrayEquals(
            want[k], got[k], 0f, name + " case " + c[0] + "x" + c[1] + " output " + k);
      }
    }
  }

  /** The concatenation of reversed p with q, its backward from dy: [y, dp, dq], downloaded. */
  private float[][] run(Backend b, NDArray p, NDArray q, NDArray dy) {
    try (Tape tape = new Tape(b)) {
      var pv = b.upload(p, tape.scope());
      var qv = b.upload(q, tape.scope());
      Parameter pp = new Parameter("p", pv, b.allocate(pv.shape(), tape.scope()));
      Parameter qp = new Parameter("q", qv, b.allocate(qv.shape(), tape.scope()));
      Variable y = Ops.concatLast(tape, List.of(Ops.reverseTime(tape, pp), qp));
      Variable weights = tape.constant(b.upload(dy, tape.scope()));
      tape.backward(Ops.sum(tape, Ops.mul(tape, y, weights)));
      return new float[][] {
        b.download(y.value()).data(), b.download(pp.grad()).data(), b.download(qp.grad()).data()
      };
    }
  }
}
