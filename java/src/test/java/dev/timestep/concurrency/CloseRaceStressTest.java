package dev.timestep.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.forecast.McDropout;
import dev.timestep.io.ModelFile;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * close() raced against every entry point that reads a model's native memory: the call starts on
 * one thread, close comes from another after a random delay spread over the call's own duration, so
 * closes land before, during and after it. Whatever the interleaving, close returns normally, the
 * call completes or fails with {@link IllegalStateException}, and the native bytes all come back; a
 * free under a running kernel would crash this JVM and fail the build. (The property holds for any
 * timing; the delays only make the overlaps frequent.)
 */
class CloseRaceStressTest {
  private static final int TRIES = 24;
  private static final ExecutorService CALLER = Executors.newSingleThreadExecutor();

  @TempDir static Path dir;
  private static RaceFixture fixture;

  @BeforeAll
  static void train() {
    fixture = new RaceFixture(dir);
  }

  @AfterAll
  static void stop() {
    CALLER.shutdownNow();
  }

  @Test
  void closeRacedAgainstEachEntryPointNeverFreesUnderIt() throws Exception {
    long before = CpuBackend.liveNativeBytes();
    SplittableRandom random = new SplittableRandom(20261205);
    Map<ModelCall, Map<String, Integer>> outcomes = new EnumMap<>(ModelCall.class);
    int id = 0;
    for (ModelCall call : ModelCall.values()) {
      long nanos = duration(call, id++);
      for (int t = 0; t < TRIES; t++) {
        RaceFixture.Case c = fixture.open(id++);
        String outcome = race(() -> ModelCall.outcome(call, c), c.model(), delay(random, nanos));
        outcomes.computeIfAbsent(call, k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
      }
    }
    System.out.println("close races: " + outcomes);
    assertEquals(
        before, CpuBackend.liveNativeBytes(), "native bytes after every race: " + outcomes);
    // The delays must make real overlaps: across all calls, some finished and some were refused.
    int refused = outcomes.values().stream().mapToInt(m -> m.getOrDefault("refused", 0)).sum();
    int completed = outcomes.values().stream().mapToInt(m -> m.getOrDefault("completed", 0)).sum();
    assertTrue(refused > 0 && completed > 0, "races did not overlap both ways: " + outcomes);
  }

  /**
   * The two reported crashes at their size: a save snapshotting tens of megabytes of weights, and
   * MC dropout through a wide LSTM, each closed mid-call.
   */
  @Test
  void largeModelsClosedDuringSaveOrMcDropout() throws Exception {
    long before = CpuBackend.liveNativeBytes();
    SplittableRandom random = new SplittableRandom(7);
    NDArray seq = TestArrays.uniform(new SplittableRandom(2), -1, 1, 4, 12, 3);
    for (int t = 0; t < 8; t++) {
      Sequential dense =
          new Sequential(new Dense(1)).backend(CpuBackend.get()).seed(t).build(Shape.of(4_000_000));
      Path file = dir.resolve("big-" + t + ".tsm");
      race(() -> outcomeOf(() -> ModelFile.save(dense, file)), dense, random.nextLong(30_000_000));
      Sequential lstm =
          new Sequential(new LSTM(512), new Dropout(0.2), new Dense(1))
              .backend(CpuBackend.get())
              .seed(t)
              .build(Shape.of(12, 3));
      race(
          () -> outcomeOf(() -> McDropout.predict(lstm, seq, 16)),
          lstm,
          random.nextLong(40_000_000));
    }
    assertEquals(before, CpuBackend.liveNativeBytes());
  }

  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }

  private static String outcomeOf(Action action) {
    try {
      action.run();
      return "completed";
    } catch (IllegalStateException e) {
      return "refused";
    } catch (Exception e) {
      throw new AssertionError("expected completion or IllegalStateException, got " + e, e);
    }
  }

  /** Runs {@code call} on the caller thread, closes {@code model} here after {@code delayNanos}. */
  private static String race(
      java.util.concurrent.Callable<String> call, Sequential model, long delayNanos)
      throws Exception {
    Future<String> running = CALLER.submit(call);
    LockSupport.parkNanos(delayNanos);
    model.close(); // must return normally: it waits for the call, never frees under it
    assertTrue(model.isClosed());
    return running.get(120, TimeUnit.SECONDS);
  }

  /** How long the call takes undisturbed (median of three), so the delays cover it. */
  private static long duration(ModelCall call, int id) {
    long[] t = new long[3];
    for (int i = 0; i < t.length; i++) {
      RaceFixture.Case c = fixture.open(id * 10 + i);
      long start = System.nanoTime();
      ModelCall.outcome(call, c);
      t[i] = System.nanoTime() - start;
      c.series().close();
    }
    java.util.Arrays.sort(t);
    return t[1];
  }

  private static long delay(SplittableRandom random, long nanos) {
    return random.nextLong(Math.max(1, nanos * 3 / 2));
  }
}
