package dev.timestep.concurrency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.forecast.IterativeForecast;
import dev.timestep.forecast.McDropout;
import dev.timestep.forecast.McPrediction;
import dev.timestep.io.ModelFile;
import dev.timestep.nn.Callback;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.GateLayer;
import dev.timestep.testing.TestArrays;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * close() never frees memory under a running call: a call held inside the model (a gate layer stops
 * it mid-forward, so the overlap is certain, not timed) finishes with the right answer while close
 * waits for it; only then are the parameters freed. Calls made once close began are refused, a
 * running fit stops at its next batch, and save refuses to snapshot a model another thread is
 * training.
 */
class CloseWaitsTest {
  private static final NDArray X = TestArrays.uniform(new SplittableRandom(1), -1, 1, 8, 6, 1);
  private static final NDArray Y = TestArrays.uniform(new SplittableRandom(2), -1, 1, 8, 1);
  private static final NDArray ONE = X.rows(0, 1);

  private final ExecutorService user = Executors.newSingleThreadExecutor();
  private final ExecutorService closer = Executors.newSingleThreadExecutor();
  private final ExecutorService prober = Executors.newSingleThreadExecutor();
  private GateLayer gate;
  private Sequential model;

  @BeforeEach
  void setUp() {
    gate = new GateLayer();
    model =
        new Sequential(new SimpleRNN(5), gate, new Dropout(0.3), new Dense(1))
            .backend(CpuBackend.get())
            .seed(3);
    model.compile(Loss.mse(), new Adam(1e-2));
    model.fit(X, Y, FitOptions.defaults().batchSize(4).epochs(2));
  }

  @AfterEach
  void tearDown() {
    user.shutdownNow();
    closer.shutdownNow();
    prober.shutdownNow();
    model.close();
  }

