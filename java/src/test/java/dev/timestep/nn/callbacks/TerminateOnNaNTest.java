package dev.timestep.nn.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.nn.Callback;
import dev.timestep.nn.Dense;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.History;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TrainingDivergedException;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * TerminateOnNaN with Adam at a wild learning rate (as DivergenceTest): the first updates stay
 * finite, then a loss overflows. fit returns instead of throwing, with the last finite weights.
 */
class TerminateOnNaNTest {
  /** Records the weights after every batch that finished with a finite loss. */
  private static final class LastFinite extends Callback {
    float[] weights;
    int batches;
    int epochs;

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
      if (Double.isFinite(logs.get("loss"))) {
        weights = Scripted.weightsOf(model());
        batches++;
      }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
      epochs++;
    }
  }

  private static Sequential diverging(Backend backend) {
    Sequential m = new Sequential(new SimpleRNN(3), new Dense(1)).backend(backend).seed(2);
    m.compile(Loss.mse(), new Adam(1e37));
    return m;
  }

  @ParameterizedTest
  @CsvSource({"reference, 1", "cpu, 1", "reference, 3"})
  void fitReturnsTheHistorySoFarWithTheLastFiniteWeights(String backendName, int syncEvery) {
    Backend backend = backendName.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
    SplittableRandom random = new SplittableRandom(4);
    NDArray x = TestArrays.uniform(random, 0.5, 1, 32, 6, 1);
    NDArray y = TestArrays.uniform(random, -1, 1, 32, 1);
    FitOptions options =
        FitOptions.defaults().epochs(20).batchSize(8).shuffle(false).syncEvery(syncEvery);
    try (Sequential m = diverging(backend)) {
      assertThrows(TrainingDivergedException.class, () -> m.fit(x, y, options));
    }
    try (Sequential m = diverging(backend)) {
      m.build(x.shape().dropFirst());
      float[] initial = Scripted.weightsOf(m);
      LastFinite recorder = new LastFinite();
      TerminateOnNaN terminate = new TerminateOnNaN();
      History h =
          m.fit(
              x, y, options.validation(x.rows(0, 8), y.rows(0, 8)).callbacks(recorder, terminate));
      assertNotNull(terminate.stoppedAt());
      int epochs = h.epochs();
      assertEquals(recorder.epochs, epochs, "the diverged epoch is recorded, and is the last");
      assertTrue(epochs < 20);
      assertTrue(Double.isNaN(h.last("loss")), "the diverged epoch's training loss is NaN");
      assertEquals(
          m.evaluate(x.rows(0, 8), y.rows(0, 8), 8).get("loss"),
          h.last("val_loss"),
          "validated with the weights fit returns");
      for (int e = 0; e < epochs - 1; e++) {
        assertFalse(Double.isNaN(h.epoch(e).get("loss")));
      }
      float[] expected = recorder.weights == null ? initial : recorder.weights;
      assertArrayEquals(expected, Scripted.weightsOf(m), "the last finite weights");
      assertTrue(terminate.stoppedAt().startsWith("epoch " + epochs + ", batch "));
    }
  }

  @Test
  void aFiniteRunIsNotStopped() {
    TerminateOnNaN terminate = new TerminateOnNaN();
    try (Sequential m = Scripted.model(0.01)) {
      NDArray[] d = Scripted.data();
      History h = m.fit(d[0], d[1], FitOptions.defaults().epochs(3).callbacks(terminate));
      assertEquals(3, h.epochs());
      assertNull(terminate.stoppedAt());
    }
  }
}
