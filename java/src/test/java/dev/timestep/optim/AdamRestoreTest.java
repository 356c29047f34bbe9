package dev.timestep.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * Adam's state can be read out and put into a fresh instance, which then steps exactly as the
 * original.
 */
class AdamRestoreTest {
  private static final Backend B = ReferenceBackend.float32();

  private static ParameterStore store(float... initial) {
    ParameterStore s = new ParameterStore();
    s.declare("p", Shape.of(initial.length), (shape, random) -> initial.clone());
    s.allocate(B, 1);
    return s;
  }

  private static void step(Adam adam, ParameterStore s, float... grads) {
    B.upload(NDArray.of(grads, grads.length), s.grads());
    adam.step(s);
  }

  @Test
  void aRestoredAdamContinuesExactly() {
    try (ParameterStore a = store(1f, -2f, 0.5f);
        ParameterStore b = store(1f, -2f, 0.5f);
        Adam first = new Adam(0.01);
        Adam second = new Adam(0.01)) {
      assertNull(first.firstMoment(), "no moments before the first step");
      step(first, a, 0.3f, -1f, 2f);
      step(first, a, 0.1f, 0.2f, -0.4f);
      B.upload(B.download(a.values()), b.values());
      second.restore(b, first.iterations(), first.firstMoment(), first.secondMoment());
      assertEquals(2, second.iterations());
      step(first, a, -0.7f, 0.05f, 1f);
      step(second, b, -0.7f, 0.05f, 1f);
      assertArrayEquals(B.download(a.values()).data(), B.download(b.values()).data());
      assertArrayEquals(first.secondMoment().data(), second.secondMoment().data());
    }
  }

  @Test
  void restoreChecksItsArguments() {
    try (ParameterStore s = store(1f, 2f);
        Adam adam = new Adam()) {
      NDArray two = NDArray.zeros(2);
      IllegalArgumentException shape =
          assertThrows(
              IllegalArgumentException.class, () -> adam.restore(s, 3, NDArray.zeros(3), two));
      assertTrue(
          shape.getMessage().contains("must have the parameter arena's shape [2], got [3]"),
          shape.getMessage());
      assertThrows(IllegalArgumentException.class, () -> adam.restore(s, -1, null, null));
      assertThrows(IllegalArgumentException.class, () -> adam.restore(s, 0, two, two));
      assertThrows(
          IllegalArgumentException.class, () -> adam.restore(new ParameterStore(), 0, null, null));
      adam.restore(s, 1, two, two);
      try (ParameterStore other = store(1f, 2f)) {
        assertThrows(IllegalStateException.class, () -> adam.restore(other, 1, two, two));
      }
    }
  }

  @Test
  void restoringZeroStepsResetsTheMoments() {
    try (ParameterStore s = store(1f);
        Adam adam = new Adam()) {
      step(adam, s, 1f);
      adam.restore(s, 0, null, null);
      assertEquals(0, adam.iterations());
      assertArrayEquals(new float[] {0f}, adam.firstMoment().data());
    }
  }

  @Test
  void hyperParametersAreReadable() {
    Adam adam = new Adam(0.02, 0.8, 0.99, 1e-6);
    assertEquals(0.02, adam.learningRate());
    assertEquals(0.8, adam.beta1());
    assertEquals(0.99, adam.beta2());
    assertEquals(1e-6, adam.epsilon());
  }
}
