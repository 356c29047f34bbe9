package dev.timestep.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.ConvPadding;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.GRU;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The native cache of large kernel scratch buffers: a recurrent backward over 4 x 1,400 steps needs
 * gate-gradient buffers over 4 MB, which the cache keeps, hands to the next step (whose results do
 * not depend on what the buffers held), and frees on release or a capacity of 0. A direct
 * convolution's backward over 2 x 33,000 steps of 32 channels needs them too, and goes through the
 * same cache rather than buffers of its own that nothing counts or frees.
 */
class ScratchCacheTest {
  private static final SplittableRandom RANDOM = new SplittableRandom(23);
  private static final NDArray X = TestArrays.uniform(RANDOM, -1, 1, 4, 1400, 1);
  private static final NDArray Y = TestArrays.uniform(RANDOM, -1, 1, 4, 1);

  @AfterEach
  void restoreTheCapacity() {
    assertEquals(0, CpuNative.ts_cpu_set_scratch_cache(NativeBlockCache.CACHE.capacityBytes()));
  }

  /** The weights after one training step of a GRU(64) from seed 5. */
  private static List<NDArray> trainedOnce() {
    try (Sequential m = new Sequential(new GRU(64), new Dense(1))) {
      m.backend(CpuBackend.get()).seed(5);
      m.compile(Loss.mse(), new Adam(1e-2));
      m.fit(X, Y, FitOptions.defaults().epochs(1).batchSize(4).seed(5));
      return m.getWeights();
    }
  }

  private static final NDArray LONG_X = TestArrays.uniform(RANDOM, -1, 1, 2, 33_000, 1);
  private static final NDArray LONG_Y = TestArrays.uniform(RANDOM, -1, 1, 2, 33_000, 1);

  /**
   * The weights after one training step of a causal Conv1D(32, 2) and a Conv1D(1, 1) from seed 7:
   * the first layer's slopes and the second's input gradient are each 33,000 x 32 floats.
   */
  private static List<NDArray> convTrainedOnce() {
    try (Sequential m =
        new Sequential(new Conv1D(32, 2).padding(ConvPadding.CAUSAL), new Conv1D(1, 1))) {
      m.backend(CpuBackend.get()).seed(7);
      m.compile(Loss.mse(), new Adam(1e-2));
      m.fit(LONG_X, LONG_Y, FitOptions.defaults().epochs(1).batchSize(2).seed(7));
      return m.getWeights();
    }
  }

  private static long scratchBytes() {
    return CpuNative.ts_cpu_scratch_cached_bytes();
  }

  @Test
  void aReusedScratchBufferGivesTheSameResultsAsAFreshOne() {
    CpuBackend.releaseCachedMemory();
    assertEquals(0, scratchBytes());
    List<NDArray> fresh = trainedOnce();
    long cached = scratchBytes();
    assertTrue(cached >= 4 << 20, "the step's large scratch should be cached, got " + cached);
    List<NDArray> reused = trainedOnce();
    assertEquals(cached, scratchBytes(), "the second step should reuse the cached buffers");
    for (int i = 0; i < fresh.size(); i++) {
      assertArrayEquals(fresh.get(i).data(), reused.get(i).data(), "weight " + i);
    }
    assertTrue(CpuBackend.cachedNativeBytes() >= cached, "cachedNativeBytes counts the scratch");
    CpuBackend.releaseCachedMemory();
    assertEquals(0, scratchBytes());
  }

  @Test
  void aCapacityOfZeroKeepsNothingAndANegativeOneIsRefused() {
    trainedOnce();
    assertTrue(scratchBytes() > 0);
    assertEquals(0, CpuNative.ts_cpu_set_scratch_cache(0));
    assertEquals(0, scratchBytes(), "lowering the capacity frees what no longer fits");
    trainedOnce();
    assertEquals(0, scratchBytes());
    assertNotEquals(0, CpuNative.ts_cpu_set_scratch_cache(-1));
    assertTrue(
        CpuNative.ts_cpu_last_error().contains("scratch cache capacity"),
        CpuNative.ts_cpu_last_error());
  }

  @Test
  void aConvolutionsLargeScratchIsCachedCountedAndReleased() {
    CpuBackend.releaseCachedMemory();
    List<NDArray> fresh = convTrainedOnce();
    long cached = scratchBytes();
    assertTrue(
        cached >= 4 << 20, "the convolution's large scratch should be cached, got " + cached);
    List<NDArray> reused = convTrainedOnce();
    assertEquals(cached, scratchBytes(), "the second step should reuse the cached buffers");
    for (int i = 0; i < fresh.size(); i++) {
      assertArrayEquals(fresh.get(i).data(), reused.get(i).data(), "weight " + i);
    }
    CpuBackend.releaseCachedMemory();
    assertEquals(0, scratchBytes());
  }
}
