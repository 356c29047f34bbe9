package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.conformance.Tolerance;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused recurrent op of the native backends against {@link ReferenceBackend#float32()} (the
 * oracle, itself checked by finite differences in {@link RecurrentReferenceTest}) on identical
 * seeded inputs: forward outputs, the backward cache (its layout is part of the contract) and every
 * gradient.
 *
 * <p>Tolerance: {@link Tolerance#RECURRENT} of the conformance suite's one table, for every
 * compared element {@code |native - ref| <= 1e-4 + 1e-3 * |ref|}. That is ten times looser than
 * {@link Tolerance#FLOAT32}: a recurrence feeds each step's float32 rounding into the next, for up
 * to 50 steps, and the weight gradients sum B·T = 1650 terms.
 *
 * <p>Shapes: every value of batch {1, 33}, steps {1, 50}, units {1, 20, 64} and features {1, 3}
 * appears for every kind, in five combinations rather than the full product, so the whole class
 * runs in a few seconds. Outputs and caches are pre-filled with garbage (forward must overwrite)
 * and the gradient buffers with random values (backward must accumulate).
 *
 * <p>The CUDA cases (run where a device is present, skipped elsewhere) add a 1000-step sequence and
 * 129 units, where an LSTM's recurrent kernel no longer fits one block's shared memory and the op
 * takes its grid-synchronised path.
 */
class RecurrentNativeVsReferenceTest {
  static final double ATOL = Tolerance.RECURRENT.atol();
  static final double RTOL = Tolerance.RECURRENT.rtol();
  static final long SEED = 0x4EC0BBL;

  /** {batch, steps, features, units}. */
  static final int[][] SHAPES = {
    {1, 1, 1, 1}, {33, 50, 3, 20}, {1, 50, 1, 64}, {33, 1, 3, 64}, {33, 50, 1, 1}
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

  // ---- cases -------------------------------------------------------------------------------

  static Stream<Arguments> cpuCases() {
    List<Arguments> out = new ArrayList<>();
    for (RecurrentKind kind : RecurrentKind.values()) {
      for (int[] s : SHAPES) {
        out.add(Arguments.of(kind, Activation.TANH, s[0], s[1], s[2], s[3]));
      }
    }
    // The other activations of the two kinds that take one, on a long sequence.
    for (RecurrentKind kind :
        new RecurrentKind[] {RecurrentKind.SIMPLE, RecurrentKind.LAYER_NORM_SIMPLE}) {
      for (Activation act :
          new Activation[] {Activation.LINEAR, Activation.SIGMOID, Activation.RELU}) {
        out.add(Arguments.of(kind, act, 33, 50, 3, 20));
      }
    }
    return out.stream();
  }

  // ---- the problem: host arrays, uploaded identically to both sides ------------------------

  /** Seeded inputs of one case as host arrays. Weight scales keep a 50-step recurrence stable. */
  private record Inputs(
      NDArray x,
      NDArray h0,
      NDArray kernel,
      NDArray recurrent,
      NDArray bias,
      NDArray cellWeights,
      NDArray dout,
      Map<String, NDArray> gradStart) {}

  private static Inputs inputs(
      RecurrentKind kind, int batch, int steps, int features, int units, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int g = kind.gates() * units;
    double ws = 1 / Math.sqrt(features);
    double us = 1 / Math.sqrt(units);
    NDArray cellWeights = null;
    if (kind == RecurrentKind.GRU) {
      cellWeights = TestArrays.uniform(r, -0.2, 0.2, 3 * units);
    } else if (kind == RecurrentKind.LAYER_NORM_SIMPLE) {
      float[] v = new float[2 * units];
      for (int j = 0; j < units; j++) {
        v[j] = (float) (0.5 + r.nextDouble()); // gamma
        v[units + j] = (float) (-0.2 + 0.4 * r.nextDouble()); // beta
      }
      cellWeights = new NDArray(Shape.of(2 * units), v);
    }
    Inputs in =
        new Inputs(
            TestArrays.uniform(r, -1, 1, batch, steps, features),
            TestArrays.uniform(r, -0.5, 0.5, batch, units),
            TestArrays.uniform(r, -ws, ws, features, g),
            TestArrays.uniform(r, -us, us, units, g),
            TestArrays.uniform(r, -0.2, 0.2, g),
            cellWeights,
            TestArrays.uniform(r, -1, 1, batch, steps, units),
            new LinkedHashMap<>());
    in.gradStart.put("dx", TestArrays.uniform(r, -1, 1, batch, steps, features));
    in.gradStart.put("dh0", TestArrays.uniform(r, -1, 1, batch, units));
    in.gradStart.put("dkernel", TestArrays.uniform(r, -1, 1, features, g));
    in.gradStart.put("drecurrent", TestArrays.uniform(r, -1, 1, units, g));
    in.gradStart.put("dbias", TestArrays.uniform(r, -1, 1, g));
    if (cellWeights != null) {
      in.gradStart.put("dcellWeights", TestArrays.uniform(r, -1, 1, cellWeights.shape().dims()));
    }
    return in;
  }

  /** Runs forward then backward on {@code b}; returns every result by name, downloaded. */
  private Map<String, float[]> run(
      Backend b, RecurrentKind kind, Activation act, Inputs in, boolean withInputGrads) {
    int batch = in.x.shape().dims()[0];
    int steps = in.x.shape().dims()[1];
    int units = in.h0.shape().dims()[1];
    Tensor x = b.upload(in.x, scope);
    Tensor h0 = b.upload(in.h0, scope);
    RecurrentParams w =
        RecurrentParams.of(
            kind,
            b.upload(in.kernel, scope),
            b.upload(in.recurrent, scope),
            b.upload(in.bias, scope),
            in.cellWeights == null ? null : b.upload(in.cellWeights, scope));
    Tensor out = b.allocate(in.dout.shape(), scope);
    b.fill(out, Float.NaN); // forward must overwrite
    int cacheFloats = batch * steps * kind.cacheRow(units);
    Tensor cache = b.allocate(Shape.of(Math.max(1, cacheFloats)), scope);
    b.fill(cache, 7.5f);
    b.recurrentForward(kind, act, x, h0, w, out, cache);

    Tensor dout = b.upload(in.dout, scope);
    Tensor dx = withInputGrads ? b.upload(in.gradStart.get("dx"), scope) : null;
    Tensor dh0 = withInputGrads ? b.upload(in.gradStart.get("dh0"), scope) : null;
    RecurrentParams grads =
        RecurrentParams.of(
            kind,
            b.upload(in.gradStart.get("dkernel"), scope),
            b.upload(in.gradStart.get("drecurrent"), scope),
            b.upload(in.gradStart.get("dbias"), scope),
            in.cellWeights == null ? null : b.upload(in.gradStart.get("dcellWeights"), scope));
    b.recurrentBackward(kind, act, x, h0, w, out, cache, dout, dx, dh0, grads);

    Map<String, float[]> result = new LinkedHashMap<>();
    result.put("out", b.download(out).data());
    float[] c = b.download(cache).data();
    float[] used = new float[cacheFloats];
    System.arraycopy(c, 0, used, 0, cacheFloats);
    result.put("cache", used);
    if (withInputGrads) {
      result.put("dx", b.download(dx).data());
      result.put("dh0", b.download(dh0).data());
    }
    result.put("dkernel", b.download(grads.kernel()).data());
    result.put("drecurrent", b.download(grads.recurrent()).data());
    result.put("dbias", b.download(grads.bias()).data());
    if (grads.cellWeights() != null) {
      result.put("dcellWeights", b.download(grads.cellWeights()).data());
    }
    return result;
  }

  private void compare(
      Backend nb,
      RecurrentKind kind,
      Activation act,
      int batch,
      int steps,
      int features,
      int units,
      boolean withInputGrads) {
    Inputs in =
        inputs(kind, batch, steps, features, units, SEED ^ (31L * kind.ordinal() + act.ordinal()));
    Map<String, float[]> expected = run(ref, kind, act, in, withInputGrads);
    Map<String, float[]> actual = run(nb, kind, act, in, withInputGrads);
    String what =
        nb.name() + " " + kind + " " + act + " [B=" + batch + ", T=" + steps + ", F=" + features
            + ", H=" + units + "]";
    // Report every mismatching result, not only the first.
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

  @ParameterizedTest(name = "cpu {0} {1} B={2} T={3} F={4} H={5}")
  @MethodSource("cpuCases")
  void cpuMatchesTheReference(
      RecurrentKind kind, Activation act, int batch, int steps, int features, int units) {
    compare(CpuBackend.get(), kind, act, batch, steps, features, units, true);
  }

  @ParameterizedTest(name = "cpu {0} without dx and dh0")
  @EnumSource(RecurrentKind.class)
  void cpuMatchesTheReferenceWithoutInputGradients(RecurrentKind kind) {
    compare(CpuBackend.get(), kind, Activation.TANH, 33, 50, 3, 20, false);
  }

  static Stream<Arguments> cudaCases() {
    List<Arguments> out = new ArrayList<>(cpuCases().toList());
    for (RecurrentKind kind : RecurrentKind.values()) {
      out.add(Arguments.of(kind, Activation.TANH, 1, 1000, 1, 20));
      out.add(Arguments.of(kind, Activation.TANH, 2, 9, 4, 129));
    }
    return out.stream();
  }

  /** The CUDA backend where a usable device exists; the test is skipped (not passed) elsewhere. */
  private static Backend cuda() {
    CudaTests.assumeUsable();
    return CudaBackend.get();
  }

  @ParameterizedTest(name = "cuda {0} {1} B={2} T={3} F={4} H={5}")
  @MethodSource("cudaCases")
  void cudaMatchesTheReference(
      RecurrentKind kind, Activation act, int batch, int steps, int features, int units) {
    compare(cuda(), kind, act, batch, steps, features, units, true);
  }

  @ParameterizedTest(name = "cuda {0} without dx and dh0")
  @EnumSource(RecurrentKind.class)
  void cudaMatchesTheReferenceWithoutInputGradients(RecurrentKind kind) {
    compare(cuda(), kind, Activation.TANH, 33, 50, 3, 20, false);
  }
}
