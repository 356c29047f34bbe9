package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Closing is the rule, and the safety net catches what slips: native memory of models nobody closed
 * comes back once they are unreachable, with one warning that (on request) says where the first
 * leaked model was created. A closed model is never warned about.
 */
class UnclosedModelCleanerTest {
  private static final NDArray X = TestArrays.uniform(new SplittableRandom(1), -1, 1, 4, 5, 2);
  private static final NDArray Y = TestArrays.uniform(new SplittableRandom(2), -1, 1, 4, 1);

  private final List<LogRecord> warnings = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (warnings) {
            warnings.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void listen() {
    ModelMemory.resetWarning();
    Logger.getLogger("dev.timestep").addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    Logger.getLogger("dev.timestep").removeHandler(capture);
    System.clearProperty(ModelMemory.TRACE_PROPERTY);
  }

  /** Trains a model and drops it without closing it. */
  private static void leakOne(int seed) {
    Sequential m = new Sequential(new LSTM(32), new Dense(1)).backend(CpuBackend.get()).seed(seed);
    m.compile(Loss.mse(), new Adam(1e-2));
    m.fit(X, Y, FitOptions.defaults().epochs(1).batchSize(2));
  }

  /**
   * Collects garbage until the live native bytes are back at {@code target} (or a minute passes).
   */
  private static long collectUntil(long target) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (CpuBackend.liveNativeBytes() != target && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    return CpuBackend.liveNativeBytes();
  }

  @Test
  void unreachableUnclosedModelsAreFreedWithOneWarningNamingWhereTheFirstWasCreated()
      throws Exception {
    long before = CpuBackend.liveNativeBytes();
    System.setProperty(ModelMemory.TRACE_PROPERTY, "true");
    for (int i = 0; i < 20; i++) {
      leakOne(i);
    }
    assertTrue(
        CpuBackend.liveNativeBytes() > before,
        "the leaked models hold native memory until collected");
    assertEquals(
        before,
        collectUntil(before),
        "the cleaner gives back every unclosed model's native memory");
    synchronized (warnings) {
      assertEquals(1, warnings.size(), "one warning, not one per model: " + warnings.size());
      LogRecord w = warnings.get(0);
      assertTrue(
          w.getMessage().contains("was never closed") && w.getMessage().contains("LSTM"),
          w.getMessage());
      assertNotNull(
          w.getThrown(), "with -Dtimestep.leakTrace=true the warning carries the creation stack");
      boolean namesTheTest = false;
      for (StackTraceElement e : w.getThrown().getStackTrace()) {
        namesTheTest |= e.getMethodName().equals("leakOne");
      }
      assertTrue(namesTheTest, "the creation stack points at the code that created the model");
    }
  }

  @Test
  void closedModelsAreNeverWarnedAbout() throws Exception {
    long before = CpuBackend.liveNativeBytes();
    for (int i = 0; i < 5; i++) {
      try (Sequential m = new Sequential(new Dense(1)).backend(CpuBackend.get()).seed(i)) {
        m.build(Shape.of(5, 2));
      }
    }
    assertEquals(before, CpuBackend.liveNativeBytes(), "close frees at once");
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(20);
    }
    synchronized (warnings) {
      assertEquals(0, warnings.size());
    }
  }
}
