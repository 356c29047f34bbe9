package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.Float64OpTest;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference of the fused recurrent op ({@link ReferenceBackend}, the oracle) on its own:
 *
 * <ul>
 *   <li>tiny cases (B = 1, T = 2, F = 1, H = 1; H = 2 for layer norm) whose expected outputs and
 *       caches are written out by hand below with Math.tanh etc., independent of the code under
 *       test;
 *   <li>every gradient (dx, dh0, dkernel, drecurrent, dbias, dextra) of every kind against central
 *       finite differences on {@link ReferenceBackend#float64()}: loss L = sum(out ⊙ R) for a fixed
 *       random R (so dout = R), {@code eps = 1e-6}, and agreement within {@code |analytic -
 *       numeric| <= 1e-6 · max(|analytic|, |numeric|) + 1e-9};
 *   <li>that gradients accumulate into pre-filled buffers and that dx / dh0 may be null;
 *   <li>the argument validation shared by all backends (run on reference and cpu; it happens in
 *       {@link AbstractBackend} before any kernel runs).
 * </ul>
 */
class RecurrentReferenceTest extends Float64OpTest {
  static final double EPS = 1e-6;
  static final double RTOL = 1e-6;
  static final double ATOL = 1e-9;

  /** Hand-computed cases are in float64, so they must agree to rounding. */
  static final double EXACT = 1e-12;

  static final double LN_EPSILON = 1e-3;

  RecurrentReferenceTest() {
    super(0x5EC0D1L);
  }

  // ---- float64 tensors -------------------------------------------------------------------

  private Tensor tensor(double[] values, int... dims) {
    return t64.of(values, dims);
  }

  private Tensor randomTensor(double lo, double hi, int... dims) {
    return t64.random(lo, hi, dims);
  }

  private double[] values(Tensor t) {
    return t64.values(t);
  }

  private static double sigmoid(double v) {
    return 1.0 / (1.0 + Math.exp(-v));
  }

  /** Runs the forward; returns {out, cache} values. */
  private double[][] forward(
      RecurrentKind kind, Activation act, Tensor x, Tensor h0, RecurrentParams w) {
    int batch = x.dim(0);
    int steps = x.dim(1);
    int units = h0.dim(1);
    Tensor out = f64.allocate(Shape.of(batch, steps, units), scope);
    f64.fill(out, 123f); // forward must overwrite
    Tensor cache = f64.allocate(Shape.of(Math.max(1, batch * steps * kind.cacheRow(units))), scope);
    f64.recurrentForward(kind, act, x, h0, w, out, cache);
    return new double[][] {values(out), values(cache)};
  }

  // ---- hand-computed tiny cases (B = 1, T = 2, F = 1) --------------------------------------

  private static final double X0 = 0.5;
  private static final double X1 = -1.0;
  private static final double H0 = 0.3;

  @Test
  void simpleTanhByHand() {
    double w = 0.8;
    double u = -0.6;
    double b = 0.1;
    double h1 = Math.tanh(X0 * w + b + H0 * u);
    double h2 = Math.tanh(X1 * w + b + h1 * u);
    RecurrentParams p =
        new RecurrentParams(
            tensor(new double[] {w}, 1, 1),
            tensor(new double[] {u}, 1, 1),
            tensor(new double[] {b}, 1));
    double[][] got =
        forward(
            RecurrentKind.SIMPLE,
            Activation.TANH,
            tensor(new double[] {X0, X1}, 1, 2, 1),
            tensor(new double[] {H0}, 1, 1),
            p);
    TestArrays.assertAllClose("SIMPLE tanh out", new double[] {h1, h2}, got[0], EXACT, EXACT);
  }

  @Test
  void simpleReluByHandFeedsTheStateThrough() {
    double w = 0.8;
    double u = -0.6;
    double b = 0.1;
    double h1 = Math.max(0, X0 * w + b + H0 * u); // 0.32
    double h2 = Math.max(0, X1 * w + b + h1 * u); // negative: 0
    assertEquals(0.32, h1, 1e-15);
    RecurrentParams p =
        new RecurrentParams(
            tensor(new double[] {w}, 1, 1),
            tensor(new double[] {u}, 1, 1),
            tensor(new double[] {b}, 1));
    double[][] got =
        forward(
            RecurrentKind.SIMPLE,
            Activation.RELU,
            tensor(new double[] {X0, X1}, 1, 2, 1),
            tensor(new double[] {H0}, 1, 1),
            p);
    TestArrays.assertAllClose("SIMPLE relu out", new double[] {h1, h2}, got[0], EXACT, EXACT);
  }

  @Test
  void lstmByHandIncludingTheForgetGate() {
    // Gate order i, f, g, o; each gate one column because H = 1.
    double[] w = {0.4, 0.9, -0.7, 0.2};
    double[] u = {-0.3, 0.5, 0.8, -0.6};
    double[] b = {0.1, 1.0, -0.2, 0.05};
    // t = 0, c_{-1} = 0
    double i1 = sigmoid(X0 * w[0] + b[0] + H0 * u[0]);
    double f1 = sigmoid(X0 * w[1] + b[1] + H0 * u[1]);
    double g1 = Math.tanh(X0 * w[2] + b[2] + H0 * u[2]);
    double o1 = sigmoid(X0 * w[3] + b[3] + H0 * u[3]);
    double c1 = i1 * g1;
    double h1 = o1 * Math.tanh(c1);
    // t = 1: the forget gate carries c1 over
    double i2 = sigmoid(X1 * w[0] + b[0] + h1 * u[0]);
    double f2 = sigmoid(X1 * w[1] + b[1] + h1 * u[1]);
    double g2 = Math.tanh(X1 * w[2] + b[2] + h1 * u[2]);
    double o2 = sigmoid(X1 * w[3] + b[3] + h1 * u[3]);
    double c2 = f2 * c1 + i2 * g2;
    double h2 = o2 * Math.tanh(c2);
    assertTrue(Math.abs(f2 * c1) > 0.05, "the case should exercise the forget path");

    RecurrentParams p = new RecurrentParams(tensor(w, 1, 4), tensor(u, 1, 4), tensor(b, 4));
    double[][] got =
        forward(
            RecurrentKind.LSTM,
            Activation.TANH,
            tensor(new double[] {X0, X1}, 1, 2, 1),
            tensor(new double[] {H0}, 1, 1),
            p);
    TestArrays.assertAllClose("LSTM out", new double[] {h1, h2}, got[0], EXACT, EXACT);
    TestArrays.assertAllClose(
        "LSTM cache [i, f, g, o, c] per step",
        new double[] {i1, f1, g1, o1, c1, i2, f2, g2, o2, c2},
        got[1],
        EXACT,
        EXACT);
  }

  @Test
  void gruByHandWithResetAfter() {
    // Gate order z, r, h; rb is the recurrent bias.
    double[] w = {0.4, -0.5, 0.9};
    double[] u = {0.7, -0.8, 0.6};
    double[] b = {0.1, 0.2, -0.1};
    double[] rb = {0.05, -0.15, 0.3};
    double[] hs = new double[3];
    double[] cache = new double[8];
    double resetBeforeGap = 0;
    hs[0] = H0;
    double[] xs = {X0, X1};
    for (int t = 0; t < 2; t++) {
      double x = xs[t];
      double h = hs[t];
      double z = sigmoid(x * w[0] + b[0] + h * u[0] + rb[0]);
      double r = sigmoid(x * w[1] + b[1] + h * u[1] + rb[1]);
      double hh = h * u[2] + rb[2];
      double n = Math.tanh(x * w[2] + b[2] + r * hh); // reset_after: r multiplies (h·U_h + rb_h)
      double nBefore = Math.tanh(x * w[2] + b[2] + (r * h) * u[2] + rb[2]); // the other convention
      resetBeforeGap = Math.max(resetBeforeGap, Math.abs(n - nBefore));
      hs[t + 1] = z * h + (1 - z) * n;
      cache[4 * t] = z;
      cache[4 * t + 1] = r;
      cache[4 * t + 2] = n;
      cache[4 * t + 3] = hh;
    }
    assertTrue(resetBeforeGap > 1e-2, "the case should tell reset_after from reset_before");

    RecurrentParams p =
        RecurrentParams.of(
            RecurrentKind.GRU, tensor(w, 1, 3), tensor(u, 1, 3), tensor(b, 3), tensor(rb, 3));
    double[][] got =
        forward(
            RecurrentKind.GRU,
            Activation.TANH,
            tensor(xs, 1, 2, 1),
            tensor(new double[] {H0}, 1, 1),
            p);
    TestArrays.assertAllClose("GRU out", new double[] {hs[1], hs[2]}, got[0], EXACT, EXACT);
    TestArrays.assertAllClose("GRU cache [z, r, n, hh] per step", cache, got[1], EXACT, EXACT);
  }

  @Test
  void layerNormSimpleByHandWithTwoUnits() {
    double[] w = {0.6, -0.4}; // [F = 1, H = 2]
    double[] u = {0.5, -0.3, 0.2, 0.7}; // [H, H] row-major
    double[] b = {0.1, -0.2};
    double[] gamma = {1.2, 0.8};
    double[] beta = {0.1, -0.05};
    double[] xs = {X0, X1};
    double[] h = {0.3, -0.6};
    double[] out = new double[4];
    double[] cache = new double[6];
    for (int t = 0; t < 2; t++) {
      double a0 = xs[t] * w[0] + b[0] + h[0] * u[0] + h[1] * u[2];
      double a1 = xs[t] * w[1] + b[1] + h[0] * u[1] + h[1] * u[3];
      double mu = (a0 + a1) / 2;
      double var = ((a0 - mu) * (a0 - mu) + (a1 - mu) * (a1 - mu)) / 2;
      double rstd = 1 / Math.sqrt(var + LN_EPSILON);
      double xhat0 = (a0 - mu) * rstd;
      double xhat1 = (a1 - mu) * rstd;
      h =
          new double[] {
            Math.tanh(gamma[0] * xhat0 + beta[0]), Math.tanh(gamma[1] * xhat1 + beta[1])
          };
      out[2 * t] = h[0];
      out[2 * t + 1] = h[1];
      cache[3 * t] = xhat0;
      cache[3 * t + 1] = xhat1;
      cache[3 * t + 2] = rstd;
    }
    RecurrentParams p =
        RecurrentParams.of(
            RecurrentKind.LAYER_NORM_SIMPLE,
            tensor(w, 1, 2),
            tensor(u, 2, 2),
            tensor(b, 2),
            tensor(new double[] {gamma[0], gamma[1], beta[0], beta[1]}, 4));
    double[][] got =
        forward(
            RecurrentKind.LAYER_NORM_SIMPLE,
            Activation.TANH,
            tensor(xs, 1, 2, 1),
            tensor(new double[] {0.3, -0.6}, 1, 2),
            p);
    TestArrays.assertAllClose("LN_SIMPLE out", out, got[0], EXACT, EXACT);
    TestArrays.assertAllClose(
        "LN_SIMPLE cache [xhat0, xhat1, rstd] per step", cache, got[1], EXACT, EXACT);
  }

  @Test
  void layerNormOfASingleUnitIsBeta() {
    // H = 1: a - mean(a) = 0, so xhat = 0 and h = act(beta) whatever the input.
    double beta = -0.4;
    RecurrentParams p =
        RecurrentParams.of(
            RecurrentKind.LAYER_NORM_SIMPLE,
            tensor(new double[] {0.8}, 1, 1),
            tensor(new double[] {-0.6}, 1, 1),
            tensor(new double[] {0.1}, 1),
            tensor(new double[] {1.5, beta}, 2));
    double[][] got =
        forward(
            RecurrentKind.LAYER_NORM_SIMPLE,
            Activation.TANH,
            tensor(new double[] {X0, X1}, 1, 2, 1),
            tensor(new double[] {H0}, 1, 1),
            p);
    double h = Math.tanh(beta);
    double rstd = 1 / Math.sqrt(LN_EPSILON);
    TestArrays.assertAllClose("LN_SIMPLE H=1 out", new double[] {h, h}, got[0], EXACT, EXACT);
    TestArrays.assertAllClose(
        "LN_SIMPLE H=1 cache", new double[] {0, rstd, 0, rstd}, got[1], EXACT, EXACT);
  }

  // ---- finite-difference gradient checks --------------------------------------------------

  /** One recurrent problem on float64 tensors plus the fixed loss weights R (= dout). */
  private record Problem(
      RecurrentKind kind, Activation act, Tensor x, Tensor h0, RecurrentParams w, Tensor r) {
    /** The differentiable inputs by name, in a fixed order. */
    Map<String, Tensor> inputs() {
      Map<String, Tensor> m = new LinkedHashMap<>();
      m.put("x", x);
      m.put("h0", h0);
      m.put("kernel", w.kernel());
      m.put("recurrent", w.recurrent());
      m.put("bias", w.bias());
      if (w.cellWeights() != null) {
        m.put("cellWeights", w.cellWeights());
      }
      return m;
    }
  }

  private Problem problem(
      RecurrentKind kind, Activation act, int batch, int steps, int features, int units) {
    int g = kind.gates() * units;
    Tensor cellWeights = null;
    if (kind == RecurrentKind.GRU) {
      cellWeights = randomTensor(-0.5, 0.5, 3 * units);
    } else if (kind == RecurrentKind.LAYER_NORM_SIMPLE) {
      cellWeights = f64.allocate(Shape.of(2 * units), scope);
      for (int j = 0; j < units; j++) {
        f64.set(cellWeights, j, 0.5 + random.nextDouble()); // gamma in [0.5, 1.5)
        f64.set(cellWeights, units + j, -0.5 + random.nextDouble()); // beta in [-0.5, 0.5)
      }
    }
    RecurrentParams w =
        RecurrentParams.of(
            kind,
            randomTensor(-1, 1, features, g),
            randomTensor(-1, 1, units, g),
            randomTensor(-0.5, 0.5, g),
            cellWeights);
    return new Problem(
        kind,
        act,
        randomTensor(-1, 1, batch, steps, features),
        randomTensor(-1, 1, batch, units),
        w,
        randomTensor(-1, 1, batch, steps, units));
  }

  private double loss(Problem p) {
    double[] out = forward(p.kind, p.act, p.x, p.h0, p.w)[0];
    double[] r = values(p.r);
    double sum = 0;
    for (int i = 0; i < out.length; i++) {
      sum += out[i] * r[i];
    }
    return sum;
  }

  private RecurrentParams zeroGrads(RecurrentParams w) {
    return w.map(t -> f64.allocate(t.shape(), scope));
  }

  /** Forward then backward with dout = R into the given gradient buffers (dx, dh0 may be null). */
  private void backward(Problem p, Tensor dx, Tensor dh0, RecurrentParams grads) {
    Tensor out = f64.allocate(p.r.shape(), scope);
    Tensor cache =
        f64.allocate(
            Shape.of(Math.max(1, p.x.dim(0) * p.x.dim(1) * p.kind.cacheRow(p.h0.dim(1)))), scope);
    f64.recurrentForward(p.kind, p.act, p.x, p.h0, p.w, out, cache);
    f64.recurrentBackward(p.kind, p.act, p.x, p.h0, p.w, out, cache, p.r, dx, dh0, grads);
  }

  /** Gradient tensors by the name of their input, matching {@link Problem#inputs}. */
  private static Map<String, Tensor> gradsByName(Tensor dx, Tensor dh0, RecurrentParams g) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("x", dx);
    m.put("h0", dh0);
    m.put("kernel", g.kernel());
    m.put("recurrent", g.recurrent());
    m.put("bias", g.bias());
    if (g.cellWeights() != null) {
      m.put("cellWeights", g.cellWeights());
    }
    return m;
  }

  static Stream<Arguments> gradientCases() {
    Object[][] cells = {
      {RecurrentKind.SIMPLE, Activation.TANH},
      {RecurrentKind.SIMPLE, Activation.RELU},
      {RecurrentKind.SIMPLE, Activation.LINEAR},
      {RecurrentKind.SIMPLE, Activation.SIGMOID},
      {RecurrentKind.LSTM, Activation.TANH},
      {RecurrentKind.GRU, Activation.TANH},
      {RecurrentKind.LAYER_NORM_SIMPLE, Activation.TANH},
    };
    int[][] shapes = {{2, 3, 3, 4}, {1, 1, 1, 1}}; // B, T, F, H
    List<Arguments> out = new ArrayList<>();
    for (Object[] cell : cells) {
      for (int[] s : shapes) {
        out.add(Arguments.of(cell[0], cell[1], s[0], s[1], s[2], s[3]));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} B={2} T={3} F={4} H={5}")
  @MethodSource("gradientCases")
  void everyGradientMatchesFiniteDifferences(
      RecurrentKind kind, Activation act, int batch, int steps, int features, int units) {
    Problem p = problem(kind, act, batch, steps, features, units);
    Tensor dx = f64.allocate(p.x.shape(), scope);
    Tensor dh0 = f64.allocate(p.h0.shape(), scope);
    RecurrentParams grads = zeroGrads(p.w);
    backward(p, dx, dh0, grads);
    Map<String, Tensor> analytic = gradsByName(dx, dh0, grads);

    String what =
        kind + " " + act + " [B=" + batch + ", T=" + steps + ", F=" + features + ", H=" + units
            + "]";
    boolean anyNonZero = false;
    for (Map.Entry<String, Tensor> input : p.inputs().entrySet()) {
      Tensor v = input.getValue();
      Tensor g = analytic.get(input.getKey());
      for (long i = 0; i < v.size(); i++) {
        double saved = f64.get(v, i);
        f64.set(v, i, saved + EPS);
        double up = loss(p);
        f64.set(v, i, saved - EPS);
        double down = loss(p);
        f64.set(v, i, saved);
        double numeric = (up - down) / (2 * EPS);
        double a = f64.get(g, i);
        anyNonZero |= a != 0;
        if (!(Math.abs(a - numeric) <= RTOL * Math.max(Math.abs(a), Math.abs(numeric)) + ATOL)) {
          fail(
              what
                  + ": d loss / d "
                  + input.getKey()
                  + v.shape()
                  + " at flat index "
                  + i
                  + " is "
                  + a
                  + " by backward but "
                  + numeric
                  + " by finite differences");
        }
      }
    }
    assertTrue(anyNonZero, what + ": every gradient is zero, the check would be vacuous");
  }

  @ParameterizedTest
  @ValueSource(strings = {"SIMPLE", "LSTM", "GRU", "LAYER_NORM_SIMPLE"})
  void gradientsAccumulateAndDxDh0MayBeNull(String kindName) {
    RecurrentKind kind = RecurrentKind.valueOf(kindName);
    Problem p = problem(kind, Activation.TANH, 2, 3, 3, 4);
    Tensor dx = f64.allocate(p.x.shape(), scope);
    Tensor dh0 = f64.allocate(p.h0.shape(), scope);
    RecurrentParams clean = zeroGrads(p.w);
    backward(p, dx, dh0, clean);
    Map<String, Tensor> fresh = gradsByName(dx, dh0, clean);

    // Pre-filled buffers: backward must add to them.
    Tensor dx2 = randomTensor(-1, 1, p.x.shape().dims());
    Tensor dh02 = randomTensor(-1, 1, p.h0.shape().dims());
    RecurrentParams prefilled = zeroGrads(p.w);
    for (Tensor t : gradsByName(dx2, dh02, prefilled).values()) {
      for (long i = 0; i < t.size(); i++) {
        f64.set(t, i, -1 + 2 * random.nextDouble());
      }
    }
    Map<String, double[]> before = new LinkedHashMap<>();
    gradsByName(dx2, dh02, prefilled).forEach((k, t) -> before.put(k, values(t)));
    backward(p, dx2, dh02, prefilled);
    for (Map.Entry<String, Tensor> e : gradsByName(dx2, dh02, prefilled).entrySet()) {
      double[] got = values(e.getValue());
      double[] old = before.get(e.getKey());
      double[] expected = values(fresh.get(e.getKey()));
      for (int i = 0; i < expected.length; i++) {
        expected[i] += old[i];
      }
      TestArrays.assertAllClose(
          kind + " d" + e.getKey() + " accumulates", expected, got, 1e-14, 1e-14);
    }

    // dx and dh0 null: the weight gradients are unchanged.
    RecurrentParams withoutInputs = zeroGrads(p.w);
    backward(p, null, null, withoutInputs);
    Map<String, Tensor> a = gradsByName(null, null, clean);
    Map<String, Tensor> b = gradsByName(null, null, withoutInputs);
    for (String name : List.of("kernel", "recurrent", "bias", "cellWeights")) {
      if (a.get(name) != null) {
        assertArrayEquals(
            values(a.get(name)), values(b.get(name)), kind + " d" + name + " without dx, dh0");
      }
    }
  }

  @Test
  void float32ModeStaysCloseToFloat64() {
    // The float32 reference rounds every stored value; on a short sequence it should stay within
    // float rounding of the float64 one (this guards the rounding path, not the math).
    ReferenceBackend f32 = ReferenceBackend.float32();
    for (RecurrentKind kind : RecurrentKind.values()) {
      Problem p = problem(kind, Activation.TANH, 2, 5, 3, 4);
      double[] out64 = forward(kind, Activation.TANH, p.x, p.h0, p.w)[0];
      Tensor x = f32.upload(f64.download(p.x), scope);
      Tensor h0 = f32.upload(f64.download(p.h0), scope);
      RecurrentParams w =
          RecurrentParams.of(
              kind,
              f32.upload(f64.download(p.w.kernel()), scope),
              f32.upload(f64.download(p.w.recurrent()), scope),
              f32.upload(f64.download(p.w.bias()), scope),
              p.w.cellWeights() == null
                  ? null
                  : f32.upload(f64.download(p.w.cellWeights()), scope));
      Tensor out = f32.allocate(p.r.shape(), scope);
      Tensor cache = f32.allocate(Shape.of(Math.max(1, 2 * 5 * kind.cacheRow(4))), scope);
      f32.recurrentForward(kind, Activation.TANH, x, h0, w, out, cache);
      float[] got = f32.download(out).data();
      double[] got64 = new double[got.length];
      for (int i = 0; i < got.length; i++) {
        got64[i] = got[i];
        assertEquals((double) got[i], f32.get(out, i), 0.0, "float32 mode stores float values");
      }
      TestArrays.assertAllClose(kind + " float32 vs float64", out64, got64, 1e-5, 1e-5);
    }
  }

  // ---- validation (shared by all backends) ---------------------------------------------

  static Stream<String> backends() {
    return Stream.of("reference", CpuBackend.NAME);
  }

  private static Backend backend(String name) {
    return name.equals(CpuBackend.NAME) ? CpuBackend.get() : ReferenceBackend.float32();
  }

  /**
   * A valid problem [B=2, T=3, F=1, H=4] of {@code kind} on {@code b}; each test breaks one piece.
   */
  private final class Valid {
    final Backend b;
    final RecurrentKind kind;
    Tensor x;
    Tensor h0;
    RecurrentParams w;
    Tensor out;
    Tensor cache;

    Valid(Backend b, RecurrentKind kind) {
      this.b = b;
      this.kind = kind;
      int g = kind.gates() * 4;
      x = b.allocate(Shape.of(2, 3, 1), scope);
      h0 = b.allocate(Shape.of(2, 4), scope);
      Tensor cellWeights =
          kind.cellWeightsSize(4) == 0
              ? null
              : b.allocate(Shape.of(kind.cellWeightsSize(4)), scope);
      w =
          RecurrentParams.of(
              kind,
              b.allocate(Shape.of(1, g), scope),
              b.allocate(Shape.of(4, g), scope),
              b.allocate(Shape.of(g), scope),
              cellWeights);
      out = b.allocate(Shape.of(2, 3, 4), scope);
      cache = b.allocate(Shape.of(Math.max(1, 2 * 3 * kind.cacheRow(4))), scope);
    }

    String forwardFails() {
      return assertThrows(
              IllegalArgumentException.class,
              () -> b.recurrentForward(kind, Activation.TANH, x, h0, w, out, cache))
          .getMessage();
    }
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "message should mention '" + part + "': " + message);
    }
  }

  @Test
  void theBaselineOfTheValidationCasesIsValid() {
    // Each refusal below breaks exactly one piece of this problem, so it fails for that reason.
    for (RecurrentKind kind : RecurrentKind.values()) {
      Valid v = new Valid(ReferenceBackend.float32(), kind);
      v.b.recurrentForward(kind, Activation.TANH, v.x, v.h0, v.w, v.out, v.cache);
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aTwoDimensionalInputIsRefused(String name) {
    Valid v = new Valid(backend(name), RecurrentKind.SIMPLE);
    v.x = v.b.allocate(Shape.of(2, 3), scope);
    assertMentions(v.forwardFails(), "input", "rank 3", "[2, 3]");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anInitialStateWithTheWrongBatchIsRefused(String name) {
    Valid v = new Valid(backend(name), RecurrentKind.SIMPLE);
    v.h0 = v.b.allocate(Shape.of(5, 4), scope);
    assertMentions(v.forwardFails(), "initial state", "[5, 4]", "batch 2");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aKernelOfTheWrongShapeIsRefused(String name) {
    Valid v = new Valid(backend(name), RecurrentKind.SIMPLE);
    v.w = new RecurrentParams(v.b.allocate(Shape.of(1, 5), scope), v.w.recurrent(), v.w.bias());
    assertMentions(v.forwardFails(), "kernel", "[1, 4]", "[1, 5]");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void zeroTimeStepsAreRefused(String name) {
    Valid v = new Valid(backend(name), RecurrentKind.SIMPLE);
    v.x = v.b.allocate(Shape.of(2, 0, 1), scope);
    v.out = v.b.allocate(Shape.of(2, 0, 4), scope);
    assertMentions(v.forwardFails(), "at least one step");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aGruWithoutItsRecurrentBiasIsRefused(String name) {
    Valid v = new Valid(backend(name), RecurrentKind.GRU);
    v.w = new RecurrentParams(v.w.kernel(), v.w.recurrent(), v.w.bias());
    assertMentions(v.forwardFails(), "recurrent_bias", "null");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void backwardRefusesAMissingExtraGradientAndAShortCache(String name) {
    Valid v = new Valid(backend(name), RecurrentKind.GRU);
    Tensor dout = v.b.allocate(v.out.shape(), scope);
    RecurrentParams noRecurrentBias =
        new RecurrentParams(
            v.b.allocate(v.w.kernel().shape(), scope),
            v.b.allocate(v.w.recurrent().shape(), scope),
            v.b.allocate(v.w.bias().shape(), scope));
    String m =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    v.b.recurrentBackward(
                        v.kind,
                        Activation.TANH,
                        v.x,
                        v.h0,
                        v.w,
                        v.out,
                        v.cache,
                        dout,
                        null,
                        null,
                        noRecurrentBias))
            .getMessage();
    assertMentions(m, "drecurrent_bias", "null");
    Tensor shortCache = v.b.allocate(Shape.of(2 * 3 * v.kind.cacheRow(4) - 1), scope);
    String m2 =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    v.b.recurrentForward(
                        v.kind, Activation.TANH, v.x, v.h0, v.w, v.out, shortCache))
            .getMessage();
    assertMentions(m2, "cache", "needs " + 2 * 3 * v.kind.cacheRow(4));
  }
}
