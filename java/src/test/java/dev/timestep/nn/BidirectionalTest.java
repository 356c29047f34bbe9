package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.TestArrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Bidirectional}: its output equals the two directions run by hand (the backward one on the
 * sequence reversed, reversed back, then merged), its gradient matches finite differences in
 * double, and the two directions have weights of their own.
 */
class BidirectionalTest {
  private static final ReferenceBackend F64 = ReferenceBackend.float64();
  private static final ReferenceBackend F32 = ReferenceBackend.float32();

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (Bidirectional.MergeMode mode : Bidirectional.MergeMode.values()) {
      for (boolean rs : new boolean[] {true, false}) {
        b.add(Arguments.of(mode, rs));
      }
    }
    return b.build();
  }

  private static NDArray random(long seed, int... dims) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, dims);
  }

  @ParameterizedTest(name = "{0} returnSequences={1}")
  @MethodSource("cases")
  void outputEqualsBothDirectionsRunByHand(Bidirectional.MergeMode mode, boolean rs) {
    int batch = 2;
    int steps = 5;
    int units = 3;
    NDArray x = random(1, batch, steps, 2);
    Bidirectional bi = new Bidirectional(new GRU(units).returnSequences(rs), mode);
    try (Sequential m = new Sequential(bi).backend(F64).seed(8)) {
      float[] got = m.predict(x).data();
      NDArray reversed = reverse(x);
      float[] f;
      float[] b;
      try (Tape tape = new Tape(F64, false)) {
        f = F64.download(bi.forwardLayer().forward(tape, constant(tape, x), false).value()).data();
        NDArray back =
            F64.download(bi.backwardLayer().forward(tape, constant(tape, reversed), false).value());
        b = (rs ? reverse(back) : back).data();
      }
      int rows = f.length / units;
      float[] want = new float[mode == Bidirectional.MergeMode.CONCAT ? 2 * f.length : f.length];
      for (int r = 0; r < rows; r++) {
        for (int u = 0; u < units; u++) {
          float fv = f[r * units + u];
          float bv = b[r * units + u];
          switch (mode) {
            case CONCAT -> {
              want[r * 2 * units + u] = fv;
              want[r * 2 * units + units + u] = bv;
            }
            case SUM -> want[r * units + u] = (float) ((double) fv + bv);
            case MUL -> want[r * units + u] = (float) ((double) fv * bv);
            case AVE -> want[r * units + u] = (float) (((double) fv + bv) * 0.5);
          }
        }
      }
      assertArrayEquals(want, got, 1e-6f);
      Shape expected =
          rs
              ? Shape.of(batch, steps, want.length / (batch * steps))
              : Shape.of(batch, want.length / batch);
      assertEquals(expected, m.predict(x).shape());
      // Different weights in each direction: the backward output is not the forward one reversed.
      assertNotEquals(f[0], b[0]);
    }
  }

  private static Variable constant(Tape tape, NDArray a) {
    return tape.constant(F64.upload(a, tape.scope()));
  }

  /** a [batch, time, features] with each sequence's steps in reverse order. */
  private static NDArray reverse(NDArray a) {
    int batch = a.dim(0);
    int steps = a.dim(1);
    int features = a.dim(2);
    NDArray out = NDArray.zeros(batch, steps, features);
    for (int i = 0; i < batch; i++) {
      for (int t = 0; t < steps; t++) {
        for (int k = 0; k < features; k++) {
          out.set(a.get(i, steps - 1 - t, k), i, t, k);
        }
      }
    }
    return out;
  }

  static Stream<Arguments> gradientCases() {
    return Stream.of(
        Arguments.of(
            "LSTM concat, sequences",
            Bidirectional.MergeMode.CONCAT,
            true,
            (Supplier<RecurrentLayer>) () -> new LSTM(2).returnSequences(true)),
        Arguments.of(
            "SimpleRNN sum, last state",
            Bidirectional.MergeMode.SUM,
            false,
            (Supplier<RecurrentLayer>) () -> new SimpleRNN(3)),
        Arguments.of(
            "GRU ave, sequences",
            Bidirectional.MergeMode.AVE,
            true,
            (Supplier<RecurrentLayer>) () -> new GRU(2).returnSequences(true)),
        Arguments.of(
            "LN-RNN mul, last state",
            Bidirectional.MergeMode.MUL,
            false,
            (Supplier<RecurrentLayer>) () -> new LayerNormSimpleRNN(2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gradientCases")
  void gradientMatchesFiniteDifferences(
      String name, Bidirectional.MergeMode mode, boolean rs, Supplier<RecurrentLayer> layer) {
    NDArray x = random(3, 2, 4, 2);
    try (Sequential m = new Sequential(new Bidirectional(layer.get(), mode)).backend(F64).seed(5)) {
      m.build(Shape.of(4, 2));
      Tensor values = m.parameters().values();
      for (int i = 0; i < values.size(); i++) {
        F64.set(values, i, F64.get(values, i) + 0.1 * Math.sin(i));
      }
      NDArray y = random(4, m.predict(x).shape().dims());
      loss(m, x, y, true);
      Tensor grads = m.parameters().grads();
      double eps = 1e-6;
      for (int i = 0; i < values.size(); i++) {
        double v = F64.get(values, i);
        F64.set(values, i, v + eps);
        double up = loss(m, x, y, false);
        F64.set(values, i, v - eps);
        double down = loss(m, x, y, false);
        F64.set(values, i, v);
        double numeric = (up - down) / (2 * eps);
        double analytic = F64.get(grads, i);
        assertEquals(
            numeric,
            analytic,
            1e-6 * Math.max(Math.abs(numeric), Math.abs(analytic)) + 1e-9,
            name + " parameter element " + i);
      }
    }
  }

  private static double loss(Sequential m, NDArray x, NDArray y, boolean backward) {
    try (Tape tape = new Tape(F64, backward)) {
      Variable pred = m.forward(tape, constant(tape, x), false);
      Variable l = Ops.mse(tape, pred, constant(tape, y));
      if (backward) {
        m.parameters().zeroGrads();
        tape.backward(l);
      }
      return F64.get(l.value(), 0);
    }
  }

  @Test
  void eachDirectionHasItsOwnWeightsInOrder() {
    Bidirectional bi = new Bidirectional(new LSTM(3));
    try (Sequential m = new Sequential(bi, new Dense(1)).backend(F32)) {
      m.build(Shape.of(6, 2));
      List<String> names = m.parameters().parameters().stream().map(p -> p.name()).toList();
      assertEquals(
          List.of(
              "lstm/kernel",
              "lstm/recurrent_kernel",
              "lstm/bias",
              "lstm/kernel",
              "lstm/recurrent_kernel",
              "lstm/bias",
              "dense/kernel",
              "dense/bias"),
          names);
      assertEquals(2 * (2 * 12 + 3 * 12 + 12) + 6 + 1, m.parameters().count());
      assertEquals("Bidirectional(LSTM(3), concat)", bi.name());
    }
  }

  @Test
  void trainsInAFunctionalModel() {
    NDArray x = random(6, 64, 7, 1);
    NDArray y = NDArray.zeros(64, 1);
    for (int i = 0; i < 64; i++) {
      y.set(x.get(i, 0, 0) - x.get(i, 6, 0), i, 0); // needs both ends of the sequence
    }
    Symbolic in = Input.of(7, 1);
    Symbolic out = new Dense(1).apply(new Bidirectional(new SimpleRNN(8)).apply(in));
    try (Model m = new Model(List.of(in), List.of(out)).backend(F32).seed(1)) {
      m.compile(Loss.mse(), new Adam(2e-2));
      History h = m.fit(x, y, FitOptions.defaults().epochs(30).batchSize(16));
      assertEquals(true, h.last("loss") < h.epoch(0).get("loss") * 0.3, h.toString());
    }
  }

  @Test
  void refusesWhatItCannotWrap() {
    assertThrows(IllegalArgumentException.class, () -> new Bidirectional(null));
    assertThrows(IllegalArgumentException.class, () -> new Bidirectional(new LSTM(2), null));
    assertEquals(Bidirectional.MergeMode.AVE, Bidirectional.MergeMode.parse("ave"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Bidirectional.MergeMode.parse("max"));
    assertEquals(true, e.getMessage().contains("unknown merge mode 'max'"));
  }
}
