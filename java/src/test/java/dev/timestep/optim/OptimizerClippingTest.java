package dev.timestep.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Clipping works the same on every optimizer: a step with clipNorm / clipValue equals an unclipped
 * step on the gradients clipped by hand (per tensor for the norm), and only one kind may be set.
 */
class OptimizerClippingTest {

  static Stream<Arguments> optimizers() {
    return Stream.of("reference", "cpu")
        .flatMap(
            backend ->
                Stream.of(
                    Arguments.of(
                        backend, "SGD", (Supplier<ArenaOptimizer<?>>) () -> new SGD(0.1, 0.9)),
                    Arguments.of(
                        backend,
                        "RMSprop",
                        (Supplier<ArenaOptimizer<?>>)
                            () -> new RMSprop(0.01, 0.9, 0.5, 1e-7, true)),
                    Arguments.of(
                        backend,
                        "Adam",
                        (Supplier<ArenaOptimizer<?>>) () -> new Adam(0.01, 0.9, 0.999, 1e-7, true)),
                    Arguments.of(
                        backend,
                        "AdamW",
                        (Supplier<ArenaOptimizer<?>>) () -> new AdamW(0.01, 0.1))));
  }

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  /** The weights after one step from kernel [2, 2] = 0.5 and bias [2] = 0 with these gradients. */
  private static float[] stepped(Backend b, ArenaOptimizer<?> opt, float[] kernel, float[] bias) {
    try (ParameterStore store = new ParameterStore();
        opt) {
      store.declare("kernel", Shape.of(2, 2), Initializer.constant(0.5f));
      store.declare("bias", Shape.of(2), Initializer.zeros());
      store.allocate(b, 0);
      b.upload(NDArray.of(kernel, 2, 2), store.parameters().get(0).grad());
      b.upload(NDArray.of(bias, 2), store.parameters().get(1).grad());
      opt.step(store);
      return b.download(store.values()).data();
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("optimizers")
  void clipNormRescalesEachTensorBeforeTheUpdate(
      String backendName, String name, Supplier<ArenaOptimizer<?>> optimizer) {
    Backend b = backend(backendName);
    // kernel norm 5 > 1: scaled by 1/5; bias norm 0.5 <= 1: untouched
    float[] clipped =
        stepped(
            b, optimizer.get().clipNorm(1.0), new float[] {3, 4, 0, 0}, new float[] {0.3f, -0.4f});
    float[] byHand =
        stepped(b, optimizer.get(), new float[] {0.6f, 0.8f, 0, 0}, new float[] {0.3f, -0.4f});
    assertArrayEquals(byHand, clipped, 1e-6f, name);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("optimizers")
  void clipValueClampsEveryElementBeforeTheUpdate(
      String backendName, String name, Supplier<ArenaOptimizer<?>> optimizer) {
    Backend b = backend(backendName);
    float[] clipped =
        stepped(
            b,
            optimizer.get().clipValue(0.5),
            new float[] {3, -4, 0.2f, 0},
            new float[] {0.7f, -0.1f});
    float[] byHand =
        stepped(b, optimizer.get(), new float[] {0.5f, -0.5f, 0.2f, 0}, new float[] {0.5f, -0.1f});
    assertArrayEquals(byHand, clipped, 1e-6f, name);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("optimizers")
  void onlyOneKindOfClippingAndAPositiveLimit(
      String backendName, String name, Supplier<ArenaOptimizer<?>> optimizer) {
    try (ArenaOptimizer<?> opt = optimizer.get()) {
      opt.clipNorm(2.0);
      assertEquals(2.0, opt.clipNorm());
      assertEquals(Double.NaN, opt.clipValue());
      assertThrows(IllegalStateException.class, () -> opt.clipValue(1.0));
      assertThrows(IllegalArgumentException.class, () -> opt.clipNorm(0));
      assertThrows(IllegalArgumentException.class, () -> opt.clipNorm(Double.NaN));
    }
  }
}
