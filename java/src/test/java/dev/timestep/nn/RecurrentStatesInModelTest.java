package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.FiniteDifferences;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recurrent states in a functional {@link Model}: a layer with {@code returnState(true)} gives its
 * output and final states as separate tensors, a layer applied to (x, h[, c]) starts from them,
 * gradients reach an encoder only through the states it hands a decoder (finite differences in
 * double), Bidirectional gives and takes both directions' states, and wrong wiring is refused
 * naming the layer.
 */
class RecurrentStatesInModelTest {
  private static final ReferenceBackend F64 = ReferenceBackend.float64();
  private static final ReferenceBackend F32 = ReferenceBackend.float32();

  static Stream<IntFunction<RecurrentLayer>> kinds() {
    return Stream.of(SimpleRNN::new, LSTM::new, GRU::new, LayerNormSimpleRNN::new);
  }

  private static NDArray random(long seed, int... dims) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, dims);
  }

  private static Variable constant(Tape tape, NDArray a) {
    return tape.constant(tape.backend().upload(a, tape.scope()));
  }

  private static float[] values(Variable v) {
    return F64.download(v.value()).data();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void returnStateGivesTheOutputThenTheFinalStates(IntFunction<RecurrentLayer> make) {
    RecurrentLayer layer = make.apply(4).returnSequences(true).returnState(true);
    Symbolic in = Input.of(6, 2);
    List<Symbolic> out = layer.applyAll(in);
    assertEquals(1 + layer.stateCount(), out.size());
    NDArray x = random(1, 3, 6, 2);
    try (Model m = new Model(List.of(in), out).backend(F64).seed(3);
        Tape tape = new Tape(F64, false)) {
      List<Shape> shapes = new ArrayList<>(List.of(Shape.of(6, 4)));
      for (int s = 0; s < layer.stateCount(); s++) {
        shapes.add(Shape.of(4));
      }
      assertEquals(shapes, m.outputShapes());
      List<NDArray> got = m.predict(List.of(x));
      List<Variable> direct =
          layer.forwardWithStates(tape, constant(tape, x), null, ForwardPass.inference());
      for (int k = 0; k < got.size(); k++) {
        TestArrays.assertAllClose("output " + k, values(direct.get(k)), got.get(k).data(), 0, 0);
      }
    }
  }

  @Test
  void applyOnALayerThatReturnsStatesAsksForApplyAll() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LSTM(3).returnState(true).apply(Input.of(5, 1)));
    assertTrue(e.getMessage().contains("gives 3 tensors; use applyAll"), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void aLayerAppliedToStatesStartsFromThem(IntFunction<RecurrentLayer> make) {
    RecurrentLayer layer = make.apply(3);
    int n = layer.stateCount();
    Symbolic x = Input.of(5, 2);
    List<Symbolic> inputs = new ArrayList<>(List.of(x));
    for (int s = 0; s < n; s++) {
      inputs.add(Input.of(3));
    }
    Symbolic out = layer.apply(inputs.toArray(new Symbolic[0]));
    List<NDArray> data = new ArrayList<>(List.of(random(2, 4, 5, 2)));
    for (int s = 0; s < n; s++) {
      data.add(random(3 + s, 4, 3));
    }
    try (Model m = new Model(inputs, List.of(out)).backend(F64).seed(4);
        Tape tape = new Tape(F64, false)) {
      NDArray got = m.predict(data).get(0);
      List<Variable> states = new ArrayList<>();
      for (int s = 0; s < n; s++) {
        states.add(constant(tape, data.get(1 + s)));
      }
      List<Variable> direct =
          layer.forwardWithStates(
              tape, constant(tape, data.get(0)), states, ForwardPass.inference());
      TestArrays.assertAllClose("from given states", values(direct.get(0)), got.data(), 0, 0);
      List<Variable> fromZeros =
          layer.forwardWithStates(tape, constant(tape, data.get(0)), null, ForwardPass.inference());
      assertTrue(
          maxDiff(values(fromZeros.get(0)), got.data()) > 1e-3,
          "the given states must change the output");
    }
  }

  /**
   * An encoder whose final states start a decoder; only the decoder's output is scored, so the
   * encoder's weights and input get their gradient through the states alone.
   */
  @ParameterizedTest
  @MethodSource("kinds")
  void gradientsReachTheEncoderThroughTheStates(IntFunction<RecurrentLayer> make) {
    RecurrentLayer encoder = make.apply(3).returnState(true);
    RecurrentLayer decoder = make.apply(3).returnSequences(true);
    Symbolic past = Input.of(5, 2);
    Symbolic future = Input.of(4, 1);
    List<Symbolic> enc = encoder.applyAll(past);
    List<Symbolic> decIn = new ArrayList<>(List.of(future));
    decIn.addAll(enc.subList(1, enc.size()));
    Symbolic y = new Dense(1).apply(decoder.apply(decIn.toArray(new Symbolic[0])));
    NDArray xp = random(5, 3, 5, 2);
    NDArray xf = random(6, 3, 4, 1);
    NDArray target = random(7, 3, 4, 1);
    try (Model m = new Model(List.of(past, future), List.of(y)).backend(F64).seed(5)) {
      m.build();
      Tensor values = m.parameters().values();
      lossOf(m, xp, xf, target, true);
      Tensor grads = m.parameters().grads();
      double encoderGrad = 0;
      long encoderKernel = m.parameters().parameters().get(0).value().size(); // declared first
      for (long i = 0; i < values.size(); i++) {
        double v = F64.get(values, i);
        F64.set(values, i, v + FiniteDifferences.EPS);
        double up = lossOf(m, xp, xf, target, false);
        F64.set(values, i, v - FiniteDifferences.EPS);
        double down = lossOf(m, xp, xf, target, false);
        F64.set(values, i, v);
        double numeric = (up - down) / (2 * FiniteDifferences.EPS);
        double analytic = F64.get(grads, i);
        assertEquals(
            numeric,
            analytic,
            FiniteDifferences.RTOL * Math.max(Math.abs(numeric), Math.abs(analytic))
                + FiniteDifferences.ATOL,
            "parameter element " + i);
        if (i < encoderKernel) {
          encoderGrad += Math.abs(analytic);
        }
      }
      assertTrue(encoderGrad > 1e-4, "the encoder's kernel gets a gradient through the states");
      // and the encoder's input too: d(sum of outputs)/d(past), against finite differences
      NDArray saliency = m.inputGradients(List.of(xp, xf)).get(0);
      try (Scope scope = new Scope()) {
        Tensor past64 = F64.upload(xp, scope);
        for (int i = 0; i < xp.size(); i++) {
          double v = F64.get(past64, i);
          F64.set(past64, i, v + FiniteDifferences.EPS);
          double up = outputSum(m, past64, xf);
          F64.set(past64, i, v - FiniteDifferences.EPS);
          double down = outputSum(m, past64, xf);
          F64.set(past64, i, v);
          double numeric = (up - down) / (2 * FiniteDifferences.EPS);
          assertEquals(numeric, saliency.data()[i], 1e-5 * Math.abs(numeric) + 1e-6, "d/dx " + i);
        }
      }
    }
  }

  private static double outputSum(Model m, Tensor past, NDArray xf) {
    try (Tape tape = new Tape(F64, false)) {
      Variable out =
          m.forward(tape, List.of(tape.constant(past), constant(tape, xf)), false).get(0);
      double s = 0;
      for (long i = 0; i < out.value().size(); i++) {
        s += F64.get(out.value(), i);
      }
      return s;
    }
  }

  private static double lossOf(Model m, NDArray xp, NDArray xf, NDArray y, boolean backward) {
    try (Tape tape = new Tape(F64, backward)) {
      List<Variable> in = List.of(constant(tape, xp), constant(tape, xf));
      Variable l = Ops.mse(tape, m.forward(tape, in, false).get(0), constant(tape, y));
      if (backward) {
        m.parameters().zeroGrads();
        tape.backward(l);
      }
      return F64.get(l.value(), 0);
    }
  }

  @Test
  void bidirectionalReturnsBothDirectionsStatesAndStartsFromThem() {
    Bidirectional bi = new Bidirectional(new LSTM(3).returnState(true));
    Symbolic x = Input.of(5, 2);
    List<Symbolic> out = bi.applyAll(x);
    assertEquals(5, out.size(), "[output, forward h, forward c, backward h, backward c]");
    Bidirectional again = new Bidirectional(new LSTM(3).returnSequences(true));
    Symbolic seq = again.apply(x, out.get(1), out.get(2), out.get(3), out.get(4));
    NDArray data = random(8, 2, 5, 2);
    try (Model m =
            new Model(List.of(x), List.of(out.get(0), out.get(1), out.get(4), seq))
                .backend(F64)
                .seed(6);
        Tape tape = new Tape(F64, false)) {
      assertEquals(
          List.of(Shape.of(6), Shape.of(3), Shape.of(3), Shape.of(5, 6)), m.outputShapes());
      List<NDArray> got = m.predict(List.of(data));
      Variable in = constant(tape, data);
      ForwardPass p = ForwardPass.inference();
      List<Variable> f = bi.forwardLayer().forwardWithStates(tape, in, null, p);
      List<Variable> b =
          bi.backwardLayer().forwardWithStates(tape, Ops.reverseTime(tape, in), null, p);
      TestArrays.assertAllClose("forward h", values(f.get(1)), got.get(1).data(), 0, 0);
      TestArrays.assertAllClose("backward c", values(b.get(2)), got.get(2).data(), 0, 0);
      List<Variable> f2 = again.forwardLayer().forwardWithStates(tape, in, f.subList(1, 3), p);
      List<Variable> b2 =
          again
              .backwardLayer()
              .forwardWithStates(tape, Ops.reverseTime(tape, in), b.subList(1, 3), p);
      Variable merged = Ops.concatLast(tape, List.of(f2.get(0), Ops.reverseTime(tape, b2.get(0))));
      TestArrays.assertAllClose("from both states", values(merged), got.get(3).data(), 0, 0);
    }
  }

  @Test
  void wrongStateWiringIsRefusedNamingTheLayer() {
    Symbolic x = Input.of(5, 2);
    Symbolic h = Input.of(3);
    Symbolic wrong = Input.of(4);
    IllegalArgumentException count =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Model(List.of(x, h), List.of(new LSTM(3).apply(x, h))));
    assertTrue(count.getMessage().contains("LSTM(3)"), count.getMessage());
    assertTrue(count.getMessage().contains("2 initial states [h, c]"), count.getMessage());
    IllegalArgumentException shape =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Model(List.of(x, wrong), List.of(new GRU(3).apply(x, wrong))));
    assertTrue(
        shape.getMessage().contains("initial state h must have samples of shape [3]"),
        shape.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new Model(List.of(x, h), List.of(new Dense(3).apply(x, h))),
        "a layer without states still takes one input");
  }

  private static double maxDiff(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }
}