  /**
   * Starts close on another thread and returns once it is certainly waiting: a third thread's
   * predict (which passes the disarmed gate) is refused as soon as close has begun.
   */
  private Future<?> closeAndWaitUntilItWaits() throws Exception {
    Future<?> closing = closer.submit(model::close);
    while (!closing
        .isDone()) { // a close that returned (or threw) at once did not wait: the caller's check
      // fails
      try {
        prober.submit(() -> model.predict(ONE)).get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IllegalStateException) {
          return closing;
        }
        throw e;
      }
    }
    return closing;
  }

  private void assertCloseWaitsFor(Future<?> call) throws Exception {
    gate.awaitHeld();
    Future<?> closing = closeAndWaitUntilItWaits();
    assertFalse(
        closing.isDone(), "close must wait while another thread's call runs inside the model");
    assertFalse(model.isClosed());
    gate.open();
    call.get(60, TimeUnit.SECONDS); // finishes normally, on live weights
    closing.get(60, TimeUnit.SECONDS);
    assertTrue(model.isClosed());
  }

  @Test
  void closeWaitsForARunningPredictWhichGetsItsFullAnswer() throws Exception {
    NDArray expected = model.predict(X);
    gate.arm();
    Future<NDArray> prediction = user.submit(() -> model.predict(X));
    assertCloseWaitsFor(prediction);
    assertArrayEquals(expected.data(), prediction.get().data());
  }

  @Test
  void closeWaitsForMcDropout() throws Exception {
    gate.arm();
    Future<McPrediction> mc = user.submit(() -> McDropout.predict(model, X, 16, 7));
    assertCloseWaitsFor(mc);
    assertEquals(8, mc.get().mean().dim(0));
    assertTrue(mc.get().std().data()[0] > 0, "dropout made the samples differ");
  }

  @Test
  void closeWaitsForAWholeForecastNotJustOneOfItsSteps() throws Exception {
    NDArray expected = IterativeForecast.forecast(model, X, 4);
    gate.arm();
    Future<NDArray> forecast = user.submit(() -> IterativeForecast.forecast(model, X, 4));
    assertCloseWaitsFor(forecast);
    assertArrayEquals(expected.data(), forecast.get().data());
  }

  @Test
  void aTapeKeepsTheModelUntilItIsClosedSoBackwardReadsLiveWeights() throws Exception {
    Future<?> closing;
    try (Tape tape = new Tape(model.backend())) {
      Variable pred =
          model.forward(tape, tape.constant(model.backend().upload(X, tape.scope())), true);
      Variable loss =
          Loss.mse().compute(tape, pred, tape.constant(model.backend().upload(Y, tape.scope())));
      closing = closeAndWaitUntilItWaits();
      assertFalse(closing.isDone(), "close must wait while a tape that ran forward is open");
      model.parameters().zeroGrads();
      tape.backward(loss); // reads the weights after forward returned
      assertFalse(closing.isDone());
    }
    closing.get(60, TimeUnit.SECONDS);
    assertTrue(model.isClosed());
  }

  @Test
  void closeStopsARunningFitAtItsNextBatchThenFrees() throws Exception {
    Pause pause = new Pause();
    Future<?> fit =
        user.submit(
            () -> model.fit(X, Y, FitOptions.defaults().batchSize(2).epochs(50).callbacks(pause)));
    assertTrue(pause.inFit.await(60, TimeUnit.SECONDS));
    Future<?> closing = closeAndWaitUntilItWaits();
    assertFalse(closing.isDone(), "close must wait for fit to leave the model");
    pause.resume.countDown();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> fit.get(60, TimeUnit.SECONDS));
    assertTrue(
        e.getCause() instanceof IllegalStateException
            && e.getCause().getMessage().contains("fit stopped at epoch 1, batch 2"),
        String.valueOf(e.getCause()));
    closing.get(60, TimeUnit.SECONDS);
    assertTrue(model.isClosed());
  }

  /** A model of built-in layers only (a model file cannot hold the gate). */
  private static Sequential saveable() {
    Sequential m = new Sequential(new SimpleRNN(5), new Dense(1)).backend(CpuBackend.get()).seed(3);
    m.compile(Loss.mse(), new Adam(1e-2));
    return m;
  }

  @Test
  void saveIsRefusedWhileAnotherThreadTrainsSoAFileNeverMixesTwoSteps(@TempDir Path dir)
      throws Exception {
    model.close();
    model = saveable();
    Pause pause = new Pause();
    Future<?> fit =
        user.submit(
            () -> model.fit(X, Y, FitOptions.defaults().batchSize(2).epochs(2).callbacks(pause)));
    assertTrue(pause.inFit.await(60, TimeUnit.SECONDS));
    Path file = dir.resolve("m.tsm");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ModelFile.save(model, file));
    assertTrue(
        e.getMessage().contains("save refused") && e.getMessage().contains("busy with fit"),
        e.getMessage());
    assertFalse(file.toFile().exists());
    pause.resume.countDown();
    fit.get(60, TimeUnit.SECONDS);
    ModelFile.save(model, file); // free again
    assertTrue(file.toFile().exists());
  }

  @Test
  void aCallbackMaySaveInsideItsOwnFit(@TempDir Path dir) {
    model.close();
    model = saveable();
    Path file = dir.resolve("checkpoint.tsm");
    Callback checkpoint =
        new Callback() {
          @Override
          public void onEpochEnd(int epoch, java.util.Map<String, Double> values) {
            try {
              ModelFile.save(model, file);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };
    model.fit(X, Y, FitOptions.defaults().batchSize(4).epochs(1).callbacks(checkpoint));
    assertTrue(file.toFile().length() > 0);
  }

  @Test
  void closeInsideACallOnTheSameThreadIsRefusedInsteadOfWaitingForItself() {
    IllegalStateException[] refused = new IllegalStateException[1];
    Callback closeInside =
        new Callback() {
          @Override
          public void onEpochEnd(int epoch, java.util.Map<String, Double> values) {
            try {
              model.close();
            } catch (IllegalStateException e) {
              refused[0] = e;
            }
          }
        };
    model.fit(X, Y, FitOptions.defaults().batchSize(4).epochs(1).callbacks(closeInside));
    assertTrue(
        refused[0] != null && refused[0].getMessage().contains("same thread"),
        String.valueOf(refused[0]));
    assertFalse(model.isClosed());
  }

  /** Holds fit after its first batch until {@code resume} is counted down. */
  private static final class Pause extends Callback {
    final CountDownLatch inFit = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);

    @Override
    public void onTrainBatchEnd(int batch, java.util.Map<String, Double> logs) {
      if (inFit.getCount() > 0) {
        inFit.countDown();
        awaitQuietly(resume);
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
