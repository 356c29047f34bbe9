package dev.timestep.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend's cache of freed blocks: reused memory is zeroed again, and release empties it.
 */
class NativeBlockCacheTest {
  private final Backend cpu = CpuBackend.get();

  @Test
  void aReusedBlockIsZeroFilledAgain() {
    Shape shape = Shape.of(3, 7, 11); // an odd size no other test allocates
    try (Scope scope = new Scope()) {
      Tensor t = cpu.allocate(shape, scope);
      cpu.fill(t, 42f);
    }
    long cachedBefore = CpuBackend.cachedNativeBytes();
    assertTrue(cachedBefore >= shape.size() * Float.BYTES, "the freed block should be cached");
    try (Scope scope = new Scope()) {
      Tensor again = cpu.allocate(shape, scope);
      assertEquals(
          cachedBefore - shape.size() * Float.BYTES,
          CpuBackend.cachedNativeBytes(),
          "the block should come from the cache");
      float[] zeros = new float[Math.toIntExact(shape.size())];
      assertArrayEquals(zeros, cpu.download(again).data(), "a reused block must be zero-filled");
    }
  }

  @Test
  void anOverwriteBlockSkipsTheZeroingButAPlainOneDoesNot() {
    Shape shape = Shape.of(5, 13, 3); // an odd size no other test allocates
    try (Scope scope = new Scope()) {
      cpu.fill(cpu.allocate(shape, scope), 7f);
    }
    float[] stale;
    try (Scope scope = new Scope()) {
      stale = cpu.download(cpu.allocateForOverwrite(shape, scope)).data();
    }
    assertEquals(7f, stale[0], "the reused block was handed out as it was (no zeroing)");
    try (Scope scope = new Scope()) {
      assertArrayEquals(
          new float[stale.length],
          cpu.download(cpu.allocate(shape, scope)).data(),
          "allocate() must still zero a reused block");
    }
  }

  @Test
  void releaseFreesEveryCachedBlockAndLiveBytesDoNotCountThem() {
    long live = CpuBackend.liveNativeBytes();
    try (Scope scope = new Scope()) {
      float[] values = new float[1000];
      Arrays.fill(values, 1f);
      cpu.upload(new NDArray(Shape.of(10, 100), values), scope);
      assertEquals(live + 4000, CpuBackend.liveNativeBytes());
    }
    assertEquals(
        live, CpuBackend.liveNativeBytes(), "a freed tensor is no longer live, cached or not");
    assertTrue(CpuBackend.cachedNativeBytes() > 0);
    CpuBackend.releaseCachedMemory();
    assertEquals(0, CpuBackend.cachedNativeBytes());
  }
}
