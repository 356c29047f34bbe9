package dev.timestep.optim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * An Adam belongs to one model and is closed with it. Using it again, or sharing it between models,
 * says so in words (not "scope is already closed; cannot own Tensor[15]@cpu").
 */
class AdamLifecycleTest {
  private final SplittableRandom random = new SplittableRandom(8);
  private final NDArray x = TestArrays.uniform(random, -1, 1, 16, 3);
  private final NDArray y = TestArrays.uniform(random, -1, 1, 16, 1);

  private static Sequential model() {
    return new Sequential(new Dense(1)).backend(CpuBackend.get()).seed(1);
  }

  private void train(Sequential m) {
    m.fit(x, y, FitOptions.defaults().epochs(1).batchSize(8));
  }

  private static void assertSays(String fragment, Executable call) {
    IllegalStateException e = assertThrows(IllegalStateException.class, call);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void anAdamWhoseModelWasClosedSaysSo() {
    Adam adam = new Adam(0.01);
    try (Sequential first = model()) {
      first.compile(Loss.mse(), adam);
      train(first);
    }
    try (Sequential second = model()) {
      second.compile(Loss.mse(), adam);
      assertSays("this Adam optimizer was closed", () -> train(second));
      second.compile(Loss.mse(), new Adam(0.01)); // a new one works
      train(second);
    }
  }

  @Test
  void anAdamSharedByTwoModelsSaysSo() {
    Adam shared = new Adam(0.01);
    try (Sequential first = model();
        Sequential second = model()) {
      first.compile(Loss.mse(), shared);
      second.compile(Loss.mse(), shared);
      train(first);
      assertSays("already optimizes another model", () -> train(second));
      // Recompiling one model closes its old optimizer, which the other still uses.
      second.compile(Loss.mse(), new Adam(0.01));
      assertSays("this Adam optimizer was closed", () -> train(first));
    }
  }

  @Test
  void aClosedAdamRefusesToBeRestored() {
    Adam adam = new Adam(0.01);
    try (Sequential m = model()) {
      m.build(x.shape().dropFirst());
      adam.close();
      assertSays(
          "this Adam optimizer was closed", () -> adam.restore(m.parameters(), 0, null, null));
    }
  }
}
