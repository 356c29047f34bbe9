package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.FiniteDifferences;
import dev.timestep.testing.Float64Tensors;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Dropout layer: Keras' inverted dropout, seeded masks, backward through the tape. */
class DropoutTest {

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  private static float[] run(Backend b, Layer layer, NDArray x, ForwardPass pass) {
    try (Tape tape = new Tape(b, false)) {
      return b.download(layer.forward(tape, tape.constant(b.upload(x, tape.scope())), pass).value())
          .data();
    }
  }

  @Test
  void ratesOutsideZeroToOneAreRefusedByName() {
    for (double bad : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new Dropout(bad));
      assertTrue(
          e.getMessage().contains("Dropout: rate must be in [0, 1)")
              && e.getMessage().contains("" + bad),
          e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void trainingZeroesAboutRateOfTheValuesAndScalesTheRest(String name) {
    Backend b = backend(name);
    NDArray x = TestArrays.uniform(new SplittableRandom(1), 0.5, 1.5, 40, 25, 10);
    float[] y = run(b, new Dropout(0.3), x, ForwardPass.training(11));
    int dropped = 0;
    for (int i = 0; i < y.length; i++) {
      if (y[i] == 0f) {
        dropped++;
      } else {
        assertEquals(
            x.data()[i] * (float) (1 / 0.7), y[i], 1e-6f, "a kept value is scaled by 1/(1-rate)");
      }
    }
    double fraction = dropped / (double) y.length;
    assertEquals(0.3, fraction, 0.02, "fraction dropped of 10,000 values");
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void inferenceAndRateZeroPassTheInputThrough(String name) {
    Backend b = backend(name);
    NDArray x = TestArrays.uniform(new SplittableRandom(2), -1, 1, 4, 6);
    assertArrayEquals(x.data(), run(b, new Dropout(0.5), x, ForwardPass.inference()));
    assertArrayEquals(x.data(), run(b, new Dropout(0.0), x, ForwardPass.training(3)));
    try (Tape tape = new Tape(b, false)) {
      Variable in = tape.constant(b.upload(x, tape.scope()));
      assertSame(
          in, new Dropout(0.5).forward(tape, in, false), "inference is the identity, no copy");
    }
  }

  @Test
  void theSameSeedDrawsTheSameMaskOnEveryBackendAndAnotherSeedAnother() {
    NDArray x = TestArrays.uniform(new SplittableRandom(3), 0.5, 1.5, 16, 12);
    float[] ref = run(ReferenceBackend.float32(), new Dropout(0.4), x, ForwardPass.training(21));
    float[] cpu = run(CpuBackend.get(), new Dropout(0.4), x, ForwardPass.training(21));
    assertArrayEquals(ref, cpu, "native and reference: same masks, same products");
    float[] other = run(ReferenceBackend.float32(), new Dropout(0.4), x, ForwardPass.training(22));
    assertFalse(java.util.Arrays.equals(ref, other), "another seed, another mask");
    float[] mc = run(ReferenceBackend.float32(), new Dropout(0.4), x, ForwardPass.monteCarlo(21));
    assertArrayEquals(ref, mc, "MC dropout drops like training for the same seed");
  }

  @Test
  void gradientIsTheMaskedUpstreamGradient() {
    SplittableRandom random = new SplittableRandom(4);
    try (Scope scope = new Scope()) {
      Float64Tensors t = new Float64Tensors(scope, random);
      Parameter x = t.param("x", -1, 1, 3, 5, 2);
      Parameter w = t.param("w", -1, 1, 2, 3);
      Dropout dropout = new Dropout(0.5);
      ForwardPass pass = ForwardPass.training(5); // a fixed pass: the same mask at every evaluation
      FiniteDifferences.check(
          "dropout",
          tape -> {
            Variable y = Ops.tanh(tape, Ops.matmul(tape, dropout.forward(tape, x, pass), w));
            return Ops.mse(tape, y, tape.constant(tape.allocate(y.shape())));
          },
          x,
          w);
    }
  }

  @Test
  void aModelTrainsReproduciblyWithFreshMasksEveryStep() {
    NDArray x = TestArrays.uniform(new SplittableRandom(6), -1, 1, 16, 8);
    NDArray y = TestArrays.uniform(new SplittableRandom(7), -1, 1, 16, 1);
    float[][] weights = new float[2][];
    for (int run = 0; run < 2; run++) {
      try (Sequential m =
          new Sequential(new Dense(16), new Dropout(0.5), new Dense(1))
              .seed(8)
              .backend(ReferenceBackend.float32())) {
        m.compile(Loss.mse(), new Adam(0.01));
        float first = m.trainOnBatch(x, y);
        float second = m.trainOnBatch(x, y);
        weights[run] = m.backend().download(m.parameters().values()).data();
        assertTrue(first != second, "each step draws new masks (and new weights)");
        // Inference is deterministic: dropout is off.
        assertArrayEquals(m.predict(x).data(), m.predict(x).data());
      }
    }
    assertArrayEquals(weights[0], weights[1], "the same seed trains to the same weights");
  }

  @Test
  void timeDistributedPassesTheModelsMasksToTheWrappedLayer() {
    NDArray x = TestArrays.uniform(new SplittableRandom(9), 0.5, 1.5, 2, 3, 4);
    try (Sequential m =
        new Sequential(new TimeDistributed(new Dropout(0.5))).backend(ReferenceBackend.float32())) {
      m.build(Shape.of(3, 4));
      assertTrue(m.hasDropout());
      float[] a = forward(m, x, ForwardPass.training(1));
      float[] b = forward(m, x, ForwardPass.training(1));
      assertArrayEquals(a, b, "same pass, same masks");
      assertFalse(java.util.Arrays.equals(a, forward(m, x, ForwardPass.training(2))));
      assertArrayEquals(x.data(), forward(m, x, ForwardPass.inference()));
    }
  }

  private static float[] forward(Sequential m, NDArray x, ForwardPass pass) {
    Backend b = m.backend();
    try (Tape tape = new Tape(b, false)) {
      return b.download(m.forward(tape, tape.constant(b.upload(x, tape.scope())), pass).value())
          .data();
    }
  }
}
