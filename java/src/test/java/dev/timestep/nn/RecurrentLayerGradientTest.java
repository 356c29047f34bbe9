package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recurrent layer, with and without returnSequences, end to end through the model API: each
 * parameter's gradient against central finite differences, in float64 on the reference backend.
 * (The fused op's input and initial-state gradients are checked in RecurrentReferenceTest.)
 * Tolerance: |a - n| <= 1e-6 * max(|a|, |n|) + 1e-9.
 */
class RecurrentLayerGradientTest {
  private static final ReferenceBackend F64 = ReferenceBackend.float64();

  static Stream<Arguments> layers() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (boolean rs : new boolean[] {true, false}) {
      b.add(
          Arguments.of(
              "SimpleRNN",
              rs,
              (Function<Boolean, Layer>) r -> new SimpleRNN(3).returnSequences(r)));
      b.add(
          Arguments.of("LSTM", rs, (Function<Boolean, Layer>) r -> new LSTM(3).returnSequences(r)));
      b.add(Arguments.of("GRU", rs, (Function<Boolean, Layer>) r -> new GRU(3).returnSequences(r)));
      b.add(
          Arguments.of(
              "LayerNormSimpleRNN",
              rs,
              (Function<Boolean, Layer>) r -> new LayerNormSimpleRNN(3).returnSequences(r)));
      b.add(
          Arguments.of(
              "RNN(cell)",
              rs,
              (Function<Boolean, Layer>)
                  r -> new RNN(new RnnCellTest.LNSimpleRNNCell(3)).returnSequences(r)));
    }
    return b.build();
  }

  private static NDArray random(long seed, int... dims) {
    SplittableRandom r = new SplittableRandom(seed);
    NDArray a = NDArray.zeros(dims);
    for (int i = 0; i < a.size(); i++) {
      a.data()[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return a;
  }

  private static double loss(Sequential m, NDArray x, NDArray y, boolean backward) {
    try (Tape tape = new Tape(F64, backward)) {
      Variable pred = m.forward(tape, tape.constant(F64.upload(x, tape.scope())), true);
      Variable l = Ops.mse(tape, pred, tape.constant(F64.upload(y, tape.scope())));
      if (backward) {
        m.parameters().zeroGrads();
        tape.backward(l);
      }
      return F64.get(l.value(), 0);
    }
  }

  @ParameterizedTest(name = "{0} returnSequences={1}")
  @MethodSource("layers")
  void everyParameterGradientMatchesFiniteDifferences(
      String name, boolean returnSequences, Function<Boolean, Layer> make) {
    NDArray x = random(1, 2, 4, 2);
    NDArray y = returnSequences ? random(2, 2, 4, 3) : random(2, 2, 3);
    try (Sequential m = new Sequential(make.apply(returnSequences)).backend(F64).seed(3)) {
      m.build(Shape.of(4, 2));
      Tensor values = m.parameters().values();
      // Move γ away from 1 and the biases away from 0 so every term of the backward matters.
      for (int i = 0; i < values.size(); i++) {
        F64.set(values, i, F64.get(values, i) + 0.1 * Math.sin(i));
      }
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
}
