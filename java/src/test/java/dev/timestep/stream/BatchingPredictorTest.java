package dev.timestep.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.GRU;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Callers get their own rows of one batched predict; a batch runs when it fills or its deadline
 * passes; the queue pushes back when full; close runs what was accepted and closeNow fails it,
 * saying why.
 */
class BatchingPredictorTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private static Sequential model(dev.timestep.backend.Backend b) {
    Sequential m = new Sequential(new GRU(6), new Dense(3)).backend(b).seed(9);
    m.build(Shape.of(7, 2));
    return m;
  }

  private static NDArray sample(long seed) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, 7, 2);
  }

  private static float[] alone(Sequential m, NDArray s) {
    return m.predict(new NDArray(Shape.of(1, 7, 2), s.data()), 1).data();
  }

  @Test
  void aFullBatchRunsAsOnePredictAndEachCallerGetsItsOwnRow() throws Exception {
    try (Sequential m = model(ReferenceBackend.float32());
        BatchingPredictor p = new BatchingPredictor(m, 8, LONG, 8)) {
      List<CompletableFuture<float[]>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(p.submit(sample(i)));
      }
      for (int i = 0; i < 8; i++) {
        // the reference backend's rows do not depend on the batch: bit for bit
        assertArrayEquals(alone(m, sample(i)), futures.get(i).get(), "caller " + i);
      }
      assertEquals(1, p.batchesRun(), "eight requests filled one batch of eight");
    }
  }

  @Test
  void aLoneRequestRunsWhenItsDeadlinePasses() throws Exception {
    try (Sequential m = model(CpuBackend.get());
        BatchingPredictor p = new BatchingPredictor(m, 64, Duration.ofMillis(1), 64)) {
      float[] row = p.predict(sample(1));
      TestArrays.assertAllClose("row", alone(m, sample(1)), row, 1e-6, 1e-6);
      assertEquals(1, p.batchesRun());
    }
  }

  @Test
  void aLoneRequestRunsAfterTheIdleGapNotTheDeadline() throws Exception {
    try (Sequential m = model(CpuBackend.get());
        BatchingPredictor p = new BatchingPredictor(m, 64, LONG, Duration.ofMillis(20), 64)) {
      // waiting out the 30 s deadline would time out here
      float[] row = p.submit(sample(1)).get(10, TimeUnit.SECONDS);
      TestArrays.assertAllClose("row", alone(m, sample(1)), row, 1e-6, 1e-6);
      assertEquals(1, p.batchesRun());
    }
  }

  @Test
  void requestsArrivingWithinTheIdleGapGatherIntoOneBatch() throws Exception {
    try (Sequential m = model(ReferenceBackend.float32());
        BatchingPredictor p = new BatchingPredictor(m, 64, LONG, Duration.ofSeconds(2), 64)) {
      List<CompletableFuture<float[]>> futures = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        futures.add(p.submit(sample(i)));
      }
      for (int i = 0; i < 5; i++) {
        assertArrayEquals(alone(m, sample(i)), futures.get(i).get(10, TimeUnit.SECONDS));
      }
      assertEquals(1, p.batchesRun(), "five requests within the gap ran as one batch");
    }
  }

  @Test
  void aNegativeIdleGapIsRefused() {
    try (Sequential m = model(CpuBackend.get())) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new BatchingPredictor(m, 8, LONG, Duration.ofMillis(-1), 8));
      assertTrue(e.getMessage().contains("idleGap"), e.getMessage());
    }
  }

  @Test
  void closeRunsWhatWasAcceptedWithoutWaitingForTheDeadline() throws Exception {
    try (Sequential m = model(CpuBackend.get())) {
      BatchingPredictor p = new BatchingPredictor(m, 8, LONG, 8);
      List<CompletableFuture<float[]>> accepted = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        accepted.add(p.trySubmit(sample(i))); // gathering: waits for five more or 30 s
      }
      p.close();
      for (int i = 0; i < 3; i++) {
        TestArrays.assertAllClose(
            "row " + i, alone(m, sample(i)), accepted.get(i).get(), 1e-6, 1e-6);
      }
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> p.trySubmit(sample(0)));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
      p.close();
    }
  }

  @Test
  void requestsBeyondTheCapacityAreRefusedAndCloseNowFailsTheWaitingOnes() throws Exception {
    try (Sequential m = model(CpuBackend.get())) {
      BatchingPredictor p = new BatchingPredictor(m, 8, LONG, 3);
      List<CompletableFuture<float[]>> waiting = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        waiting.add(p.trySubmit(sample(i))); // the batch cannot fill: they wait for 30 s
      }
      RejectedExecutionException full =
          assertThrows(RejectedExecutionException.class, () -> p.trySubmit(sample(3)));
      assertTrue(full.getMessage().contains("queue is full"), full.getMessage());
      p.closeNow();
      for (CompletableFuture<float[]> f : waiting) {
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertTrue(e.getCause().getMessage().contains("closeNow"), e.getCause().getMessage());
      }
      assertEquals(0, p.batchesRun());
      assertEquals(3, p.requestsRun());
    }
  }

  @Test
  void badSamplesAreRefusedBeforeTheyAreQueued() {
    try (Sequential m = model(CpuBackend.get());
        BatchingPredictor p = new BatchingPredictor(m, 4, Duration.ofMillis(1), 4)) {
      assertThrows(IllegalArgumentException.class, () -> p.trySubmit(null));
      IllegalArgumentException shape =
          assertThrows(
              IllegalArgumentException.class,
              () -> p.trySubmit(new NDArray(Shape.of(7, 3), new float[21])));
      assertTrue(shape.getMessage().contains("[7, 2]"), shape.getMessage());
      float[] nan = new float[14];
      nan[3] = Float.NaN;
      assertThrows(
          IllegalArgumentException.class, () -> p.trySubmit(new NDArray(Shape.of(7, 2), nan)));
      assertThrows(IllegalArgumentException.class, () -> new BatchingPredictor(m, 0, LONG, 4));
      assertThrows(IllegalArgumentException.class, () -> new BatchingPredictor(m, 8, LONG, 0));
      assertEquals(0, p.requestsRun());
    }
  }

  @Test
  void sixtyFourCallingThreadsEachGetTheirOwnRow() throws Exception {
    try (Sequential m = model(ReferenceBackend.float32());
        BatchingPredictor p = new BatchingPredictor(m, 16, Duration.ofMillis(2), 64)) {
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < 64; t++) {
        int id = t;
        threads.add(
            new Thread(
                () -> {
                  try {
                    for (int k = 0; k < 5; k++) {
                      long seed = id * 100L + k;
                      assertArrayEquals(alone(m, sample(seed)), p.predict(sample(seed)));
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertTrue(failures.isEmpty(), () -> failures.size() + " failures: " + failures.get(0));
      assertEquals(320, p.requestsRun());
      assertTrue(p.batchesRun() < 320, "some requests shared a batch");
    }
  }
}
