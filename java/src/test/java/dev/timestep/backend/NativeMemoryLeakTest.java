package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Native memory of the CPU backend is released by {@link Scope#close()}, deterministically, not by
 * the garbage collector. Measured with the CPU backend's exact byte counter, {@link
 * CpuBackend#liveNativeBytes()}, which every CPU tensor's storage goes through.
 *
 * <p>Tolerance: 0 bytes. After the cycles the counter must be exactly where it started; any tensor
 * not freed by its scope would leave its bytes counted. The counter moves only when a storage is
 * allocated or freed, never with the garbage collector, so the baseline is exact.
 */
class NativeMemoryLeakTest {
  private static final int CYCLES = 200;

  private final Backend cpu = CpuBackend.get();

  /** One training-step-shaped burst of work: uploads, temporaries and every kind of op. */
  private void cycle(Scope scope, SplittableRandom random) {
    Tensor x = cpu.upload(TestArrays.uniform(random, -1, 1, 4, 5, 3), scope);
    Tensor w = cpu.upload(TestArrays.uniform(random, -1, 1, 3, 6), scope);
    Tensor bias = cpu.upload(TestArrays.uniform(random, -1, 1, 6), scope);
    Tensor last = cpu.allocate(Shape.of(4, 3), scope);
    Tensor h = cpu.allocate(Shape.of(4, 6), scope);
    Tensor y = cpu.allocate(Shape.of(4, 6), scope);
    Tensor target = cpu.upload(TestArrays.uniform(random, -1, 1, 4, 6), scope);
    Tensor loss = cpu.allocate(Shape.of(1), scope);
    cpu.lastStep(x, last);
    cpu.matmul(last, false, w, false, h, false);
    cpu.addBias(h, bias, h);
    cpu.activation(Activation.TANH, h, y);
    cpu.mse(y, target, loss);
    Tensor dloss = cpu.upload(NDArray.of(new float[] {1f}, 1), scope);
    Tensor dy = cpu.allocate(y.shape(), scope);
    cpu.mseGrad(y, target, dloss, dy);
    Tensor dh = cpu.allocate(h.shape(), scope);
    cpu.activationGrad(Activation.TANH, y, dy, dh);
    Tensor dw = cpu.allocate(w.shape(), scope);
    cpu.matmul(last, true, dh, false, dw, true);
    cpu.adam(
        w,
        dw,
        cpu.allocate(w.shape(), scope),
        cpu.allocate(w.shape(), scope),
        1e-3f,
        0.9f,
        0.999f,
        1e-7f);
    // Views free nothing themselves and must not confuse the accounting.
    cpu.fill(x.view(3, Shape.of(2, 2)).reshape(Shape.of(4)), 0f);
    assertTrue(Float.isFinite(cpu.readScalar(loss)));
  }

  @Test
  void scopedCyclesReturnNativeMemoryToItsStartingPoint() {
    SplittableRandom random = new SplittableRandom(11);
    try (Scope warmup = new Scope()) {
      cycle(warmup, random); // loads the library and any lazily-created native state first
    }
    long before = CpuBackend.liveNativeBytes();
    for (int i = 0; i < CYCLES; i++) {
      try (Scope scope = new Scope()) {
        cycle(scope, random);
        if (i == 0) {
          // The counter does see our tensors: otherwise the final check would prove nothing.
          assertTrue(
              CpuBackend.liveNativeBytes() > before,
              "tensors in an open scope should count as allocated");
        }
      }
    }
    long after = CpuBackend.liveNativeBytes();
    assertEquals(before, after, "native bytes still held after " + CYCLES + " closed scopes");
  }

  @Test
  void allocationIsCountedExactlyAndFreedByClose() {
    long before = CpuBackend.liveNativeBytes();
    try (Scope scope = new Scope()) {
      cpu.allocate(Shape.of(1000), scope);
      cpu.allocate(Shape.of(24), scope);
      assertEquals(
          before + 1024L * Float.BYTES,
          CpuBackend.liveNativeBytes(),
          "bytes held by two open tensors");
    }
    assertEquals(before, CpuBackend.liveNativeBytes());
  }

  @Test
  void tensorUsedAfterCloseFailsClearly() {
    Tensor t;
    Tensor view;
    try (Scope scope = new Scope()) {
      t = cpu.upload(NDArray.of(new float[] {1, 2, 3, 4}, 2, 2), scope);
      view = t.view(2, Shape.of(2));
    }
    assertTrue(t.isClosed());
    assertTrue(view.isClosed(), "a view reports its storage as closed too");
    assertTrue(t.toString().contains("freed"), t.toString());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> cpu.download(t));
    assertTrue(
        e.getMessage().contains("freed") && e.getMessage().contains("[2, 2]"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> cpu.readScalar(view.view(0, Shape.of(1))));
    assertTrue(e.getMessage().contains("freed"), e.getMessage());
    // Closing again (the scope or the tensor) is harmless and does not double-free.
    t.close();
  }
}
