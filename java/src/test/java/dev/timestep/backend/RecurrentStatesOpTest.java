package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.conformance.Tolerance;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.FiniteDifferences;
import dev.timestep.testing.Float64Tensors;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Initial and final states of the fused recurrent op: the gradients into h0 and the LSTM's c0, and
 * from the final h and c, by finite differences in double (reference backend, float64) through
 * {@link Ops#recurrentWithStates}; the native backends' new kernel arguments (c0, dcLast, dc0)
 * against the float32 reference on random odd sizes (cuda skipped without a device); and the
 * checks' refusals.
 */
class RecurrentStatesOpTest {
  private final ReferenceBackend f64 = ReferenceBackend.float64();
  private final SplittableRandom random = new SplittableRandom(0x57A7E5L);
  private Scope scope;
  private Float64Tensors t;

  @BeforeEach
  void open() {
    scope = new Scope();
    t = new Float64Tensors(scope, random);
  }

  @AfterEach
  void close() {
    scope.close();
  }

  /** One problem's parameters (every one a finite-difference input). */
  private record Problem(
      RecurrentKind kind,
      int units,
      Parameter x,
      Parameter kernel,
      Parameter recurrent,
      Parameter bias,
      Parameter cellWeights,
      List<Parameter> states,
      Tensor rSeq,
      Tensor rH,
      Tensor rC) {
    Parameter[] all() {
      List<Parameter> p = new ArrayList<>(List.of(x, kernel, recurrent, bias));
      if (cellWeights != null) {
        p.add(cellWeights);
      }
      p.addAll(states);
      return p.toArray(new Parameter[0]);
    }
  }

  private Problem problem(RecurrentKind kind, int batch, int steps, int features, int units) {
    int g = kind.gates() * units;
    Parameter cellWeights =
        kind.cellWeightsSize(units) == 0
            ? null
            : t.param("cellWeights", 0.3, 1.2, kind.cellWeightsSize(units));
    List<Parameter> states = new ArrayList<>();
    states.add(t.param("h0", -0.8, 0.8, batch, units));
    if (kind == RecurrentKind.LSTM) {
      states.add(t.param("c0", -0.8, 0.8, batch, units));
    }
    return new Problem(
        kind,
        units,
        t.param("x", -1, 1, batch, steps, features),
        t.param("kernel", -0.6, 0.6, features, g),
        t.param("recurrent", -0.6, 0.6, units, g),
        t.param("bias", -0.3, 0.3, g),
        cellWeights,
        states,
        t.random(-1, 1, batch, steps, units),
        t.random(-1, 1, batch, units),
        t.random(-1, 1, batch, units));
  }

  private static List<Variable> run(Tape tape, Problem p) {
    return Ops.recurrentWithStates(
        tape,
        p.kind,
        Activation.TANH,
        p.x,
        p.units,
        p.kernel,
        p.recurrent,
        p.bias,
        p.cellWeights,
        new ArrayList<>(p.states));
  }

  /** sum(a * w) for a fixed weight tensor w: a loss whose gradient with respect to a is w. */
  private static Variable weighted(Tape tape, Variable a, Tensor w) {
    return Ops.sum(tape, Ops.mul(tape, a, tape.constant(w)));
  }

  @ParameterizedTest
  @EnumSource(RecurrentKind.class)
  void gradientsFromEveryOutputIntoTheInitialStatesMatchFiniteDifferences(RecurrentKind kind) {
    Problem p = problem(kind, 2, 3, 2, 3);
    Function<Tape, Variable> loss =
        tape -> {
          List<Variable> out = run(tape, p);
          Variable l =
              Ops.add(tape, weighted(tape, out.get(0), p.rSeq), weighted(tape, out.get(1), p.rH));
          return out.size() == 3 ? Ops.add(tape, l, weighted(tape, out.get(2), p.rC)) : l;
        };
    FiniteDifferences.check(kind + " sequence + final states", loss, p.all());
    for (Parameter s : p.states) {
      assertTrue(max(t.values(s.grad())) > 1e-3, kind + ": the gradient of " + s.name() + " is ~0");
    }
  }

  @ParameterizedTest
  @EnumSource(RecurrentKind.class)
  void aLossOnTheFinalStatesAloneBackpropagates(RecurrentKind kind) {
    // The sequence output is unused: its gradient never exists, and the op's backward must still
    // run from the final states (for the LSTM from c alone).
    Problem p = problem(kind, 3, 4, 1, 2);
    Function<Tape, Variable> loss =
        tape -> {
          List<Variable> out = run(tape, p);
          return weighted(tape, out.get(out.size() - 1), p.rH);
        };
    FiniteDifferences.check(kind + " last final state only", loss, p.all());
    assertTrue(max(t.values(p.kernel.grad())) > 1e-3, kind + ": no gradient reached the kernel");
  }

  @Test
  void theFinalStatesAreTheLastStepAndTheCellOfTheLastStep() {
    // B=1, T=2, F=1, H=1 LSTM against the formulas: z = x w + h u + b per gate (i, f, g, o).
    Problem p = problem(RecurrentKind.LSTM, 1, 2, 1, 1);
    double[] x = t.values(p.x.value());
    double[] w = t.values(p.kernel.value());
    double[] u = t.values(p.recurrent.value());
    double[] b = t.values(p.bias.value());
    double h = t.values(p.states.get(0).value())[0];
    double c = t.values(p.states.get(1).value())[0];
    for (double xt : x) {
      double[] z = new double[4];
      for (int k = 0; k < 4; k++) {
        z[k] = xt * w[k] + h * u[k] + b[k];
      }
      double i = sigmoid(z[0]);
      double f = sigmoid(z[1]);
      double g = Math.tanh(z[2]);
      double o = sigmoid(z[3]);
      c = f * c + i * g;
      h = o * Math.tanh(c);
    }
    try (Tape tape = new Tape(f64, false)) {
      List<Variable> out = run(tape, p);
      assertEquals(3, out.size());
      assertEquals(Shape.of(1, 1), out.get(1).shape());
      assertEquals(h, f64.get(out.get(0).value(), 1), 1e-12, "the last step of the sequence");
      assertEquals(h, f64.get(out.get(1).value(), 0), 1e-12, "the final h");
      assertEquals(c, f64.get(out.get(2).value(), 0), 1e-12, "the final c");
    }
  }

  @Test
  void noStatesGivenMeansZeros() {
    Problem p = problem(RecurrentKind.LSTM, 2, 3, 2, 3);
    try (Tape tape = new Tape(f64, false)) {
      List<Variable> zeros =
          List.of(
              tape.constant(f64.allocate(Shape.of(2, 3), tape.scope())),
              tape.constant(f64.allocate(Shape.of(2, 3), tape.scope())));
      List<Variable> given =
          Ops.recurrentWithStates(
              tape, p.kind, Activation.TANH, p.x, 3, p.kernel, p.recurrent, p.bias, null, zeros);
      List<Variable> none =
          Ops.recurrentWithStates(
              tape, p.kind, Activation.TANH, p.x, 3, p.kernel, p.recurrent, p.bias, null, null);
      for (int i = 0; i < 3; i++) {
        TestArrays.assertAllClose(
            "output " + i,
            f64.download(given.get(i).value()).data(),
            f64.download(none.get(i).value()).data(),
            0,
            0);
      }
    }
  }

  @Test
  void wrongStatesAreRefusedNamingThem() {
    Problem p = problem(RecurrentKind.LSTM, 2, 3, 2, 3);
    try (Tape tape = new Tape(f64)) {
      IllegalArgumentException count =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  Ops.recurrentWithStates(
                      tape,
                      p.kind,
                      Activation.TANH,
                      p.x,
                      3,
                      p.kernel,
                      p.recurrent,
                      p.bias,
                      null,
                      List.of(p.states.get(0))));
      assertTrue(
          count.getMessage().contains("2 initial states [h, c] but got 1"), count::getMessage);
      Variable wrong = tape.constant(f64.allocate(Shape.of(3, 3), tape.scope()));
      IllegalArgumentException shape =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  Ops.recurrentWithStates(
                      tape,
                      p.kind,
                      Activation.TANH,
                      p.x,
                      3,
                      p.kernel,
                      p.recurrent,
                      p.bias,
                      null,
                      List.of(p.states.get(0), wrong)));
      assertTrue(shape.getMessage().contains("initial state c must be"), shape::getMessage);
    }
  }

  @Test
  void theBackendRefusesCellStatesForOtherKindsAndAliasedOutputs() {
    Backend b = ReferenceBackend.float32();
    Tensor x = b.allocate(Shape.of(2, 3, 1), scope);
    Tensor h0 = b.allocate(Shape.of(2, 4), scope);
    Tensor c0 = b.allocate(Shape.of(2, 4), scope);
    RecurrentParams gru =
        new RecurrentParams(
            b.allocate(Shape.of(1, 12), scope),
            b.allocate(Shape.of(4, 12), scope),
            b.allocate(Shape.of(12), scope),
            b.allocate(Shape.of(12), scope),
            null);
    Tensor out = b.allocate(Shape.of(2, 3, 4), scope);
    Tensor cache = b.allocate(Shape.of(2 * 3 * 16), scope);
    IllegalArgumentException forGru =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                b.recurrentForward(RecurrentKind.GRU, Activation.TANH, x, h0, c0, gru, out, cache));
    assertTrue(forGru.getMessage().contains("GRU has no cell state"), forGru::getMessage);

    RecurrentParams lstm =
        new RecurrentParams(
            b.allocate(Shape.of(1, 16), scope),
            b.allocate(Shape.of(4, 16), scope),
            b.allocate(Shape.of(16), scope));
    Tensor lstmCache = b.allocate(Shape.of(2 * 3 * 20), scope);
    Tensor wrongC0 = b.allocate(Shape.of(2, 5), scope);
    IllegalArgumentException shape =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                b.recurrentForward(
                    RecurrentKind.LSTM, Activation.TANH, x, h0, wrongC0, lstm, out, lstmCache));
    assertTrue(shape.getMessage().contains("initial cell state c0"), shape::getMessage);
    b.recurrentForward(RecurrentKind.LSTM, Activation.TANH, x, h0, c0, lstm, out, lstmCache);
    RecurrentParams grads = lstm.map(w -> b.allocate(w.shape(), scope));
    IllegalArgumentException aliased =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                b.recurrentBackward(
                    RecurrentKind.LSTM,
                    Activation.TANH,
                    x,
                    h0,
                    c0,
                    lstm,
                    out,
                    lstmCache,
                    b.allocate(out.shape(), scope),
                    null,
                    null,
                    null,
                    c0,
                    grads));
    assertTrue(
        aliased.getMessage().contains("output dc0") && aliased.getMessage().contains("input c0"),
        aliased::getMessage);
  }

  // ---- native against the float32 reference ----------------------------------------------

  /** {batch, steps, features, units}: odd sizes, one of them past a SIMD chunk and padding. */
  private static final int[][] NATIVE_SHAPES = {{1, 1, 1, 1}, {3, 7, 5, 9}, {7, 13, 3, 21}};

  private Map<String, float[]> lstmWithStates(Backend b, int[] s, long seed, boolean states) {
    int batch = s[0], steps = s[1], features = s[2], units = s[3], g = 4 * units;
    SplittableRandom r = new SplittableRandom(seed);
    double ws = 1 / Math.sqrt(features);
    double us = 1 / Math.sqrt(units);
    Tensor x = b.upload(TestArrays.uniform(r, -1, 1, batch, steps, features), scope);
    Tensor h0 = b.upload(TestArrays.uniform(r, -0.5, 0.5, batch, units), scope);
    NDArray c0Values = TestArrays.uniform(r, -1, 1, batch, units);
    Tensor c0 = states ? b.upload(c0Values, scope) : null;
    RecurrentParams w =
        new RecurrentParams(
            b.upload(TestArrays.uniform(r, -ws, ws, features, g), scope),
            b.upload(TestArrays.uniform(r, -us, us, units, g), scope),
            b.upload(TestArrays.uniform(r, -0.2, 0.2, g), scope));
    Tensor out = b.allocate(Shape.of(batch, steps, units), scope);
    Tensor cache = b.allocate(Shape.of(batch * steps * 5 * units), scope);
    b.recurrentForward(RecurrentKind.LSTM, Activation.TANH, x, h0, c0, w, out, cache);
    Tensor dout = b.upload(TestArrays.uniform(r, -1, 1, batch, steps, units), scope);
    NDArray dcLastValues = TestArrays.uniform(r, -1, 1, batch, units);
    Tensor dcLast = states ? b.upload(dcLastValues, scope) : null;
    Tensor dh0 = b.upload(TestArrays.uniform(r, -1, 1, batch, units), scope);
    NDArray dc0Start = TestArrays.uniform(r, -1, 1, batch, units);
    Tensor dc0 = states ? b.upload(dc0Start, scope) : null;
    RecurrentParams grads = w.map(v -> b.allocate(v.shape(), scope));
    b.recurrentBackward(
        RecurrentKind.LSTM,
        Activation.TANH,
        x,
        h0,
        c0,
        w,
        out,
        cache,
        dout,
        dcLast,
        null,
        dh0,
        dc0,
        grads);
    Map<String, float[]> result = new LinkedHashMap<>();
    result.put("out", b.download(out).data());
    result.put("cache", b.download(cache).data());
    result.put("dh0", b.download(dh0).data());
    if (states) {
      result.put("dc0", b.download(dc0).data());
    }
    result.put("dkernel", b.download(grads.kernel()).data());
    result.put("drecurrent", b.download(grads.recurrent()).data());
    result.put("dbias", b.download(grads.bias()).data());
    return result;
  }

  private void compareLstm(Backend nb) {
    for (int[] s : NATIVE_SHAPES) {
      long seed = 0xC0DEL * s[3] + s[1];
      Map<String, float[]> expected = lstmWithStates(ReferenceBackend.float32(), s, seed, true);
      Map<String, float[]> actual = lstmWithStates(nb, s, seed, true);
      for (String k : expected.keySet()) {
        TestArrays.assertAllClose(
            nb.name() + " LSTM with c0 and dcLast " + java.util.Arrays.toString(s) + " " + k,
            expected.get(k),
            actual.get(k),
            Tolerance.RECURRENT.atol(),
            Tolerance.RECURRENT.rtol());
      }
    }
  }

  @Test
  void cpuTakesC0AndDcLastAndGivesDc0AsTheReference() {
    compareLstm(CpuBackend.get());
  }

  @Test
  void cudaTakesC0AndDcLastAndGivesDc0AsTheReference() {
    CudaTests.assumeUsable();
    compareLstm(CudaBackend.get());
  }

  @Test
  void theStatesChangeTheResultsOnTheNativeBackend() {
    // Guards the comparison above against a kernel that ignores c0 and dcLast on both sides.
    int[] s = NATIVE_SHAPES[1];
    Map<String, float[]> with = lstmWithStates(CpuBackend.get(), s, 5, true);
    Map<String, float[]> without = lstmWithStates(CpuBackend.get(), s, 5, false);
    assertTrue(
        maxDiff(with.get("out"), without.get("out")) > 1e-3, "c0 does not change the output");
    assertTrue(
        maxDiff(with.get("dkernel"), without.get("dkernel")) > 1e-3,
        "c0 and dcLast do not change the gradients");
  }

  private static double maxDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  private static double max(double[] v) {
    double m = 0;
    for (double d : v) {
      m = Math.max(m, Math.abs(d));
    }
    return m;
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }
}
