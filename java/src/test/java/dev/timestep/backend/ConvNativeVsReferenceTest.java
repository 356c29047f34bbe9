package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.conformance.Tolerance;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused Conv1D op of the native backends against {@link ReferenceBackend#float32()} (the
 * oracle, itself checked by hand and by finite differences in {@link ConvReferenceTest}) on
 * identical seeded inputs: the forward output and every gradient (dx, dkernel, dbias); the CUDA
 * backend runs the same cases where a device is present.
 *
 * <p>Tolerance: {@link Tolerance#FLOAT32} of the conformance suite's one table, for every compared
 * element {@code |native - ref| <= 1e-5 + 1e-4 * |ref|}. The reference sums in double and rounds
 * once; the kernel gradient sums up to B·Tout = 32·51 terms.
 *
 * <p>Cases: every padding × every activation × six shape rows (below), so that every value of steps
 * {1, 3, 17, 50, 51}, batch {1, 32}, channels {1, 3, 20}, kernel size {1, 2, 4}, stride {1, 2} and
 * dilation {1, 2, 8} appears for each padding, including sequences shorter than the receptive field
 * for same and causal padding; bias and dx alternate between present and null. Outputs are
 * pre-filled with NaN (forward must overwrite) and gradient buffers with random values (backward
 * must accumulate).
 */
class ConvNativeVsReferenceTest {
  static final double ATOL = Tolerance.FLOAT32.atol();
  static final double RTOL = Tolerance.FLOAT32.rtol();
  static final long SEED = 0xC0417EL;

  /** {batch, steps, Cin, Cout, K, stride, dilation}. */
  static final int[][] SHAPES = {
    {1, 1, 1, 1, 1, 1, 1},
    {32, 17, 3, 20, 2, 2, 2},
    {1, 50, 20, 3, 4, 1, 8}, // span 25
    {32, 51, 20, 20, 4, 2, 1},
    {1, 3, 3, 1, 4, 2, 8}, // span 25 > T = 3 (valid padding uses T = 25 instead)
    {32, 3, 1, 3, 2, 1, 2}, // span 3 = T
  };

  private final ReferenceBackend ref = ReferenceBackend.float32();
  private Scope scope;

  @BeforeEach
  void open() {
    scope = new Scope();
  }

  @AfterEach
  void close() {
    scope.close();
  }

  /** One case; steps already adjusted so that valid padding is possible. */
  record Case(
      ConvPadding padding,
      Activation act,
      int batch,
      int steps,
      int cin,
      int cout,
      int k,
      int stride,
      int dilation,
      boolean bias,
      boolean dx) {
    Conv1dSpec spec() {
      return padding.spec(steps, k, stride, dilation, act);
    }

    @Override
    public String toString() {
      return padding
          + " "
          + act
          + " [B="
          + batch
          + ", T="
          + steps
          + ", Cin="
          + cin
          + ", Cout="
          + cout
          + ", K="
          + k
          + ", s="
          + stride
          + ", d="
          + dilation
          + "]"
          + (bias ? "" : " no bias")
          + (dx ? "" : " no dx");
    }
  }

  static Stream<Arguments> cpuCases() {
    List<Arguments> out = new ArrayList<>();
    for (ConvPadding padding : ConvPadding.values()) {
      for (Activation act : Activation.values()) {
        for (int row = 0; row < SHAPES.length; row++) {
          int[] s = SHAPES[row];
          int span = s[6] * (s[4] - 1) + 1;
          int steps = padding == ConvPadding.VALID ? Math.max(s[1], span) : s[1];
          boolean bias = (row + act.ordinal()) % 2 == 0;
          boolean dx = (row + act.ordinal() + padding.ordinal()) % 3 != 0;
          out.add(
              Arguments.of(
                  new Case(padding, act, s[0], steps, s[2], s[3], s[4], s[5], s[6], bias, dx)));
        }
      }
    }
    return out.stream();
  }

  // ---- the problem: host arrays, uploaded identically to both sides ------------------------

  private record Inputs(
      NDArray x,
      NDArray kernel,
      NDArray bias,
      NDArray dy,
      NDArray dxStart,
      NDArray dkStart,
      NDArray dbStart) {}

  private static Inputs inputs(Case c, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int tout = c.spec().outSteps();
    double ws = 1 / Math.sqrt(c.k * c.cin);
    return new Inputs(
        TestArrays.uniform(r, -1, 1, c.batch, c.steps, c.cin),
        TestArrays.uniform(r, -ws, ws, c.k, c.cin, c.cout),
        TestArrays.uniform(r, -0.5, 0.5, c.cout),
        TestArrays.uniform(r, -1, 1, c.batch, tout, c.cout),
        TestArrays.uniform(r, -1, 1, c.batch, c.steps, c.cin),
        TestArrays.uniform(r, -1, 1, c.k, c.cin, c.cout),
        TestArrays.uniform(r, -1, 1, c.cout));
  }

  /** Forward then backward on {@code b}; returns every result by name, downloaded. */
  private Map<String, float[]> run(Backend b, Case c, Inputs in) {
    Conv1dSpec spec = c.spec();
    Tensor x = b.upload(in.x, scope);
    Tensor kernel = b.upload(in.kernel, scope);
    Tensor bias = c.bias ? b.upload(in.bias, scope) : null;
    Tensor y = b.allocate(in.dy.shape(), scope);
    b.fill(y, Float.NaN); // forward must overwrite
    b.conv1d(x, kernel, bias, spec, y);

    Tensor dy = b.upload(in.dy, scope);
    Tensor dx = c.dx ? b.upload(in.dxStart, scope) : null;
    Tensor dk = b.upload(in.dkStart, scope);
    Tensor db = c.bias ? b.upload(in.dbStart, scope) : null;
    b.conv1dGrad(x, kernel, y, dy, spec, dx, dk, db);

    Map<String, float[]> result = new LinkedHashMap<>();
    result.put("y", b.download(y).data());
    if (dx != null) {
      result.put("dx", b.download(dx).data());
    }
    result.put("dkernel", b.download(dk).data());
    if (db != null) {
      result.put("dbias", b.download(db).data());
    }
    return result;
  }

  private void compare(Backend nb, Case c) {
    Inputs in = inputs(c, SEED ^ c.toString().hashCode());
    Map<String, float[]> expected = run(ref, c, in);
    Map<String, float[]> actual = run(nb, c, in);
    String what = nb.name() + " " + c;
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      try {
        TestArrays.assertAllClose(
            what + " " + e.getKey(), e.getValue(), actual.get(e.getKey()), ATOL, RTOL);
      } catch (AssertionError failure) {
        failures.add(failure.getMessage());
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  // ---- tests ---------------------------------------------------------------------------------

  @ParameterizedTest(name = "cpu {0}")
  @MethodSource("cpuCases")
  void cpuMatchesTheReference(Case c) {
    compare(CpuBackend.get(), c);
  }

  @Test
  void casesCoverEveryValue() {
    // Guards the case table: each padding sees every listed size.
    for (ConvPadding p : ConvPadding.values()) {
      List<Case> cases =
          cpuCases().map(a -> (Case) a.get()[0]).filter(c -> c.padding == p).toList();
      for (int v : new int[] {1, 32}) {
        assertTrue(cases.stream().anyMatch(c -> c.batch == v), p + " batch " + v);
      }
      for (int v : new int[] {1, 3, 20}) {
        assertTrue(
            cases.stream().anyMatch(c -> c.cin == v) && cases.stream().anyMatch(c -> c.cout == v),
            p + " channels " + v);
      }
      for (int v : new int[] {1, 2, 4}) {
        assertTrue(cases.stream().anyMatch(c -> c.k == v), p + " K " + v);
      }
      for (int v : new int[] {1, 2, 8}) {
        assertTrue(cases.stream().anyMatch(c -> c.dilation == v), p + " dilation " + v);
      }
      assertTrue(
          cases.stream().anyMatch(c -> c.stride == 2)
              && cases.stream().anyMatch(c -> !c.bias)
              && cases.stream().anyMatch(c -> !c.dx)
              && cases.stream().anyMatch(c -> c.steps % 2 == 1),
          p.toString());
      if (p != ConvPadding.VALID) {
        assertTrue(
            cases.stream().anyMatch(c -> c.steps < c.dilation * (c.k - 1) + 1),
            p + ": a sequence shorter than the receptive field");
      }
    }
  }

  /** Every cpu case on CUDA, where a usable device exists; skipped (not passed) elsewhere. */
  @ParameterizedTest(name = "cuda {0}")
  @MethodSource("cpuCases")
  void cudaMatchesTheReference(Case c) {
    CudaTests.assumeUsable();
    compare(CudaBackend.get(), c);
  }
}
