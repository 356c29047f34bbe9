package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Parameter;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A prediction that overflows float range from finite inputs is the model's failure, reported as
 * such (sample and output), not handed back as Infinity for the caller to trip over later.
 */
class OutputOverflowTest {

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  /** Dense(2) over 4 features: output 0 sums them, output 1 is their negated sum. */
  private static Sequential summingModel(String backendName) {
    Sequential m = new Sequential(new Dense(2)).backend(backend(backendName));
    m.build(Shape.of(4));
    Parameter kernel = m.parameters().get(0);
    float[] k = new float[8];
    for (int i = 0; i < 4; i++) {
      k[2 * i] = 1;
      k[2 * i + 1] = -1;
    }
    m.backend().upload(new NDArray(kernel.shape(), k), kernel.value());
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void anOverflowingOutputIsTheModelsErrorNamingSampleAndOutput(String backendName) {
    try (Sequential m = summingModel(backendName)) {
      NDArray small = NDArray.of(new float[] {1, 2, 3, 4}, 1, 4);
      assertArrayEquals(new float[] {10, -10}, m.predict(small).data());
      // Sample 1's four values of 3e38 are finite; their sum is not.
      NDArray x = NDArray.of(new float[] {1, 2, 3, 4, 3e38f, 3e38f, 3e38f, 3e38f}, 2, 4);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.predict(x));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "the model's output is not finite (overflowed) at sample 1, output 0:"
                      + " Infinity; its inputs were finite"),
          e.getMessage());
    }
  }
}
