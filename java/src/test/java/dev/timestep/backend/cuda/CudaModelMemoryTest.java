package dev.timestep.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.nn.Dense;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * On a GPU, 1,000 cycles of build, fit, predict and close give device memory back: Timestep's own
 * count of device bytes ({@link CudaBackend#liveDeviceBytes()}) returns exactly to where it
 * started, and the driver's free memory ({@code cudaMemGetInfo}) to within {@link #TOLERANCE} (the
 * CUDA allocator may keep a little for itself) once the block cache is released; the cache does not
 * grow from cycle to cycle. Skipped where no CUDA device is usable.
 */
class CudaModelMemoryTest {
  private static final int CYCLES = 1_000;

  /** Allowed drift of the driver's free-memory figure: 8 MiB. */
  private static final long TOLERANCE = 8L << 20;

  private static long freeDeviceBytes() {
    long[] free = new long[1];
    long[] total = new long[1];
    int status = CudaNative.ts_cuda_mem_info(free, total);
    assertEquals(0, status, () -> "cudaMemGetInfo failed: " + CudaNative.ts_cuda_last_error());
    return free[0];
  }

  private static void cycle(int i, NDArray x, NDArray y) {
    try (Sequential m =
        new Sequential(new Flatten(), new Dense(8), new Dense(1))
            .backend(CudaBackend.get())
            .seed(i)) {
      m.compile(Loss.mse(), new Adam(1e-2));
      m.fit(x, y, FitOptions.defaults().epochs(1).batchSize(4));
      assertEquals(x.dim(0), m.predict(x).dim(0));
    }
  }

  @Test
  void buildFitPredictCloseCyclesReturnDeviceMemory() {
    CudaTests.assumeUsable();
    SplittableRandom random = new SplittableRandom(3);
    NDArray x = TestArrays.uniform(random, -1, 1, 16, 10, 1);
    NDArray y = TestArrays.uniform(random, -1, 1, 16, 1);
    for (int i = 0; i < 10; i++) {
      cycle(i, x, y);
    }
    CudaBackend.get().synchronize();
    long live = CudaBackend.liveDeviceBytes();
    long cachedAfterWarmup = CudaBackend.cachedDeviceBytes();
    assertTrue(
        cachedAfterWarmup > 0 || DeviceBlockCache.CACHE.capacityBytes() == 0,
        "closed models' tensors should be kept in the device block cache");
    CudaBackend
        .releaseCachedMemory(); // compare the driver's figure without cached blocks on either side
    long free = freeDeviceBytes();
    for (int i = 0; i < CYCLES; i++) {
      cycle(i, x, y);
    }
    CudaBackend.get().synchronize();
    assertEquals(
        live,
        CudaBackend.liveDeviceBytes(),
        "device bytes still held after " + CYCLES + " closed models");
    assertTrue(
        CudaBackend.cachedDeviceBytes() <= cachedAfterWarmup,
        "the device block cache kept growing: "
            + cachedAfterWarmup
            + " bytes after warm-up, "
            + CudaBackend.cachedDeviceBytes()
            + " after the cycles");
    CudaBackend.releaseCachedMemory();
    long drift = free - freeDeviceBytes();
    assertTrue(
        drift <= TOLERANCE,
        "free device memory fell by " + drift + " bytes over " + CYCLES + " cycles");
  }
}
