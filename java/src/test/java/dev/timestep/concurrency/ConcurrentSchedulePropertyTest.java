package dev.timestep.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.testing.PropertyRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random concurrent schedules on one model: 2,000 schedules of 8 threads, each thread running 1-3
 * random calls (fit, trainOnBatch, predict, evaluate, save, MC dropout, forecasts, imputation, a
 * custom tape loop, close, ...) released together. In every schedule each call completes or is
 * refused with an {@link IllegalStateException}, no call hangs, and once the model is closed the
 * native bytes are back where they started. A free under a running kernel would crash the JVM.
 */
class ConcurrentSchedulePropertyTest {
  private static final int SCHEDULES = 2_000;
  private static final int THREADS = 8;
  private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS);

  @TempDir static Path dir;
  private static RaceFixture fixture;
  private static final Map<String, Integer> CALLS = new TreeMap<>();

  @BeforeAll
  static void train() {
    fixture = new RaceFixture(dir);
  }

  @AfterAll
  static void stop() {
    POOL.shutdownNow();
  }

  /** What each thread runs, in order; a schedule's calls are drawn with close one in ~8 draws. */
  record Schedule(List<List<ModelCall>> threads) {
    static Schedule draw(SplittableRandom random) {
      ModelCall[] calls = ModelCall.values();
      List<List<ModelCall>> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        List<ModelCall> mine = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
          mine.add(
              random.nextInt(8) == 0 ? null : calls[random.nextInt(calls.length)]); // null: close
        }
        threads.add(mine);
      }
      return new Schedule(threads);
    }

    @Override
    public String toString() {
      return threads.toString().replace("null", "CLOSE");
    }
  }

  @Test
  void everyScheduleCompletesOrRefusesCleanlyAndFreesEverything() {
    long before = CpuBackend.liveNativeBytes();
    int[] id = {0};
    Map<String, Integer> outcomes =
        PropertyRunner.forAll(
            "concurrent schedules",
            20261205L,
            SCHEDULES,
            Schedule::draw,
            s -> play(s, id[0]++, before));
    int total = outcomes.values().stream().mapToInt(Integer::intValue).sum();
    System.out.println(
        "concurrent schedules: " + total + " schedules " + outcomes + ", calls " + CALLS);
    if (total >= 100) { // not when replaying one schedule
      assertTrue(
          CALLS.getOrDefault("completed", 0) > 0
              && CALLS.getOrDefault("refused", 0) > 0
              && CALLS.getOrDefault("close", 0) > 0,
          "schedules must reach completions, refusals and closes: " + CALLS);
    }
  }

  private static String play(Schedule s, int id, long before) throws Exception {
    RaceFixture.Case c = fixture.open(id);
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<List<String>>> running = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      List<ModelCall> mine = s.threads().get(t);
      running.add(
          POOL.submit(
              () -> {
                start.await(60, TimeUnit.SECONDS);
                List<String> seen = new ArrayList<>();
                for (ModelCall call : mine) {
                  if (call == null) {
                    c.model()
                        .close(); // from another thread than any running call: waits, never throws
                    seen.add("close");
                  } else {
                    seen.add(ModelCall.outcome(call, c));
                  }
                }
                return seen;
              }));
    }
    boolean anyRefused = false;
    for (Future<List<String>> f : running) {
      List<String> seen;
      try {
        seen = f.get(120, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("a call hung for 2 minutes in schedule " + s, e);
      }
      for (String o : seen) {
        synchronized (CALLS) {
          CALLS.merge(o, 1, Integer::sum);
        }
        anyRefused |= o.equals("refused");
      }
    }
    c.series().close();
    assertEquals(before, CpuBackend.liveNativeBytes(), "native bytes left after schedule " + s);
    return anyRefused ? "some refused" : "all completed";
  }
}
