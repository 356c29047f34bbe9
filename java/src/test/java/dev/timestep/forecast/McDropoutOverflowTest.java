package dev.timestep.forecast;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Parameter;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import org.junit.jupiter.api.Test;

/** MC dropout never hands back an overflowed mean or spread: it names the sample and output. */
class McDropoutOverflowTest {
  @Test
  void samplesThatOverflowAreTheModelsErrorNotAnInfiniteMean() {
    try (Sequential m = new Sequential(new Dropout(0.1), new Dense(1)).backend(CpuBackend.get())) {
      m.build(Shape.of(4));
      Parameter kernel = m.parameters().get(0);
      m.backend().upload(new NDArray(kernel.shape(), new float[] {1, 1, 1, 1}), kernel.value());
      NDArray x = NDArray.of(new float[] {1, 2, 3, 4, 3e38f, 3e38f, 3e38f, 3e38f}, 2, 4);
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> McDropout.predict(m, x, 8, 1));
      assertTrue(
          e.getMessage().contains("not finite (overflowed) at sample 1, output 0"), e.getMessage());
    }
  }
}
