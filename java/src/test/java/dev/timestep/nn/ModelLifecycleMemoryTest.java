package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Whole models give their native memory back: 1,000 cycles of build, fit (one epoch of tiny data),
 * predict and close leave the CPU backend's live native bytes exactly where they started (the
 * counter moves only when a block is handed out or given back, so the tolerance is 0 bytes), and
 * the cache of freed blocks ({@link CpuBackend#cachedNativeBytes()}) stops growing once the sizes
 * have been seen. A model or tensor used after close fails clearly.
 */
class ModelLifecycleMemoryTest {
  private static final int CYCLES = 1_000;

  /** A recurrent model on even cycles, a WaveNet-style conv model on odd ones. */
  static Sequential model(int cycle) {
    Sequential m =
        cycle % 2 == 0
            ? new Sequential(new GRU(4).returnSequences(true), new SimpleRNN(3), new Dense(1))
            : new Sequential(
                new Conv1D(4, 2).padding(ConvPadding.CAUSAL),
                new Conv1D(4, 2).padding(ConvPadding.CAUSAL).dilationRate(2),
                new Flatten(),
                new Dense(1));
    return m.backend(CpuBackend.get()).seed(cycle);
  }

  private static void cycle(int i, NDArray x, NDArray y) {
    try (Sequential m = model(i)) {
      m.compile(Loss.mse(), new Adam(1e-2), Metric.mse());
      m.fit(x, y, FitOptions.defaults().epochs(1).batchSize(4).seed(i));
      NDArray out = m.predict(x, 3);
      assertEquals(x.dim(0), out.dim(0));
    }
  }

  @Test
  void buildFitPredictCloseCyclesReturnNativeMemoryExactly() {
    SplittableRandom random = new SplittableRandom(12);
    NDArray x = TestArrays.uniform(random, -1, 1, 8, 6, 1);
    NDArray y = TestArrays.uniform(random, -1, 1, 8, 1);
    for (int i = 0; i < 10; i++) {
      cycle(i, x, y); // loads the library and fills the cache with this workload's block sizes
    }
    long live = CpuBackend.liveNativeBytes();
    long cachedAfterWarmup = CpuBackend.cachedNativeBytes();
    long cachedMax = cachedAfterWarmup;
    for (int i = 0; i < CYCLES; i++) {
      if (i == 0) {
        // The counter does see a model's memory while it is open, or the check below proves
        // nothing.
        try (Sequential open = model(0)) {
          open.build(Shape.of(6, 1));
          assertTrue(
              CpuBackend.liveNativeBytes() > live,
              "an open model's parameters count as live bytes");
        }
      }
      cycle(i, x, y);
      cachedMax = Math.max(cachedMax, CpuBackend.cachedNativeBytes());
    }
    assertEquals(
        live,
        CpuBackend.liveNativeBytes(),
        "native bytes still held after " + CYCLES + " closed models");
    assertTrue(
        cachedMax <= cachedAfterWarmup,
        "the block cache kept growing: "
            + cachedAfterWarmup
            + " bytes after warm-up, up to "
            + cachedMax
            + " later");
    CpuBackend.releaseCachedMemory();
    assertEquals(0, CpuBackend.cachedNativeBytes(), "releaseCachedMemory frees every cached block");
  }

  @Test
  void aClosedModelRefusesEveryUseByName() {
    NDArray x = NDArray.zeros(2, 5, 1);
    NDArray y = NDArray.zeros(2, 1);
    Sequential m = new Sequential(new LSTM(2), new Dense(1)).backend(CpuBackend.get());
    m.compile(Loss.mse(), new Adam());
    m.fit(x, y, FitOptions.defaults());
    Tensor weights = m.parameters().values();
    m.close();
    m.close(); // closing twice is harmless
    Executable[] uses = {
      () -> m.predict(x), () -> m.fit(x, y, FitOptions.defaults()), () -> m.evaluate(x, y, 2),
      () -> m.trainOnBatch(x, y), () -> m.compile(Loss.mse(), new Adam()),
          () -> m.add(new Dense(1)),
      () -> m.build(Shape.of(5, 1))
    };
    for (Executable use : uses) {
      IllegalStateException e = assertThrows(IllegalStateException.class, use);
      assertTrue(
          e.getMessage().contains("was closed") && e.getMessage().contains("LSTM(2) -> dense(1)"),
          e.getMessage());
    }
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> CpuBackend.get().download(weights));
    assertTrue(
        e.getMessage().contains("freed") && e.getMessage().contains(weights.shape().toString()),
        e.getMessage());
  }
}
