package dev.timestep.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * 64 threads each push a distinct series into their own stream while other threads snapshot those
 * streams, restore the snapshots into scratch streams, push batches, and open and close streams:
 * nothing fails, and every pushing thread's forecasts equal those of the same series streamed alone
 * beforehand (no state crosses streams).
 */
class StreamingConcurrencyTest {
  private static final int PUSHERS = 64;
  private static final int POINTS = 25;

  private static float value(int series, int t) {
    return (float) Math.sin(0.1 * (series + 1) * t + series);
  }

  @Test
  void manyThreadsOnTheirOwnStreamsNeverSeeAnotherStreamsState() throws Exception {
    try (Sequential m =
            new Sequential(
                    new LSTM(8).returnSequences(true),
                    new LSTM(8).returnSequences(true),
                    new TimeDistributed(new Dense(2)))
                .backend(CpuBackend.get())
                .seed(5);
        StreamingForecaster f = StreamingForecaster.of(m.build(Shape.of(10, 1)))) {
      float[][][] expected = new float[PUSHERS][POINTS][];
      for (int i = 0; i < PUSHERS; i++) {
        try (ForecastStream alone = f.open()) {
          for (int t = 0; t < POINTS; t++) {
            expected[i][t] = alone.push(value(i, t));
          }
        }
      }
      List<ForecastStream> streams = new ArrayList<>();
      for (int i = 0; i < PUSHERS; i++) {
        streams.add(f.open());
      }
      Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
      AtomicBoolean done = new AtomicBoolean();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < PUSHERS; i++) {
        int series = i;
        threads.add(
            new Thread(
                () -> {
                  try {
                    start.await();
                    for (int t = 0; t < POINTS; t++) {
                      assertArrayEquals(
                          expected[series][t],
                          streams.get(series).push(value(series, t)),
                          "series " + series + " point " + t);
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }));
      }
      for (int i = 0; i < 8; i++) {
        int seed = i;
        threads.add(
            new Thread(
                () -> {
                  try (ForecastStream scratch = f.open()) {
                    start.await();
                    int k = seed;
                    while (!done.get()) {
                      StreamState s = streams.get(k++ % PUSHERS).snapshot();
                      assertTrue(s.steps() >= 0 && s.steps() <= POINTS);
                      scratch.restore(StreamState.fromBytes(s.toBytes()));
                      scratch.push(0.5f);
                      try (ForecastStream brief = f.open()) {
                        List<ForecastStream> pair = List.of(brief, scratch);
                        f.push(pair, new float[][] {{0.1f}, {0.2f}});
                      }
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }));
      }
      threads.forEach(Thread::start);
      start.countDown();
      for (int i = 0; i < PUSHERS; i++) {
        threads.get(i).join();
      }
      done.set(true);
      for (Thread t : threads) {
        t.join();
      }
      if (!failures.isEmpty()) {
        throw new AssertionError(
            failures.size() + " failures, first: " + failures.peek(), failures.peek());
      }
      for (ForecastStream s : streams) {
        assertEquals(POINTS, s.steps());
      }
    }
  }
}
