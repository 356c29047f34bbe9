package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.FiniteDifferences;
import dev.timestep.testing.Float64OpTest;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Batch normalization (training op, its backward, inference op): gradients of {@link Ops#batchNorm}
 * against central finite differences on {@link ReferenceBackend#float64()} (same method and
 * tolerances as GradientCheckTest), small cases by hand, the native CPU kernels against {@link
 * ReferenceBackend#float32()} ({@code |native - ref| <= 1e-5 + 1e-4 * |ref|}), and the shape
 * checks; the CUDA kernels are compared the same way where a device is present.
 */
class BatchNormOpTest extends Float64OpTest {
  static final double ATOL = 1e-5;
  static final double RTOL = 1e-4;
  static final double BN_EPS = 1e-3;

  private final ReferenceBackend ref = ReferenceBackend.float32();

  BatchNormOpTest() {
    super(0xBA7C4L);
  }

  // ---- float64 gradient check through Ops.batchNorm -----------------------------------

  private Tensor tensor64(double lo, double hi, int... dims) {
    return t64.random(lo, hi, dims);
  }

  private Parameter param64(String name, double lo, double hi, int... dims) {
    return t64.param(name, lo, hi, dims);
  }

  /** mse(batchNorm(x), fixed random target); the batch statistics go to scratch tensors. */
  private Function<Tape, Variable> bnLoss(
      Function<Tape, Variable> input, Parameter gamma, Parameter beta, Shape shape) {
    Tensor target = tensor64(-1, 1, shape.dims());
    int c = shape.dim(-1);
    Tensor mean = f64.allocate(Shape.of(c), scope);
    Tensor var = f64.allocate(Shape.of(c), scope);
    return tape ->
        Ops.mse(
            tape,
            Ops.batchNorm(tape, input.apply(tape), gamma, beta, mean, var),
            tape.constant(target));
  }

  @Test
  void gradientsMatchFiniteDifferences2d() {
    Parameter x = param64("x", -2, 2, 5, 3);
    Parameter gamma = param64("gamma", 0.5, 1.5, 3);
    Parameter beta = param64("beta", -1, 1, 3);
    FiniteDifferences.check(
        "batchNorm [5, 3]", bnLoss(t -> x, gamma, beta, x.shape()), x, gamma, beta);
  }

  @Test
  void gradientsMatchFiniteDifferences3d() {
    Parameter x = param64("x", -2, 2, 2, 4, 3);
    Parameter gamma = param64("gamma", -1.5, 1.5, 3);
    Parameter beta = param64("beta", -1, 1, 3);
    FiniteDifferences.check(
        "batchNorm [2, 4, 3]", bnLoss(t -> x, gamma, beta, x.shape()), x, gamma, beta);
  }

  @Test
  void gradientsThroughAnOpBeforeAndAfter() {
    // tanh after the normalization makes dy depend on position; the tanh before it checks dx flows
    // on.
    Parameter x = param64("x", -2, 2, 4, 2);
    Parameter gamma = param64("gamma", 0.5, 1.5, 2);
    Parameter beta = param64("beta", -1, 1, 2);
    Tensor mean = f64.allocate(Shape.of(2), scope);
    Tensor var = f64.allocate(Shape.of(2), scope);
    Tensor target = tensor64(-1, 1, 4, 2);
    FiniteDifferences.check(
        "tanh(batchNorm(tanh(x)))",
        tape ->
            Ops.mse(
                tape,
                Ops.tanh(tape, Ops.batchNorm(tape, Ops.tanh(tape, x), gamma, beta, mean, var)),
                tape.constant(target)),
        x,
        gamma,
        beta);
  }

  @Test
  void constantInputStillGivesGammaAndBetaGradients() {
    Tensor xValue = tensor64(-2, 2, 6, 3);
    Parameter gamma = param64("gamma", 0.5, 1.5, 3);
    Parameter beta = param64("beta", -1, 1, 3);
    FiniteDifferences.check(
        "batchNorm of a constant",
        bnLoss(t -> t.constant(xValue), gamma, beta, xValue.shape()),
        gamma,
        beta);
  }

  // ---- by hand ------------------------------------------------------------------------

  @Test
  void forwardByHand() {
    // Channel 0: 1, 3, 5 -> mean 3, var 8/3. Channel 1: 2, 2, 8 -> mean 4, var 8.
    NDArray x = NDArray.of(new float[] {1, 2, 3, 2, 5, 8}, 3, 2);
    NDArray gamma = NDArray.of(new float[] {2, -1}, 2);
    NDArray beta = NDArray.of(new float[] {0.5f, 1}, 2);
    for (Backend b : new Backend[] {ref, CpuBackend.get()}) {
      Tensor bx = b.upload(x, scope);
      Tensor bg = b.upload(gamma, scope);
      Tensor bb = b.upload(beta, scope);
      Tensor by = b.allocate(Shape.of(3, 2), scope);
      Tensor bh = b.allocate(Shape.of(3, 2), scope);
      Tensor bm = b.allocate(Shape.of(2), scope);
      Tensor bv = b.allocate(Shape.of(2), scope);
      Tensor br = b.allocate(Shape.of(2), scope);
      b.batchNorm(bx, bg, bb, by, bh, bm, bv, br);
      double r0 = 1 / Math.sqrt(8.0 / 3 + BN_EPS);
      double r1 = 1 / Math.sqrt(8.0 + BN_EPS);
      assertClose(b.name() + " mean", new double[] {3, 4}, b.download(bm).data());
      assertClose(b.name() + " var", new double[] {8.0 / 3, 8}, b.download(bv).data());
      assertClose(b.name() + " rstd", new double[] {r0, r1}, b.download(br).data());
      double[] h = {-2 * r0, -2 * r1, 0, -2 * r1, 2 * r0, 4 * r1};
      assertClose(b.name() + " xhat", h, b.download(bh).data());
      double[] expected = new double[6];
      for (int i = 0; i < 6; i++) {
        expected[i] = (i % 2 == 0) ? 2 * h[i] + 0.5 : -h[i] + 1;
      }
      assertClose(b.name() + " y", expected, b.download(by).data());
    }
  }

  @Test
  void singleRowHasZeroVarianceAndGivesBeta() {
    for (Backend b : new Backend[] {ref, CpuBackend.get()}) {
      Tensor x = b.upload(NDArray.of(new float[] {7, -3, 0.25f}, 1, 3), scope);
      Tensor gamma = b.upload(NDArray.of(new float[] {2, 3, 4}, 3), scope);
      Tensor beta = b.upload(NDArray.of(new float[] {0.5f, -1, 2}, 3), scope);
      Tensor y = b.allocate(Shape.of(1, 3), scope);
      Tensor xhat = b.allocate(Shape.of(1, 3), scope);
      Tensor mean = b.allocate(Shape.of(3), scope);
      Tensor var = b.allocate(Shape.of(3), scope);
      Tensor rstd = b.allocate(Shape.of(3), scope);
      b.batchNorm(x, gamma, beta, y, xhat, mean, var, rstd);
      double inv = 1 / Math.sqrt(BN_EPS);
      assertClose(b.name() + " mean", new double[] {7, -3, 0.25}, b.download(mean).data());
      assertClose(b.name() + " var", new double[] {0, 0, 0}, b.download(var).data());
      assertClose(b.name() + " rstd", new double[] {inv, inv, inv}, b.download(rstd).data());
      assertClose(b.name() + " y", new double[] {0.5, -1, 2}, b.download(y).data());
    }
  }

  @Test
  void inferenceByHand() {
    for (Backend b : new Backend[] {ref, CpuBackend.get()}) {
      Tensor x = b.upload(NDArray.of(new float[] {1, 2, 3, 4}, 2, 2), scope);
      Tensor gamma = b.upload(NDArray.of(new float[] {2, 0.5f}, 2), scope);
      Tensor beta = b.upload(NDArray.of(new float[] {1, -1}, 2), scope);
      Tensor mm = b.upload(NDArray.of(new float[] {2, 1}, 2), scope);
      Tensor mv = b.upload(NDArray.of(new float[] {4, 0.25f}, 2), scope);
      Tensor y = b.upload(NDArray.of(new float[] {9, 9, 9, 9}, 2, 2), scope);
      b.batchNormInference(x, gamma, beta, mm, mv, y);
      double s0 = 2 / Math.sqrt(4 + BN_EPS);
      double s1 = 0.5 / Math.sqrt(0.25 + BN_EPS);
      assertClose(
          b.name() + " inference y",
          new double[] {(1 - 2) * s0 + 1, (2 - 1) * s1 - 1, (3 - 2) * s0 + 1, (4 - 1) * s1 - 1},
          b.download(y).data());
    }
  }

  @Test
  void opWritesTheBatchStatisticsForTheLayer() {
    try (Tape tape = new Tape(ref)) {
      Tensor x = ref.upload(NDArray.of(new float[] {1, 10, 3, 20, 5, 60}, 3, 2), scope);
      Tensor gamma = ref.upload(NDArray.of(new float[] {1, 1}, 2), scope);
      Tensor beta = ref.upload(NDArray.of(new float[] {0, 0}, 2), scope);
      Tensor mean = ref.allocate(Shape.of(2), scope);
      Tensor var = ref.allocate(Shape.of(2), scope);
      Variable y =
          Ops.batchNorm(
              tape, tape.constant(x), tape.constant(gamma), tape.constant(beta), mean, var);
      assertEquals(Shape.of(3, 2), y.shape());
      assertClose("batch mean", new double[] {3, 30}, ref.download(mean).data());
      assertClose("batch var", new double[] {8.0 / 3, 1400.0 / 3}, ref.download(var).data());
    }
  }

  // ---- native CPU vs the float32 reference --------------------------------------------

  static Stream<Arguments> sizes() {
    List<Arguments> out = new ArrayList<>();
    for (int rows : new int[] {1, 3, 17, 1600}) {
      for (int channels : new int[] {1, 3, 20}) {
        out.add(Arguments.of(rows, channels));
      }
    }
    return out.stream();
  }

  private record Twin(Tensor nat, Tensor ref) {
    Tensor on(boolean nativeSide) {
      return nativeSide ? nat : ref;
    }
  }

  private Twin twin(Backend nb, NDArray values) {
    return new Twin(nb.upload(values, scope), ref.upload(values, scope));
  }

  private Twin randomTwin(Backend nb, double lo, double hi, int... dims) {
    return twin(nb, TestArrays.uniform(random, lo, hi, dims));
  }

  private void assertMatches(Backend nb, String what, Twin t) {
    TestArrays.assertAllClose(
        what, ref.download(t.ref()).data(), nb.download(t.nat()).data(), ATOL, RTOL);
  }

  @ParameterizedTest(name = "rows={0} channels={1}")
  @MethodSource("sizes")
  void nativeCpuMatchesTheReference(int rows, int channels) {
    nativeMatchesTheReference(CpuBackend.get(), rows, channels);
  }

  /** The CUDA kernels, where a usable device exists; skipped (not passed) elsewhere. */
  @ParameterizedTest(name = "cuda rows={0} channels={1}")
  @MethodSource("sizes")
  void cudaMatchesTheReference(int rows, int channels) {
    CudaTests.assumeUsable();
    nativeMatchesTheReference(CudaBackend.get(), rows, channels);
  }

  /** Training forward, backward and inference of {@code nb} against the float32 reference. */
  private void nativeMatchesTheReference(Backend nb, int rows, int channels) {
    String at = " " + nb.name() + " rows=" + rows + " channels=" + channels;
    // A per-channel offset and scale so the statistics differ between channels; shaped [rows, C]
    // or, when rows splits evenly, [rows/…, …, C] to exercise rank 3.
    NDArray values = TestArrays.uniform(random, -1, 1, rows, channels);
    float[] data = values.data();
    for (int i = 0; i < data.length; i++) {
      int c = i % channels;
      data[i] = data[i] * (0.5f + c) + 0.3f * c - 1;
    }
    int[] dims = rows % 4 == 0 ? new int[] {rows / 4, 4, channels} : new int[] {rows, channels};
    Twin x = twin(nb, new NDArray(Shape.of(dims), data));
    Twin gamma = randomTwin(nb, 0.5, 1.5, channels);
    Twin beta = randomTwin(nb, -1, 1, channels);
    Twin y = randomTwin(nb, -9, 9, dims);
    Twin xhat = randomTwin(nb, -9, 9, dims);
    Twin mean = randomTwin(nb, -9, 9, channels);
    Twin var = randomTwin(nb, -9, 9, channels);
    Twin rstd = randomTwin(nb, -9, 9, channels);
    for (boolean s : new boolean[] {true, false}) {
      Backend b = s ? nb : ref;
      b.batchNorm(
          x.on(s), gamma.on(s), beta.on(s), y.on(s), xhat.on(s), mean.on(s), var.on(s), rstd.on(s));
    }
    assertMatches(nb, "batchNorm y" + at, y);
    assertMatches(nb, "batchNorm xhat" + at, xhat);
    assertMatches(nb, "batchNorm mean" + at, mean);
    assertMatches(nb, "batchNorm var" + at, var);
    assertMatches(nb, "batchNorm rstd" + at, rstd);

    // Backward from the reference's saved xhat/rstd on both sides (so only the grad kernel is
    // compared), into gradients pre-filled with random values (accumulation is checked).
    Twin savedXhat = twin(nb, ref.download(xhat.ref()));
    Twin savedRstd = twin(nb, ref.download(rstd.ref()));
    Twin dy = randomTwin(nb, -1, 1, dims);
    Twin dx = randomTwin(nb, -1, 1, dims);
    Twin dgamma = randomTwin(nb, -1, 1, channels);
    Twin dbeta = randomTwin(nb, -1, 1, channels);
    for (boolean s : new boolean[] {true, false}) {
      Backend b = s ? nb : ref;
      b.batchNormGrad(
          dy.on(s),
          savedXhat.on(s),
          savedRstd.on(s),
          gamma.on(s),
          dx.on(s),
          dgamma.on(s),
          dbeta.on(s));
    }
    assertMatches(nb, "batchNormGrad dx" + at, dx);
    assertMatches(nb, "batchNormGrad dgamma" + at, dgamma);
    assertMatches(nb, "batchNormGrad dbeta" + at, dbeta);

    Twin movingMean = randomTwin(nb, -1, 1, channels);
    Twin movingVar = randomTwin(nb, 0, 2, channels);
    Twin yInf = randomTwin(nb, -9, 9, dims);
    for (boolean s : new boolean[] {true, false}) {
      Backend b = s ? nb : ref;
      b.batchNormInference(
          x.on(s), gamma.on(s), beta.on(s), movingMean.on(s), movingVar.on(s), yInf.on(s));
    }
    assertMatches(nb, "batchNormInference y" + at, yInf);
  }

  @Test
  void nativeOpThroughTheTapeMatchesTheReference() {
    Backend nb = CpuBackend.get();
    NDArray xv = TestArrays.uniform(random, -2, 2, 4, 5, 3);
    NDArray gv = TestArrays.uniform(random, 0.5, 1.5, 3);
    NDArray bv = TestArrays.uniform(random, -1, 1, 3);
    NDArray target = TestArrays.uniform(random, -1, 1, 4, 5, 3);
    float[][] results = new float[2][];
    for (int side = 0; side < 2; side++) {
      Backend b = side == 0 ? nb : ref;
      Parameter x = new Parameter("x", b.upload(xv, scope), b.allocate(xv.shape(), scope));
      Parameter g = new Parameter("gamma", b.upload(gv, scope), b.allocate(gv.shape(), scope));
      Parameter be = new Parameter("beta", b.upload(bv, scope), b.allocate(bv.shape(), scope));
      for (Parameter p : new Parameter[] {x, g, be}) {
        b.fill(p.grad(), 0f);
      }
      Tensor mean = b.allocate(Shape.of(3), scope);
      Tensor var = b.allocate(Shape.of(3), scope);
      try (Tape tape = new Tape(b)) {
        Variable y = Ops.batchNorm(tape, x, g, be, mean, var);
        tape.backward(Ops.mse(tape, y, tape.constant(b.upload(target, scope))));
      }
      results[side] =
          concat(
              b.download(x.grad()).data(),
              b.download(g.grad()).data(),
              b.download(be.grad()).data(),
              b.download(mean).data(),
              b.download(var).data());
    }
    TestArrays.assertAllClose(
        "Ops.batchNorm gradients and statistics, cpu vs reference",
        results[1],
        results[0],
        ATOL,
        RTOL);
  }

  // ---- accumulation -------------------------------------------------------------------

  @Test
  void gradientsAccumulateOverTwoBackwardCalls() {
    for (Backend b : new Backend[] {ref, CpuBackend.get()}) {
      NDArray xv = TestArrays.uniform(random, -1, 1, 6, 4);
      Tensor x = b.upload(xv, scope);
      Tensor gamma = b.upload(TestArrays.uniform(random, 0.5, 1.5, 4), scope);
      Tensor beta = b.upload(TestArrays.uniform(random, -1, 1, 4), scope);
      Tensor y = b.allocate(Shape.of(6, 4), scope);
      Tensor xhat = b.allocate(Shape.of(6, 4), scope);
      Tensor mean = b.allocate(Shape.of(4), scope);
      Tensor var = b.allocate(Shape.of(4), scope);
      Tensor rstd = b.allocate(Shape.of(4), scope);
      b.batchNorm(x, gamma, beta, y, xhat, mean, var, rstd);
      Tensor dy = b.upload(TestArrays.uniform(random, -1, 1, 6, 4), scope);
      Tensor dx = b.allocate(Shape.of(6, 4), scope);
      Tensor dgamma = b.allocate(Shape.of(4), scope);
      Tensor dbeta = b.allocate(Shape.of(4), scope);
      for (Tensor t : new Tensor[] {dx, dgamma, dbeta}) {
        b.fill(t, 0f);
      }
      b.batchNormGrad(dy, xhat, rstd, gamma, dx, dgamma, dbeta);
      float[] once =
          concat(b.download(dx).data(), b.download(dgamma).data(), b.download(dbeta).data());
      b.batchNormGrad(dy, xhat, rstd, gamma, dx, dgamma, dbeta);
      float[] twice =
          concat(b.download(dx).data(), b.download(dgamma).data(), b.download(dbeta).data());
      float[] doubled = new float[once.length];
      for (int i = 0; i < once.length; i++) {
        doubled[i] = 2 * once[i];
      }
      TestArrays.assertAllClose(b.name() + " second backward adds", doubled, twice, 1e-6, 1e-6);
      // dbeta is the column sum of dy.
      float[] dyv = b.download(dy).data();
      float[] db = b.download(dbeta).data();
      for (int c = 0; c < 4; c++) {
        double sum = 0;
        for (int r = 0; r < 6; r++) {
          sum += dyv[r * 4 + c];
        }
        assertEquals(2 * sum, db[c], 1e-5, b.name() + " dbeta[" + c + "]");
      }
    }
  }

  // ---- validation ---------------------------------------------------------------------

  static Stream<String> backends() {
    return Stream.of("reference", "cpu");
  }

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  private Tensor t(Backend b, int... dims) {
    return b.allocate(Shape.of(dims), scope);
  }

  private static void assertRejected(Executable call, String... fragments) {
    // An IllegalArgumentException, not a NativeFailure: bad input must not reach native code.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String fragment : fragments) {
      assertTrue(
          e.getMessage() != null && e.getMessage().contains(fragment),
          () -> "message \"" + e.getMessage() + "\" should mention \"" + fragment + "\"");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void rejectsBadShapes(String name) {
    Backend b = backend(name);
    // Fine: rank 2 and rank 3.
    b.batchNorm(t(b, 4, 3), t(b, 3), t(b, 3), t(b, 4, 3), t(b, 4, 3), t(b, 3), t(b, 3), t(b, 3));
    b.batchNorm(
        t(b, 2, 2, 3), t(b, 3), t(b, 3), t(b, 2, 2, 3), t(b, 2, 2, 3), t(b, 3), t(b, 3), t(b, 3));

    assertRejected(
        () ->
            b.batchNorm(
                t(b, 4, 3), t(b, 4), t(b, 3), t(b, 4, 3), t(b, 4, 3), t(b, 3), t(b, 3), t(b, 3)),
        "batchNorm",
        "gamma",
        "[4]",
        "must be [3]");
    assertRejected(
        () ->
            b.batchNorm(
                t(b, 4, 3), t(b, 3), t(b, 1, 3), t(b, 4, 3), t(b, 4, 3), t(b, 3), t(b, 3), t(b, 3)),
        "batchNorm",
        "beta",
        "must be [3]");
    assertRejected(
        () ->
            b.batchNorm(
                t(b, 4, 3), t(b, 3), t(b, 3), t(b, 4, 3), t(b, 4, 3), t(b, 4), t(b, 3), t(b, 3)),
        "batchNorm",
        "mean",
        "must be [3]");
    assertRejected(
        () ->
            b.batchNorm(
                t(b, 4, 3), t(b, 3), t(b, 3), t(b, 4, 3), t(b, 4, 3), t(b, 3), t(b, 2), t(b, 3)),
        "batchNorm",
        "var",
        "must be [3]");
    assertRejected(
        () ->
            b.batchNorm(
                t(b, 4, 3), t(b, 3), t(b, 3), t(b, 4, 3), t(b, 4, 3), t(b, 3), t(b, 3), t(b, 4)),
        "batchNorm",
        "rstd",
        "must be [3]");
    assertRejected(
        () ->
            b.batchNorm(
                t(b, 4, 3), t(b, 3), t(b, 3), t(b, 3, 4), t(b, 4, 3), t(b, 3), t(b, 3), t(b, 3)),
        "batchNorm output",
        "[3, 4]");
    assertRejected(
        () ->
            b.batchNorm(
                t(b, 4, 3), t(b, 3), t(b, 3), t(b, 4, 3), t(b, 12), t(b, 3), t(b, 3), t(b, 3)),
        "batchNorm xhat",
        "[12]");
    // Zero rows: batch statistics of nothing.
    assertRejected(
        () ->
            b.batchNorm(
                t(b, 0, 3), t(b, 3), t(b, 3), t(b, 0, 3), t(b, 0, 3), t(b, 3), t(b, 3), t(b, 3)),
        "batchNorm",
        "no rows");
    // Rank 1 is refused: say [rows, channels] explicitly.
    assertRejected(
        () -> b.batchNorm(t(b, 6), t(b, 6), t(b, 6), t(b, 6), t(b, 6), t(b, 6), t(b, 6), t(b, 6)),
        "batchNorm",
        "rank >= 2",
        "[6]");
    assertRejected(
        () ->
            b.batchNorm(
                t(b, 4, 0), t(b, 0), t(b, 0), t(b, 4, 0), t(b, 4, 0), t(b, 0), t(b, 0), t(b, 0)),
        "batchNorm",
        "no channels");

    assertRejected(
        () ->
            b.batchNormGrad(t(b, 4, 3), t(b, 4, 3), t(b, 3), t(b, 5), t(b, 4, 3), t(b, 3), t(b, 3)),
        "batchNormGrad",
        "gamma",
        "must be [3]");
    assertRejected(
        () ->
            b.batchNormGrad(t(b, 4, 3), t(b, 4, 3), t(b, 3), t(b, 3), t(b, 4, 3), t(b, 2), t(b, 3)),
        "batchNormGrad",
        "dgamma",
        "must be [3]");
    assertRejected(
        () ->
            b.batchNormGrad(t(b, 4, 3), t(b, 2, 3), t(b, 3), t(b, 3), t(b, 4, 3), t(b, 3), t(b, 3)),
        "batchNormGrad xhat",
        "[2, 3]");
    assertRejected(
        () ->
            b.batchNormGrad(t(b, 4, 3), t(b, 4, 3), t(b, 3), t(b, 3), t(b, 4, 2), t(b, 3), t(b, 3)),
        "batchNormGrad dx",
        "[4, 2]");
    assertRejected(
        () ->
            b.batchNormGrad(t(b, 0, 3), t(b, 0, 3), t(b, 3), t(b, 3), t(b, 0, 3), t(b, 3), t(b, 3)),
        "batchNormGrad",
        "no rows");

    // Inference: rows may be zero (nothing to do) but the moving statistics must fit.
    b.batchNormInference(t(b, 0, 3), t(b, 3), t(b, 3), t(b, 3), t(b, 3), t(b, 0, 3));
    assertRejected(
        () -> b.batchNormInference(t(b, 4, 3), t(b, 3), t(b, 3), t(b, 4), t(b, 3), t(b, 4, 3)),
        "batchNormInference",
        "movingMean",
        "must be [3]");
    assertRejected(
        () -> b.batchNormInference(t(b, 4, 3), t(b, 3), t(b, 3), t(b, 3), t(b, 1), t(b, 4, 3)),
        "batchNormInference",
        "movingVar",
        "must be [3]");
    assertRejected(
        () -> b.batchNormInference(t(b, 3), t(b, 3), t(b, 3), t(b, 3), t(b, 3), t(b, 3)),
        "batchNormInference",
        "rank >= 2");
    assertRejected(
        () -> b.batchNormInference(t(b, 4, 3), t(b, 3), t(b, 3), t(b, 3), t(b, 3), t(b, 3, 4)),
        "batchNormInference output",
        "[3, 4]");
    assertRejected(
        () -> b.batchNormInference(t(b, 4, 3), null, t(b, 3), t(b, 3), t(b, 3), t(b, 4, 3)),
        "batchNormInference gamma",
        "null");
  }

  @Test
  void rejectsATensorFromAnotherBackend() {
    Backend cpu = CpuBackend.get();
    assertRejected(
        () ->
            cpu.batchNorm(
                t(cpu, 4, 3),
                t(ref, 3),
                t(cpu, 3),
                t(cpu, 4, 3),
                t(cpu, 4, 3),
                t(cpu, 3),
                t(cpu, 3),
                t(cpu, 3)),
        "batchNorm gamma",
        "reference");
  }

  // ---- helpers ------------------------------------------------------------------------

  private static void assertClose(String what, double[] expected, float[] actual) {
    float[] e = new float[expected.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = (float) expected[i];
    }
    assertEquals(expected.length, actual.length, what + ": length");
    TestArrays.assertAllClose(what, e, actual, ATOL, RTOL);
  }

  private static float[] concat(float[]... parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
