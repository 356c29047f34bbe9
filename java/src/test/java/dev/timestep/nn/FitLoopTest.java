package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.optim.Adam;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one step path: a window of one batch is a plain step, so it keeps what a step promised before
 * windows were its only route, and the model's reused window carries nothing from one call into the
 * next.
 */
class FitLoopTest {

  private static float[] weights(Sequential m) {
    return m.backend().download(m.parameters().values()).data();
  }

  /**
   * A one-batch window reads the loss before the update: a non-finite loss never reaches the
   * optimizer.
   */
  @Test
  void aOneBatchWindowRefusesANonFiniteLossBeforeTheUpdate() {
    SplittableRandom random = new SplittableRandom(4);
    NDArray x = TestArrays.uniform(random, 0.5, 1, 32, 6, 1);
    NDArray y = TestArrays.uniform(random, -1, 1, 32, 1);
    try (Sequential m =
        new Sequential(new SimpleRNN(3), new Dense(1)).backend(CpuBackend.get()).seed(2)) {
      Adam adam = new Adam(1e37);
      m.compile(Loss.mse(), adam);
      int[] batchesDone = {0};
      float[][] lastFinite = {null};
      Callback recorder =
          new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, java.util.Map<String, Double> logs) {
              double meanLoss = logs.get("loss");
              if (!Double.isFinite(meanLoss)) {
                return; // the diverged batch: fit throws next
              }
              batchesDone[0]++;
              lastFinite[0] = weights(m);
            }
          };
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  m.fit(
                      x,
                      y,
                      FitOptions.defaults()
                          .epochs(5)
                          .batchSize(8)
                          .shuffle(false)
                          .syncEvery(1)
                          .callbacks(recorder)));
      assertTrue(e.getMessage().startsWith("training diverged: loss is "), e.getMessage());
      assertTrue(
          e.getMessage().contains("at epoch 1, batch " + (batchesDone[0] + 1)), e.getMessage());
      assertEquals(
          batchesDone[0],
          adam.iterations(),
          "the optimizer must not have stepped on the failing batch");
      assertArrayEquals(lastFinite[0], weights(m));
    }
  }

  /** An optimizer that throws (not a divergence) on its first step, before touching anything. */
  private static final class FailingOnce implements Optimizer {
    private final Adam adam = new Adam(1e-2);
    private boolean failed;

    @Override
    public void step(ParameterStore store) {
      if (!failed) {
        failed = true;
        throw new IllegalStateException("boom");
      }
      adam.step(store);
    }

    @Override
    public double learningRate() {
      return adam.learningRate();
    }

    @Override
    public void setLearningRate(double learningRate) {
      adam.setLearningRate(learningRate);
    }

    @Override
    public long iterations() {
      return adam.iterations();
    }

    @Override
    public void close() {
      adam.close();
    }
  }

  /**
   * A step that failed midway leaves the model's window open; the next fit starts afresh all the
   * same.
   */
  @Test
  void aFailedStepLeavesNothingForTheNextFit() {
    SplittableRandom random = new SplittableRandom(8);
    NDArray x = TestArrays.uniform(random, -1, 1, 20, 5, 2);
    NDArray y = TestArrays.uniform(random, -1, 1, 20, 1);
    NDArray four = x.rows(0, 4);
    FitOptions options = FitOptions.defaults().epochs(2).batchSize(8).syncEvery(1);
    History expected;
    float[] expectedWeights;
    try (Sequential m =
        new Sequential(new GRU(3), new Dense(1)).backend(CpuBackend.get()).seed(6)) {
      m.compile(Loss.mse(), new Adam(1e-2), Metric.mse());
      expected = m.fit(x, y, options);
      expectedWeights = weights(m);
    }
    try (Sequential m =
        new Sequential(new GRU(3), new Dense(1)).backend(CpuBackend.get()).seed(6)) {
      m.compile(Loss.mse(), new FailingOnce(), Metric.mse());
      assertThrows(IllegalStateException.class, () -> m.trainOnBatch(four, y.rows(0, 4)));
      m.compile(Loss.mse(), new Adam(1e-2), Metric.mse());
      History got = m.fit(x, y, options);
      for (String name : new String[] {"loss", "mse"}) {
        assertEquals(expected.series(name), got.series(name), name);
      }
      assertArrayEquals(expectedWeights, weights(m));
    }
  }
}
