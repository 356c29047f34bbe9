package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A shuffled fit on the CPU holds its training data once in native memory: each batch gathers its
 * own rows, rather than each epoch gathering a second copy of the whole data set.
 */
class FitDataCopiesTest {
  @Test
  void aShuffledCpuFitHoldsOneCopyOfItsData() {
    SplittableRandom random = new SplittableRandom(3);
    NDArray x = TestArrays.uniform(random, -1, 1, 4096, 64); // 1 MiB
    NDArray y = TestArrays.uniform(random, -1, 1, 4096, 16); // 256 KiB
    long dataBytes = (x.data().length + y.data().length) * (long) Float.BYTES;
    long[] peak = new long[1];
    Callback sampler =
        new Callback() {
          @Override
          public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
            peak[0] = Math.max(peak[0], CpuBackend.liveNativeBytes());
          }
        };
    try (Sequential m = new Sequential(new Dense(16)).backend(CpuBackend.get()).seed(1)) {
      m.compile(Loss.mse(), new Adam(1e-3));
      m.build(Shape.of(64));
      long before = CpuBackend.liveNativeBytes();
      m.fit(x, y, FitOptions.defaults().epochs(2).batchSize(32).seed(5).callbacks(sampler));
      long held = peak[0] - before;
      assertTrue(held >= dataBytes, "the data itself is uploaded: " + held + " < " + dataBytes);
      assertTrue(
          held < dataBytes * 3 / 2,
          "fit held " + held + " native bytes for " + dataBytes + " bytes of data");
    }
  }
}
