package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Activation;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * {@code inputGradients}: d(sum of outputs)/dx and d(loss)/dx against central finite differences of
 * the same objective in float64 on the reference backend, over more samples than one batch of 32 so
 * the batch weighting is exercised.
 */
class InputGradientsTest {
  private static final ReferenceBackend F64 = ReferenceBackend.float64();
  private static final double EPS = 1e-6;

  private static NDArray random(long seed, int... dims) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, dims);
  }

  /** The objective in double: the model on all of {@code x} at once, on one tape. */
  private static double objective(Sequential m, NDArray x, NDArray y) {
    try (Tape tape = new Tape(F64, false)) {
      Variable pred = m.forward(tape, tape.constant(F64.upload(x, tape.scope())), false);
      Variable v =
          y == null
              ? Ops.sum(tape, pred)
              : Ops.mse(tape, pred, tape.constant(F64.upload(y, tape.scope())));
      return F64.get(v.value(), 0);
    }
  }

  /** Fails where {@code gradient} and central differences of {@code f} over x disagree. */
  private static void assertMatchesFiniteDifferences(
      String what, NDArray x, NDArray gradient, ToDoubleFunction<NDArray> f) {
    assertEquals(x.shape(), gradient.shape());
    // Every 7th value keeps the test fast; the stride still visits every sample and step.
    for (int i = 0; i < x.size(); i += 7) {
      float saved = x.data()[i];
      // The inputs are float32: step in float and divide by the step actually taken.
      x.data()[i] = (float) (saved + 1e-3);
      double up = f.applyAsDouble(x);
      float hi = x.data()[i];
      x.data()[i] = (float) (saved - 1e-3);
      double down = f.applyAsDouble(x);
      float lo = x.data()[i];
      x.data()[i] = saved;
      double numeric = (up - down) / ((double) hi - lo);
      double analytic = gradient.data()[i];
      assertEquals(
          numeric,
          analytic,
          2e-5 * Math.max(Math.abs(numeric), Math.abs(analytic)) + 1e-6,
          what + " at flat index " + i);
    }
  }

  private static Sequential model() {
    return new Sequential(new LSTM(3).returnSequences(true), new Dense(2, Activation.TANH))
        .backend(F64)
        .seed(6);
  }

  @Test
  void gradientOfTheOutputSumMatchesFiniteDifferences() {
    NDArray x = random(1, 45, 4, 2);
    try (Sequential m = model()) {
      NDArray g = m.inputGradients(x);
      assertMatchesFiniteDifferences("d sum/dx", x, g, xs -> objective(m, xs, null));
    }
  }

  @Test
  void gradientOfTheLossMatchesFiniteDifferencesWhateverTheBatches() {
    NDArray x = random(2, 45, 4, 2);
    NDArray y = random(3, 45, 4, 2);
    try (Sequential m = model()) {
      m.compile(Loss.mse(), new Adam(1e-3));
      NDArray g = m.inputGradients(x, y);
      assertMatchesFiniteDifferences("d loss/dx", x, g, xs -> objective(m, xs, y));
    }
  }

  @Test
  void aFunctionalModelGivesOneGradientPerInput() {
    Symbolic a = Input.of(3, 2);
    Symbolic b = Input.of(2);
    Symbolic out = new Dense(1).apply(new Concatenate().apply(new SimpleRNN(2).apply(a), b));
    NDArray xa = random(4, 40, 3, 2);
    NDArray xb = random(5, 40, 2);
    try (Model m = new Model(List.of(a, b), List.of(out)).backend(F64).seed(2)) {
      List<NDArray> g = m.inputGradients(List.of(xa, xb));
      ToDoubleFunction<NDArray> viaA = x -> sumOf(m, x, xb);
      ToDoubleFunction<NDArray> viaB = x -> sumOf(m, xa, x);
      assertMatchesFiniteDifferences("d sum/d input 1", xa, g.get(0), viaA);
      assertMatchesFiniteDifferences("d sum/d input 2", xb, g.get(1), viaB);
      // The head is linear in b: d(sum)/d b[i, k] is the head's weight for feature 2 + k.
      var kernel = F64.download(m.parameters().get(3).value()).data();
      assertEquals(kernel[2], g.get(1).get(0, 0), 1e-6);
      assertEquals(kernel[3], g.get(1).get(39, 1), 1e-6);
    }
  }

  private static double sumOf(Model m, NDArray xa, NDArray xb) {
    try (Tape tape = new Tape(F64, false)) {
      List<Variable> in =
          List.of(
              tape.constant(F64.upload(xa, tape.scope())),
              tape.constant(F64.upload(xb, tape.scope())));
      return F64.get(Ops.sum(tape, m.forward(tape, in, false).get(0)).value(), 0);
    }
  }

  @Test
  void refusesBadDataAndAnUncompiledLoss() {
    try (Sequential m = model()) {
      assertThrows(IllegalArgumentException.class, () -> m.inputGradients(null));
      assertThrows(
          IllegalStateException.class,
          () -> m.inputGradients(random(1, 2, 4, 2), random(1, 2, 4, 2)));
    }
  }
}
