package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.ShapeKeepingLayer;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What is not thread-safe is detected, not left to corrupt weights: while one thread trains a
 * model, another thread's predict, evaluate, fit, trainOnBatch or compile throws {@link
 * IllegalStateException} at once (no waiting), and while predictions run, training is refused the
 * same way (close waits instead: see CloseWaitsTest). The refused call changes nothing. Calls are
 * held in place with latches (a callback inside fit, a pass-through layer inside predict), so every
 * overlap is certain, not a matter of timing.
 */
class ConcurrentMisuseTest {
  private static final NDArray X = TestArrays.uniform(new SplittableRandom(1), -1, 1, 8, 5, 1);
  private static final NDArray Y = TestArrays.uniform(new SplittableRandom(2), -1, 1, 8, 1);

  private final ExecutorService other = Executors.newSingleThreadExecutor();
  private Gate gate;
  private Sequential model;

  /** A layer that passes its input through, and can hold a predict call inside the model. */
  private static final class Gate extends ShapeKeepingLayer {
    Gate() {
      super("gate");
    }

    private volatile CountDownLatch entered;
    private volatile CountDownLatch release;

    void arm() {
      entered = new CountDownLatch(1);
      release = new CountDownLatch(1);
    }

    @Override
    public Variable forward(Tape tape, Variable input, boolean training) {
      CountDownLatch in = entered;
      if (!training && in != null) {
        entered = null;
        in.countDown();
        await(release);
      }
      return input;
    }
  }

  /** A callback that holds fit after its first batch until released. */
  private static final class Pause extends Callback {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void onTrainBatchEnd(int batch, java.util.Map<String, Double> logs) {
      if (entered.getCount() > 0) {
        entered.countDown();
        await(release);
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(30, TimeUnit.SECONDS), "latch timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void setUp() {
    gate = new Gate();
    model = new Sequential(gate, new SimpleRNN(3), new Dense(1)).backend(CpuBackend.get()).seed(4);
    model.compile(Loss.mse(), new Adam(1e-2));
    model.fit(X, Y, FitOptions.defaults().batchSize(4));
  }

  @AfterEach
  void tearDown() {
    other.shutdownNow();
    model.close();
  }

  private float[] weights() {
    return model.backend().download(model.parameters().values()).data();
  }

  private static void assertRefused(String operation, Executable call) {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, call, operation + " should be refused");
    assertTrue(
        e.getMessage().contains(operation + " refused") && e.getMessage().contains("busy"),
        e.getMessage());
  }

  @Test
  void whileFitRunsEveryOtherCallIsRefusedAndTheWeightsAreUntouched() throws Exception {
    Pause pause = new Pause();
    Future<History> fit =
        other.submit(() -> model.fit(X, Y, FitOptions.defaults().batchSize(4).callbacks(pause)));
    await(pause.entered);
    float[] during = weights();
    assertRefused("predict", () -> model.predict(X));
    assertRefused("evaluate", () -> model.evaluate(X, Y, 4));
    assertRefused("fit", () -> model.fit(X, Y, FitOptions.defaults()));
    assertRefused("trainOnBatch", () -> model.trainOnBatch(X, Y));
    assertRefused("compile", () -> model.compile(Loss.mse(), new Adam()));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.predict(X));
    assertTrue(e.getMessage().contains("busy with fit on thread"), e.getMessage());
    assertArrayEquals(during, weights(), "refused calls must not touch the weights");
    pause.release.countDown();
    assertEquals(1, fit.get(30, TimeUnit.SECONDS).epochs(), "the running fit finishes normally");
    assertFalse(model.isClosed());
    model.predict(X); // and the model is free again
  }

  @Test
  void whilePredictRunsTrainingIsRefused() throws Exception {
    gate.arm();
    CountDownLatch entered = gate.entered;
    Future<NDArray> prediction = other.submit(() -> model.predict(X));
    await(entered);
    float[] before = weights();
    assertRefused("fit", () -> model.fit(X, Y, FitOptions.defaults()));
    assertRefused("trainOnBatch", () -> model.trainOnBatch(X, Y));
    assertArrayEquals(before, weights());
    // Another read-only call is fine meanwhile.
    assertTrue(model.evaluate(X, Y, 4).containsKey("loss"));
    gate.release.countDown();
    assertEquals(8, prediction.get(30, TimeUnit.SECONDS).dim(0));
    model.trainOnBatch(X, Y); // free again
  }

  @Test
  void aCallbackMayPredictInsideFitButNotTrainAgain() {
    float[][] seen = new float[1][];
    IllegalStateException[] nested = new IllegalStateException[1];
    Callback callback =
        new Callback() {
          @Override
          public void onEpochEnd(int epoch, java.util.Map<String, Double> values) {
            seen[0] = model.predict(X).data();
            try {
              model.trainOnBatch(X, Y);
            } catch (IllegalStateException e) {
              nested[0] = e;
            }
          }
        };
    model.fit(X, Y, FitOptions.defaults().callbacks(callback));
    assertEquals(8, seen[0].length);
    assertTrue(
        nested[0] != null && nested[0].getMessage().contains("earlier on this same thread"),
        String.valueOf(nested[0]));
  }
}
