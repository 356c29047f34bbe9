package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
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

/**
 * RepeatVector: [B, F] to [B, n, F], its backward summing over the copies, on every CPU backend.
 */
class RepeatVectorTest {

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void everyStepHoldsTheInputVector(String name) {
    NDArray x = TestArrays.uniform(new SplittableRandom(1), -1, 1, 3, 4);
    try (Sequential m = new Sequential(new RepeatVector(5)).backend(backend(name))) {
      NDArray y = m.predict(x);
      assertEquals(Shape.of(3, 5, 4), y.shape());
      for (int b = 0; b < 3; b++) {
        for (int t = 0; t < 5; t++) {
          for (int f = 0; f < 4; f++) {
            assertEquals(
                x.get(b, f), y.get(b, t, f), "sample " + b + " step " + t + " feature " + f);
          }
        }
      }
    }
  }

  @Test
  void backwardSumsTheGradientsOfEveryCopy() {
    try (Scope scope = new Scope()) {
      Float64Tensors t = new Float64Tensors(scope, new SplittableRandom(2));
      Parameter x = t.param("x", -1, 1, 2, 3);
      Parameter w = t.param("w", -1, 1, 3, 2);
      var target = t.random(-1, 1, 2, 4, 2);
      RepeatVector repeat = new RepeatVector(4);
      // Each step meets a different target, so the copies' gradients differ and must be summed.
      FiniteDifferences.check(
          "repeat vector",
          tape -> {
            Variable y = Ops.tanh(tape, Ops.matmul(tape, repeat.forward(tape, x, true), w));
            return Ops.mse(tape, y, tape.constant(target));
          },
          x,
          w);
    }
  }

  @Test
  void nativeAndReferenceAgreeInAVectorToSequenceModel() {
    NDArray x = TestArrays.uniform(new SplittableRandom(3), -1, 1, 4, 3);
    float[][] out = new float[2][];
    float[][] grads = new float[2][];
    String[] names = {"reference", "cpu"};
    for (int i = 0; i < 2; i++) {
      Backend b = backend(names[i]);
      try (Sequential m =
              new Sequential(
                      new Dense(4), new RepeatVector(6), new SimpleRNN(3).returnSequences(true))
                  .seed(4)
                  .backend(b);
          Tape tape = new Tape(b)) {
        Variable y = m.forward(tape, tape.constant(b.upload(x, tape.scope())), false);
        Variable loss = Ops.mse(tape, y, tape.constant(tape.allocate(y.shape())));
        m.parameters().zeroGrads();
        tape.backward(loss);
        out[i] = b.download(y.value()).data();
        grads[i] = b.download(m.parameters().grads()).data();
      }
    }
    TestArrays.assertAllClose("outputs", out[0], out[1], 1e-6, 1e-5);
    TestArrays.assertAllClose("gradients", grads[0], grads[1], 1e-6, 1e-4);
  }

  @Test
  void badCountsAndInputsAreRefusedByName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new RepeatVector(0));
    assertTrue(
        e.getMessage()
            .contains("RepeatVector: n (the number of output steps) must be at least 1, got 0"),
        e.getMessage());
    try (Sequential m = new Sequential(new RepeatVector(3)).backend(ReferenceBackend.float32())) {
      e = assertThrows(IllegalArgumentException.class, () -> m.build(Shape.of(5, 2)));
      assertTrue(
          e.getMessage().contains("RepeatVector(3) takes vectors [features]"), e.getMessage());
    }
    assertArrayEquals(new int[] {3, 7}, new RepeatVector(3).outputShape(Shape.of(7)).dims());
  }
}
