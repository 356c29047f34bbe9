package dev.timestep.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend's cache of freed device blocks: freed tensors land in it (and no longer count as
 * live), a reused block is zero-filled again by allocate() but not by allocateForOverwrite(), and
 * releaseCachedMemory hands the memory back to the driver. The device checks are skipped where no
 * CUDA device is usable.
 */
class DeviceBlockCacheTest {

  private static CudaBackend cuda() {
    CudaTests.assumeUsable();
    Assumptions.assumeTrue(
        DeviceBlockCache.CACHE.capacityBytes() >= 128L << 20,
        "the device block cache is set below 128 MiB");
    CudaBackend.releaseCachedMemory(); // room for this test's blocks whatever earlier tests left
    return CudaBackend.get();
  }

  private static long freeDeviceBytes() {
    long[] free = new long[1];
    long[] total = new long[1];
    assertEquals(
        0,
        CudaNative.ts_cuda_mem_info(free, total),
        () -> "cudaMemGetInfo failed: " + CudaNative.ts_cuda_last_error());
    return free[0];
  }

  @Test
  void releaseIsHarmlessWithoutADeviceAndLeavesNothingCached() {
    CudaBackend.releaseCachedMemory(); // must not need the library when nothing is cached
    assertEquals(0, CudaBackend.cachedDeviceBytes());
    if (System.getProperty(DeviceBlockCache.CAPACITY_PROPERTY) == null) {
      assertEquals(
          1L << 30, DeviceBlockCache.CACHE.capacityBytes(), "the default capacity is 1 GiB");
    }
  }

  @Test
  void aFreedTensorLandsInTheCacheAndIsZeroFilledWhenReused() {
    CudaBackend cuda = cuda();
    Shape shape = Shape.of(3, 7, 13); // an odd size no other test allocates
    long bytes = shape.size() * Float.BYTES;
    long live = CudaBackend.liveDeviceBytes();
    long cached = CudaBackend.cachedDeviceBytes();
    try (Scope scope = new Scope()) {
      cuda.fill(cuda.allocate(shape, scope), 42f);
      assertEquals(live + bytes, CudaBackend.liveDeviceBytes());
    }
    assertEquals(
        live, CudaBackend.liveDeviceBytes(), "a freed tensor is no longer live, cached or not");
    assertEquals(
        cached + bytes, CudaBackend.cachedDeviceBytes(), "the freed block should be cached");

    try (Scope scope = new Scope()) {
      Tensor again = cuda.allocate(shape, scope);
      assertEquals(cached, CudaBackend.cachedDeviceBytes(), "the block should come from the cache");
      assertArrayEquals(
          new float[(int) shape.size()],
          cuda.download(again).data(),
          "a reused block must be zero-filled");
      cuda.fill(again, 7f);
    }
    try (Scope scope = new Scope()) {
      float[] stale = cuda.download(cuda.allocateForOverwrite(shape, scope)).data();
      assertEquals(
          7f, stale[0], "allocateForOverwrite hands the reused block out as it was (no fill)");
    }
  }

  @Test
  void releaseCachedMemoryEmptiesTheCacheAndGivesTheMemoryToTheDriver() {
    CudaBackend cuda = cuda();
    Shape big = Shape.of(16, 1 << 20); // 64 MiB: well above the driver's allocation granularity
    long bytes = big.size() * Float.BYTES;
    try (Scope scope = new Scope()) {
      cuda.allocate(big, scope);
    }
    assertTrue(CudaBackend.cachedDeviceBytes() >= bytes, "the freed 64 MiB should be cached");
    cuda.synchronize();
    long freeBefore = freeDeviceBytes();
    CudaBackend.releaseCachedMemory();
    assertEquals(0, CudaBackend.cachedDeviceBytes());
    long gained = freeDeviceBytes() - freeBefore;
    assertTrue(
        gained >= bytes - (2L << 20),
        "the driver got back only " + gained + " of " + bytes + " bytes");
  }
}
