package dev.timestep.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Adam follows Keras' update, bias correction included, on every backend. */
class AdamTest {

  /** Keras/TF: lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); p -= lr_t m / (sqrt(v) + eps). */
  private static double[] kerasSteps(double p, double[] grads, double lr) {
    double m = 0;
    double v = 0;
    double[] out = new double[grads.length];
    for (int t = 1; t <= grads.length; t++) {
      double g = grads[t - 1];
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      double lrT = lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
      p -= lrT * m / (Math.sqrt(v) + 1e-7);
      out[t - 1] = p;
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void threeStepsMatchTheKerasFormula(String name) {
    Backend b = name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
    double[] grads = {0.5, -0.25, 2.0};
    double[] expected = kerasSteps(1.0, grads, 0.01);
    try (ParameterStore store = new ParameterStore();
        Adam adam = new Adam(0.01)) {
      store.declare("w", Shape.of(1), Initializer.constant(1f));
      store.allocate(b, 0);
      for (int t = 0; t < grads.length; t++) {
        b.upload(NDArray.of(new float[] {(float) grads[t]}, 1), store.grads());
        adam.step(store);
        assertEquals(
            expected[t], b.download(store.values()).data()[0], 1e-6, "after step " + (t + 1));
      }
      assertEquals(3, adam.iterations());
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -1e-3, Double.POSITIVE_INFINITY})
  void refusesBadLearningRates(double lr) {
    assertThrows(IllegalArgumentException.class, () -> new Adam(lr));
  }
}
