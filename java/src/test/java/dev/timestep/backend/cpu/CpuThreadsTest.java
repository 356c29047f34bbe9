package dev.timestep.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The native kernels' thread count: its checks, and training that gives the same bits on any count.
 */
class CpuThreadsTest {

  @AfterEach
  void allCores() {
    CpuBackend.setThreads(0);
  }

  @Test
  void threadCountIsCheckedAndReported() {
    CpuBackend.setThreads(1);
    assertEquals(1, CpuBackend.threads());
    CpuBackend.setThreads(2);
    assertEquals(2, CpuBackend.threads());
    CpuBackend.setThreads(0);
    assertTrue(CpuBackend.threads() >= 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CpuBackend.setThreads(-1));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CpuBackend.setThreads(65));
  }

  @Test
  void fmaPeakIsPositiveAndChecked() {
    assertTrue(CpuBackend.fmaPeakGflops(0.01, 1) > 0.1);
    assertThrows(IllegalArgumentException.class, () -> CpuBackend.fmaPeakGflops(0, 1));
    assertThrows(IllegalArgumentException.class, () -> CpuBackend.fmaPeakGflops(0.01, 0));
  }

  /** Trains a few steps and returns every weight, flattened. */
  private static float[] weightsAfterTraining(
      Supplier<Sequential> build, int threads, NDArray x, NDArray y) {
    CpuBackend.setThreads(threads);
    try (Sequential model = build.get()) {
      model.backend(CpuBackend.get()).seed(3).compile(Loss.mse(), new Adam());
      for (int step = 0; step < 3; step++) {
        model.trainOnBatch(x, y);
      }
      return model.backend().download(model.parameters().values()).data();
    }
  }

  private static void sameBitsOnAnyThreadCount(Supplier<Sequential> build, NDArray x, NDArray y) {
    float[] one = weightsAfterTraining(build, 1, x, y);
    assertArrayEquals(one, weightsAfterTraining(build, 1, x, y), "1 thread twice: bit-identical");
    // Partial sums are kept per slice of the work, sized from the problem alone, so the thread
    // count cannot change the bits.
    assertArrayEquals(one, weightsAfterTraining(build, 2, x, y), "1 vs 2 threads: bit-identical");
    assertArrayEquals(one, weightsAfterTraining(build, 3, x, y), "1 vs 3 threads: bit-identical");
  }

  @Test
  void waveNetTrainingHasTheSameBitsOnAnyThreadCount() {
    NDArray x = TestArrays.uniform(new SplittableRandom(1), -0.5, 0.5, 16, 40, 1);
    NDArray y = TestArrays.uniform(new SplittableRandom(2), -0.5, 0.5, 16, 40, 10);
    sameBitsOnAnyThreadCount(
        () -> {
          Sequential m = new Sequential();
          for (int rate : new int[] {1, 2, 4, 8}) {
            m.add(
                new Conv1D(20, 2)
                    .padding(ConvPadding.CAUSAL)
                    .activation(Activation.RELU)
                    .dilationRate(rate));
          }
          return m.add(new Conv1D(10, 1));
        },
        x,
        y);
  }

  @Test
  void lstmTrainingHasTheSameBitsOnAnyThreadCount() {
    NDArray x = TestArrays.uniform(new SplittableRandom(3), -0.5, 0.5, 16, 30, 1);
    NDArray y = TestArrays.uniform(new SplittableRandom(4), -0.5, 0.5, 16, 30, 10);
    sameBitsOnAnyThreadCount(
        () ->
            new Sequential(
                new LSTM(20).returnSequences(true),
                new LSTM(20).returnSequences(true),
                new TimeDistributed(new Dense(10))),
        x,
        y);
  }
}
