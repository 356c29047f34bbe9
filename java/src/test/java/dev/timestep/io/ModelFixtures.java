package dev.timestep.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;

/** Small trained models and exact comparisons of everything a model file must restore. */
final class ModelFixtures {
  private ModelFixtures() {}

  static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  /** Random inputs [8, steps, features] from a fixed seed. */
  static NDArray inputs(long seed, int steps, int features) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, 8, steps, features);
  }

  /** Random targets shaped like the model's output for {@code x} (the model must be built). */
  static NDArray targetsFor(Sequential model, NDArray x, long seed) {
    Shape out = model.predict(x).shape();
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, out.dims());
  }

  /**
   * SimpleRNN(3) -> Dense(1) on [6, 1] samples, trained {@code steps} steps on the reference
   * backend.
   */
  static Sequential smallTrained(long seed, int steps) {
    Sequential m =
        new Sequential(new SimpleRNN(3), new Dense(1))
            .seed(seed)
            .backend(ReferenceBackend.float32());
    m.compile(Loss.mse(), new Adam(0.01));
    NDArray x = inputs(seed, 6, 1);
    m.build(Shape.of(6, 1));
    NDArray y = targetsFor(m, x, seed + 1);
    for (int i = 0; i < steps; i++) {
      m.trainOnBatch(x, y);
    }
    return m;
  }

  static float[] weights(Sequential m) {
    return m.backend().download(m.parameters().values()).data();
  }

  /**
   * Asserts that two models hold bit-identical weights, layer state and Adam state (moments and
   * step count): what decides every later prediction and update.
   */
  static void assertSameState(Sequential expected, Sequential actual) {
    assertArrayEquals(weights(expected), weights(actual), "weights");
    ParameterStore a = expected.parameters();
    ParameterStore b = actual.parameters();
    assertEquals(a.stateCount(), b.stateCount(), "state tensors");
    for (int i = 0; i < a.stateCount(); i++) {
      assertArrayEquals(
          expected.backend().download(a.state(i)).data(),
          actual.backend().download(b.state(i)).data(),
          "state " + a.stateName(i));
    }
    Adam x = (Adam) expected.optimizer();
    Adam y = (Adam) actual.optimizer();
    assertEquals(x.iterations(), y.iterations(), "Adam steps");
    if (x.iterations() > 0) {
      assertArrayEquals(x.firstMoment().data(), y.firstMoment().data(), "Adam m");
      assertArrayEquals(x.secondMoment().data(), y.secondMoment().data(), "Adam v");
    }
  }
}
