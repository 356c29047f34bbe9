package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.backend.conformance.Tolerance;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaProbe;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The op contract of every native backend, checked against {@link ReferenceBackend#float32()} (the
 * oracle) on identical seeded inputs. Each case runs for "cpu" always and for "cuda" only where
 * {@link CudaProbe} finds a usable device; elsewhere the cuda cases are reported as SKIPPED, never
 * as passed.
 *
 * <p>Tolerance: the conformance suite's one table, {@link Tolerance}: {@link Tolerance#FLOAT32}
 * ({@code |native - ref| <= 1e-5 + 1e-4 * |ref|}) for arithmetic, and bit-exactness ({@link
 * Tolerance#EXACT}) only for pure data movement (upload/download, fill, copy, gather, lastStep).
 *
 * <p>Outputs of forward ops are pre-filled with garbage (so "overwrite" is checked) and the
 * gradient outputs of *Grad ops with random values (so "accumulate" is checked).
 */
class NativeOpsVsReferenceTest {
  static final double ATOL = Tolerance.FLOAT32.atol();
  static final double RTOL = Tolerance.FLOAT32.rtol();

  /** Sizes that hit the degenerate case (1), odd small sizes and sizes just past 16/32 lanes. */
  static final int[] SIZES = {1, 3, 17, 33};

  static final long SEED = 0x7157E9L;

  private final ReferenceBackend ref = ReferenceBackend.float32();
  private Scope scope;
  private SplittableRandom random;

  @BeforeEach
  void open() {
    scope = new Scope();
    random = new SplittableRandom(SEED);
  }

  @AfterEach
  void close() {
    scope.close();
  }

  // ---- the backends under test --------------------------------------------------------

  static Stream<String> nativeBackends() {
    return Stream.of(CpuBackend.NAME, CudaBackend.NAME);
  }

  /**
   * The named native backend; a cuda case without a usable device is skipped (aborted), not passed.
   */
  static Backend nativeBackend(String name) {
    if (name.equals(CudaBackend.NAME)) {
      CudaTests.assumeUsable();
      return CudaBackend.get();
    }
    return CpuBackend.get();
  }

  static Stream<Arguments> matmulCases() {
    List<Arguments> out = new ArrayList<>();
    nativeBackends()
        .forEach(
            b -> {
              for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                  for (boolean acc : new boolean[] {false, true}) {
                    out.add(Arguments.of(b, ta, tb, acc));
                  }
                }
              }
            });
    return out.stream();
  }

  static Stream<Arguments> activationCases() {
    return nativeBackends()
        .flatMap(b -> Arrays.stream(Activation.values()).map(a -> Arguments.of(b, a)));
  }

  // ---- twins: one tensor per backend holding the same values --------------------------

  /** A tensor on the native backend and its twin on the reference. */
  private record Twin(Tensor nat, Tensor ref) {
    Tensor on(boolean nativeSide) {
      return nativeSide ? nat : ref;
    }

    /** The same sub-range of both twins. */
    Twin view(long start, Shape shape) {
      return new Twin(nat.view(start, shape), ref.view(start, shape));
    }
  }

  /** An op written once and run on both sides; {@code nativeSide} picks the tensors of a twin. */
  @FunctionalInterface
  private interface TwinOp {
    void run(Backend backend, boolean nativeSide);
  }

  private void onBoth(Backend nb, TwinOp op) {
    op.run(nb, true);
    op.run(ref, false);
  }

  private Twin twin(Backend nb, NDArray values) {
    return new Twin(nb.upload(values, scope), ref.upload(values, scope));
  }

  private Twin randomIn(Backend nb, double lo, double hi, int... dims) {
    return twin(nb, TestArrays.uniform(random, lo, hi, dims));
  }

  private Twin random(Backend nb, int... dims) {
    return randomIn(nb, -1, 1, dims);
  }

  private static void assertMatches(Backend nb, String what, Twin t) {
    nb.synchronize();
    TestArrays.assertAllClose(
        what + " on " + nb.name(),
        ReferenceBackend.float32().download(t.ref()).data(),
        nb.download(t.nat()).data(),
        ATOL,
        RTOL);
  }

  private static void assertExact(Backend nb, String what, Twin t) {
    nb.synchronize();
    assertArrayEquals(
        ReferenceBackend.float32().download(t.ref()).data(),
        nb.download(t.nat()).data(),
        what + " on " + nb.name());
  }

  // ---- memory ops ---------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void uploadDownloadRoundTripIsBitExact(String backendName) {
    Backend nb = nativeBackend(backendName);
    // Values that a lossy path (double round trip, flush-to-zero, NaN canonicalisation) would
    // alter.
    float[] special = {
      0f,
      -0f,
      Float.MIN_VALUE,
      -Float.MIN_NORMAL,
      Float.MAX_VALUE,
      Float.NEGATIVE_INFINITY,
      Float.POSITIVE_INFINITY,
      Float.NaN,
      1f / 3f,
      -1e-30f
    };
    NDArray specials = new NDArray(Shape.of(special.length), special.clone());
    assertArrayEquals(special, nb.download(nb.upload(specials, scope)).data(), "special values");

    for (int n : SIZES) {
      NDArray values = TestArrays.uniform(random, -10, 10, n, 3);
      Tensor t = nb.upload(values, scope);
      NDArray back = nb.download(t);
      assertEquals(Shape.of(n, 3), back.shape());
      assertArrayEquals(values.data(), back.data(), "round trip of " + n + "x3");

      // upload(array, dst) overwrites an existing tensor in place.
      NDArray other = TestArrays.uniform(random, -10, 10, n, 3);
      nb.upload(other, t);
      assertArrayEquals(other.data(), nb.download(t).data(), "re-upload of " + n + "x3");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void readScalarReturnsTheSingleValue(String backendName) {
    Backend nb = nativeBackend(backendName);
    for (float v : new float[] {0f, -2.5f, 1e-20f, 3.4e38f}) {
      Tensor t = nb.upload(NDArray.of(new float[] {v}, 1), scope);
      assertEquals(
          Float.floatToIntBits(v), Float.floatToIntBits(nb.readScalar(t)), "readScalar " + v);
    }
    Tensor matrix = nb.upload(NDArray.of(new float[] {1f}, 1, 1, 1), scope);
    assertEquals(1f, nb.readScalar(matrix), "a [1, 1, 1] tensor is a scalar too");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void fillOverwritesEveryElement(String backendName) {
    Backend nb = nativeBackend(backendName);
    for (int n : SIZES) {
      for (float value : new float[] {0f, -0f, 0.37f, -1234.5f}) {
        Twin t = random(nb, n, 7);
        onBoth(nb, (be, s) -> be.fill(t.on(s), value));
        assertExact(nb, "fill " + n + "x7 with " + value, t);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void copyAndAccumulate(String backendName) {
    Backend nb = nativeBackend(backendName);
    for (int n : SIZES) {
      Twin src = random(nb, n, n);
      Twin dst = random(nb, n, n);
      onBoth(nb, (be, s) -> be.copy(src.on(s), dst.on(s)));
      assertExact(nb, "copy " + n + "x" + n, dst);

      Twin acc = random(nb, n, n);
      onBoth(nb, (be, s) -> be.accumulate(src.on(s), acc.on(s)));
      assertMatches(nb, "accumulate " + n + "x" + n, acc);
    }
    // copy between tensors of equal size but different shape is allowed.
    Twin src = random(nb, 3, 17);
    Twin dst = random(nb, 51);
    onBoth(nb, (be, s) -> be.copy(src.on(s), dst.on(s)));
    assertExact(nb, "copy [3, 17] -> [51]", dst);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void gatherRowsPicksRowsInOrderWithRepeats(String backendName) {
    Backend nb = nativeBackend(backendName);
    for (int rowsInSrc : SIZES) {
      Twin src = random(nb, rowsInSrc, 3, 5);
      int[] rows = TestArrays.indices(random, 40, rowsInSrc);
      for (int count : SIZES) {
        for (int from : new int[] {0, 3, 40 - count}) {
          Twin dst = random(nb, count, 3, 5);
          onBoth(nb, (be, s) -> be.gatherRows(src.on(s), rows, from, dst.on(s)));
          assertExact(
              nb, "gatherRows of " + count + " rows from " + from + " out of " + rowsInSrc, dst);
        }
      }
    }
  }

  // ---- matmul -------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} transA={1} transB={2} accumulate={3}")
  @MethodSource("matmulCases")
  void matmulMatchesReference(
      String backendName, boolean transA, boolean transB, boolean accumulate) {
    Backend nb = nativeBackend(backendName);
    List<int[]> mnk = new ArrayList<>();
    for (int m : SIZES) {
      for (int n : SIZES) {
        for (int k : SIZES) {
          mnk.add(new int[] {m, n, k});
        }
      }
    }
    mnk.add(new int[] {64, 128, 96});
    // the GEMM's other paths: 8-row tiles of a narrow last column block with 5 rows left over,
    // several depth blocks, B too large to read in place, and 2 rows over a partial block
    mnk.add(new int[] {21, 10, 300});
    mnk.add(new int[] {7, 300, 130});
    mnk.add(new int[] {2, 70, 260});
    // one row: row tiles of 128 and of 16 to 112 columns, an odd k, a remainder under 16
    mnk.add(new int[] {1, 128 + 112 + 5, 41});
    mnk.add(new int[] {1, 80, 20});
    mnk.add(new int[] {1, 48 + 9, 7});
    // widths of 24 and 20: a 16-column block, then an 8-column one in place or padded
    mnk.add(new int[] {9, 24, 30});
    mnk.add(new int[] {12, 20, 80});
    for (int[] size : mnk) {
      int m = size[0];
      int n = size[1];
      int k = size[2];
      Twin a = transA ? random(nb, k, m) : random(nb, m, k);
      Twin b = transB ? random(nb, n, k) : random(nb, k, n);
      Twin c = random(nb, m, n);
      onBoth(nb, (be, s) -> be.matmul(a.on(s), transA, b.on(s), transB, c.on(s), accumulate));
      assertMatches(nb, "matmul m=" + m + " n=" + n + " k=" + k, c);
    }
  }

  // ---- bias ---------------------------------------------------------------------------

  /**
   * 2-D [rows, cols] over all size pairs plus rank-3 inputs (bias broadcast over batch and time).
   */
  private static List<int[]> biasShapes() {
    List<int[]> shapes = new ArrayList<>();
    for (int rows : SIZES) {
      for (int cols : SIZES) {
        shapes.add(new int[] {rows, cols});
      }
    }
    shapes.add(new int[] {3, 17, 33});
    shapes.add(new int[] {33, 1, 3});
    shapes.add(new int[] {1, 33, 17});
    shapes.add(
        new int[] {
          7, 130
        }); // the CPU bias gradient's column blocks of 64 (64, 64, 2), 4-row groups + 3
    return shapes;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void addBiasAndBiasGrad(String backendName) {
    Backend nb = nativeBackend(backendName);
    for (int[] dims : biasShapes()) {
      int cols = dims[dims.length - 1];
      Twin x = random(nb, dims);
      Twin bias = random(nb, cols);
      Twin y = randomIn(nb, -100, 100, dims);
      onBoth(nb, (be, s) -> be.addBias(x.on(s), bias.on(s), y.on(s)));
      assertMatches(nb, "addBias " + Arrays.toString(dims), y);

      Twin dbias = random(nb, cols);
      onBoth(nb, (be, s) -> be.biasGrad(x.on(s), dbias.on(s)));
      assertMatches(nb, "biasGrad " + Arrays.toString(dims), dbias);
    }
  }

  // ---- elementwise --------------------------------------------------------------------

  /** Element counts: the shared sizes plus one long enough for any vectorised main loop. */
  private static int[] lengths() {
    return new int[] {1, 3, 17, 33, 1001};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void addMulAndMulGrad(String backendName) {
    Backend nb = nativeBackend(backendName);
    for (int n : lengths()) {
      Twin a = randomIn(nb, -3, 3, n);
      Twin b = randomIn(nb, -3, 3, n);

      Twin sum = randomIn(nb, -100, 100, n);
      onBoth(nb, (be, s) -> be.add(a.on(s), b.on(s), sum.on(s)));
      assertMatches(nb, "add n=" + n, sum);

      Twin product = randomIn(nb, -100, 100, n);
      onBoth(nb, (be, s) -> be.mul(a.on(s), b.on(s), product.on(s)));
      assertMatches(nb, "mul n=" + n, product);

      Twin dy = random(nb, n);
      Twin dx = random(nb, n);
      onBoth(nb, (be, s) -> be.mulGrad(dy.on(s), b.on(s), dx.on(s)));
      assertMatches(nb, "mulGrad n=" + n, dx);
    }
    // Output aliasing an input (y = a + a written into a) is legal elementwise.
    Twin a = random(nb, 17);
    onBoth(nb, (be, s) -> be.add(a.on(s), a.on(s), a.on(s)));
    assertMatches(nb, "add in place", a);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("activationCases")
  void activationAndActivationGrad(String backendName, Activation kind) {
    Backend nb = nativeBackend(backendName);
    for (int n : lengths()) {
      // [-6, 6] reaches tanh/sigmoid saturation; exact zeros probe relu's kink.
      NDArray xs = TestArrays.uniform(random, -6, 6, n);
      for (int i = 0; i < n; i += 5) {
        xs.data()[i] = 0f;
      }
      Twin x = twin(nb, xs);
      Twin y = randomIn(nb, -100, 100, n);
      onBoth(nb, (be, s) -> be.activation(kind, x.on(s), y.on(s)));
      assertMatches(nb, kind + " n=" + n, y);

      // The backward reads the forward output; both sides get the reference's output.
      Twin yRef = twin(nb, ref.download(y.ref()));
      Twin dy = random(nb, n);
      Twin dx = random(nb, n);
      onBoth(nb, (be, s) -> be.activationGrad(kind, yRef.on(s), dy.on(s), dx.on(s)));
      assertMatches(nb, kind + " grad n=" + n, dx);
    }
  }

  // ---- sequence -----------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void lastStepAndLastStepGrad(String backendName) {
    Backend nb = nativeBackend(backendName);
    for (int batch : SIZES) {
      for (int steps : SIZES) {
        for (int features : SIZES) {
          String dims = "[" + batch + ", " + steps + ", " + features + "]";
          Twin x = random(nb, batch, steps, features);
          Twin y = randomIn(nb, -100, 100, batch, features);
          onBoth(nb, (be, s) -> be.lastStep(x.on(s), y.on(s)));
          assertExact(nb, "lastStep " + dims, y);

          Twin dy = random(nb, batch, features);
          Twin dx = random(nb, batch, steps, features);
          onBoth(nb, (be, s) -> be.lastStepGrad(dy.on(s), dx.on(s)));
          assertMatches(nb, "lastStepGrad " + dims, dx);
        }
      }
    }
  }

  // ---- loss and optimizer -------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void mseAndMseGrad(String backendName) {
    Backend nb = nativeBackend(backendName);
    List<int[]> shapes = new ArrayList<>();
    for (int b : SIZES) {
      for (int f : SIZES) {
        shapes.add(new int[] {b, f});
      }
    }
    shapes.add(new int[] {33, 17, 33}); // long enough that float32 accumulation would drift
    for (int[] dims : shapes) {
      String what = Arrays.toString(dims);
      Twin pred = randomIn(nb, -2, 2, dims);
      Twin target = randomIn(nb, -2, 2, dims);
      Twin loss = random(nb, 1);
      onBoth(nb, (be, s) -> be.mse(pred.on(s), target.on(s), loss.on(s)));
      assertMatches(nb, "mse " + what, loss);

      for (float upstream : new float[] {1f, 0.3f, -2f}) {
        Twin dloss = twin(nb, NDArray.of(new float[] {upstream}, 1));
        Twin dpred = random(nb, dims);
        onBoth(nb, (be, s) -> be.mseGrad(pred.on(s), target.on(s), dloss.on(s), dpred.on(s)));
        assertMatches(nb, "mseGrad " + what + " dloss=" + upstream, dpred);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void adamUpdatesParamAndBothMoments(String backendName) {
    Backend nb = nativeBackend(backendName);
    float[][] hyper = {
      {1e-3f, 0.9f, 0.999f, 1e-7f}, {0.05f, 0.5f, 0.9f, 1e-3f}, {1e-2f, 0f, 0f, 0f}
    };
    for (int n : lengths()) {
      for (float[] h : hyper) {
        String what = "adam n=" + n + " " + Arrays.toString(h);
        Twin param = random(nb, n);
        Twin m = randomIn(nb, -0.1, 0.1, n);
        Twin v = randomIn(nb, 0.01, 0.1, n); // a second moment is never negative
        // Several steps, each with a fresh gradient, so moments carried between calls are checked.
        for (int step = 0; step < 3; step++) {
          Twin grad = random(nb, n);
          onBoth(
              nb,
              (be, s) ->
                  be.adam(param.on(s), grad.on(s), m.on(s), v.on(s), h[0], h[1], h[2], h[3]));
          assertMatches(nb, what + " m, step " + step, m);
          assertMatches(nb, what + " v, step " + step, v);
          assertMatches(nb, what + " param, step " + step, param);
        }
      }
    }
  }

  // ---- views --------------------------------------------------------------------------

  /**
   * Every op on views at odd, non-zero offsets inside one arena: after each op the whole arena must
   * match the reference (so the op read its inputs at the right offsets), and on the native side
   * nothing outside the op's output range may change, bit for bit.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void opsOnViewsTouchOnlyTheirRange(String backendName) {
    Backend nb = nativeBackend(backendName);
    Twin arena = randomIn(nb, -5, 5, 2000);
    long[] cursor = {3};
    // Views are laid out one after another with a 3-float gap, starting at offset 3.
    Function<int[], Twin> carve =
        dims -> {
          Shape shape = Shape.of(dims);
          Twin v = arena.view(cursor[0], shape);
          cursor[0] += shape.size() + 3;
          return v;
        };
    Twin a = carve.apply(new int[] {3, 5});
    Twin b = carve.apply(new int[] {5, 4});
    Twin bT = carve.apply(new int[] {4, 5});
    Twin c = carve.apply(new int[] {3, 4});
    Twin bias = carve.apply(new int[] {4});
    Twin seq = carve.apply(new int[] {2, 3, 4});
    Twin last = carve.apply(new int[] {2, 4});
    Twin e1 = carve.apply(new int[] {12});
    Twin e2 = carve.apply(new int[] {12});
    Twin e3 = carve.apply(new int[] {12});
    Twin loss = carve.apply(new int[] {1});
    Twin dloss = carve.apply(new int[] {1});
    Twin m = carve.apply(new int[] {12});
    Twin v = carve.apply(new int[] {12});
    // A reshaped view of a view: [12] at a non-zero offset seen as [3, 4].
    Twin reshaped = new Twin(e3.nat().reshape(Shape.of(3, 4)), e3.ref().reshape(Shape.of(3, 4)));
    onBoth(nb, (be, s) -> be.fill(v.on(s), 0.5f)); // second moments must be positive for adam

    checkRangeOnly(nb, arena, "fill", e1, (be, s) -> be.fill(e1.on(s), -7f));
    checkRangeOnly(
        nb,
        arena,
        "upload",
        e2,
        (be, s) ->
            be.upload(
                NDArray.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 12), e2.on(s)));
    assertArrayEquals(
        new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
        nb.download(e2.nat()).data(),
        "download of a view reads its own range");
    checkRangeOnly(nb, arena, "copy", e1, (be, s) -> be.copy(c.on(s), e1.on(s)));
    checkRangeOnly(nb, arena, "accumulate", e1, (be, s) -> be.accumulate(e2.on(s), e1.on(s)));
    checkRangeOnly(
        nb,
        arena,
        "gatherRows",
        c,
        (be, s) ->
            be.gatherRows(seq.on(s).reshape(Shape.of(6, 4)), new int[] {5, 1, 4}, 0, c.on(s)));
    // Indices before `from` are never read, so an out-of-range one there is harmless.
    checkRangeOnly(
        nb,
        arena,
        "gatherRows (from > 0)",
        c,
        (be, s) -> be.gatherRows(b.on(s), new int[] {99, 3, 0, 1}, 1, c.on(s)));
    for (boolean acc : new boolean[] {false, true}) {
      checkRangeOnly(
          nb,
          arena,
          "matmul acc=" + acc,
          c,
          (be, s) -> be.matmul(a.on(s), false, b.on(s), false, c.on(s), acc));
      checkRangeOnly(
          nb,
          arena,
          "matmul b^T acc=" + acc,
          c,
          (be, s) -> be.matmul(a.on(s), false, bT.on(s), true, c.on(s), acc));
    }
    checkRangeOnly(
        nb,
        arena,
        "matmul a^T",
        b,
        (be, s) -> be.matmul(a.on(s), true, c.on(s), false, b.on(s), false));
    checkRangeOnly(
        nb, arena, "addBias", reshaped, (be, s) -> be.addBias(c.on(s), bias.on(s), reshaped.on(s)));
    checkRangeOnly(nb, arena, "biasGrad", bias, (be, s) -> be.biasGrad(seq.on(s), bias.on(s)));
    checkRangeOnly(nb, arena, "add", e1, (be, s) -> be.add(e2.on(s), reshaped.on(s), e1.on(s)));
    checkRangeOnly(nb, arena, "mul", e1, (be, s) -> be.mul(e2.on(s), e3.on(s), e1.on(s)));
    checkRangeOnly(nb, arena, "mulGrad", e2, (be, s) -> be.mulGrad(e1.on(s), e3.on(s), e2.on(s)));
    checkRangeOnly(
        nb,
        arena,
        "activation",
        e3,
        (be, s) -> be.activation(Activation.SIGMOID, e1.on(s), e3.on(s)));
    checkRangeOnly(
        nb,
        arena,
        "activationGrad",
        e2,
        (be, s) -> be.activationGrad(Activation.SIGMOID, e3.on(s), e1.on(s), e2.on(s)));
    checkRangeOnly(nb, arena, "lastStep", last, (be, s) -> be.lastStep(seq.on(s), last.on(s)));
    checkRangeOnly(
        nb, arena, "lastStepGrad", seq, (be, s) -> be.lastStepGrad(last.on(s), seq.on(s)));
    checkRangeOnly(nb, arena, "mse", loss, (be, s) -> be.mse(e1.on(s), e2.on(s), loss.on(s)));
    assertEquals(
        ref.readScalar(loss.ref()),
        nb.readScalar(loss.nat()),
        ATOL + RTOL * Math.abs(ref.readScalar(loss.ref())),
        "readScalar of a view");
    checkRangeOnly(
        nb, arena, "mseGrad", e3, (be, s) -> be.mseGrad(e1.on(s), e2.on(s), dloss.on(s), e3.on(s)));
    // adam writes three views: the parameter and both moments.
    checkRangeOnly(
        nb,
        arena,
        "adam (param)",
        e1,
        (be, s) -> be.adam(e1.on(s), e2.on(s), m.on(s), v.on(s), 0.01f, 0.9f, 0.999f, 1e-7f),
        m,
        v);
  }

  /**
   * Runs {@code op} on both sides and checks (1) the whole arena matches the reference and (2) on
   * the native side only {@code out} (and any {@code alsoWritten}) changed.
   */
  private void checkRangeOnly(
      Backend nb, Twin arena, String what, Twin out, TwinOp op, Twin... alsoWritten) {
    nb.synchronize();
    float[] before = nb.download(arena.nat()).data();
    onBoth(nb, op);
    nb.synchronize();
    float[] after = nb.download(arena.nat()).data();
    boolean[] writable = new boolean[before.length];
    for (Twin t : concat(out, alsoWritten)) {
      long start = t.nat().offset() - arena.nat().offset();
      for (long i = start; i < start + t.nat().size(); i++) {
        writable[(int) i] = true;
      }
    }
    for (int i = 0; i < before.length; i++) {
      if (!writable[i] && Float.floatToIntBits(before[i]) != Float.floatToIntBits(after[i])) {
        throw new AssertionError(
            what
                + " on "
                + nb.name()
                + " wrote outside its output: arena["
                + i
                + "] "
                + before[i]
                + " -> "
                + after[i]);
      }
    }
    assertMatches(nb, what + " (whole arena)", arena);
  }

  private static List<Twin> concat(Twin first, Twin... rest) {
    List<Twin> all = new ArrayList<>();
    all.add(first);
    all.addAll(Arrays.asList(rest));
    return all;
  }
}
