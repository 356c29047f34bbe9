package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numerical failure is loud and harmless: a run whose loss or update turns NaN or infinite stops
 * with an {@link IllegalStateException} naming the epoch and batch, and the model keeps exactly
 * (bit for bit) the weights it had after the last finite step.
 */
class DivergenceTest {

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  private static float[] weights(Sequential m) {
    return m.backend().download(m.parameters().values()).data();
  }

  /** Records the weights after every batch that finished, so a test knows the last finite ones. */
  private static final class WeightRecorder extends Callback {
    private final Sequential model;
    float[] lastFinite;
    int batchesDone;

    WeightRecorder(Sequential model) {
      this.model = model;
    }

    @Override
    public void onTrainBatchEnd(int batch, java.util.Map<String, Double> logs) {
      double meanLoss = logs.get("loss");
      if (!Double.isFinite(meanLoss)) {
        return; // the diverged batch: fit throws next
      }
      lastFinite = weights(model);
      batchesDone++;
    }
  }

  /**
   * Adam with a wild learning rate: the first updates stay finite but push the predictions past
   * float range, so the loss of a later batch is infinite.
   */
  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void anInfiniteLossStopsTrainingAndKeepsTheLastFiniteWeights(String backendName) {
    SplittableRandom random = new SplittableRandom(4);
    NDArray x = TestArrays.uniform(random, 0.5, 1, 32, 6, 1);
    NDArray y = TestArrays.uniform(random, -1, 1, 32, 1);
    try (Sequential m =
        new Sequential(new SimpleRNN(3), new Dense(1)).backend(backend(backendName)).seed(2)) {
      m.compile(Loss.mse(), new Adam(1e37));
      WeightRecorder recorder = new WeightRecorder(m);
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
                          .callbacks(recorder)));
      int failedBatch = recorder.batchesDone + 1; // batches are numbered from 1; 4 per epoch
      String where =
          "epoch " + ((failedBatch - 1) / 4 + 1) + ", batch " + ((failedBatch - 1) % 4 + 1);
      assertTrue(
          e.getMessage().contains("diverged") && e.getMessage().contains(where), e.getMessage());
      assertTrue(recorder.batchesDone >= 1, "the first step should have been finite");
      assertArrayEquals(
          recorder.lastFinite,
          weights(m),
          "the model must keep the weights of the last finite step");
    }
  }

  /** An optimizer that behaves like Adam until its {@code poisonAt}-th step, which writes NaN. */
  private static final class PoisonedOptimizer implements Optimizer {
    private final Adam adam = new Adam(1e-2);
    private final int poisonAt;
    private final float poison;
    private long steps;

    PoisonedOptimizer(int poisonAt, float poison) {
      this.poisonAt = poisonAt;
      this.poison = poison;
    }

    @Override
    public void step(ParameterStore store) {
      steps++;
      adam.step(store);
      if (steps == poisonAt) {
        // as an overflowing or NaN gradient would: one weight goes bad after the update
        store
            .backend()
            .fill(
                store.parameters().get(0).value().view(0, dev.timestep.tensor.Shape.of(1)), poison);
      }
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
      return steps;
    }

    @Override
    public void close() {
      adam.close();
    }
  }

  /**
   * The loss is finite but the update makes a weight NaN or infinite: rolled back, then refused.
   */
  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void anUpdateThatMakesWeightsNonFiniteIsRolledBack(String backendName) {
    for (float poison : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      SplittableRandom random = new SplittableRandom(5);
      NDArray x = TestArrays.uniform(random, -1, 1, 20, 7, 2);
      NDArray y = TestArrays.uniform(random, -1, 1, 20, 1);
      try (Sequential m =
          new Sequential(
                  new Conv1D(4, 2).padding(dev.timestep.backend.ConvPadding.CAUSAL),
                  new GRU(3),
                  new Dense(1))
              .backend(backend(backendName))
              .seed(3)) {
        m.compile(Loss.mse(), new PoisonedOptimizer(7, poison));
        WeightRecorder recorder = new WeightRecorder(m);
        IllegalStateException e =
            assertThrows(
                IllegalStateException.class,
                () ->
                    m.fit(x, y, FitOptions.defaults().epochs(3).batchSize(4).callbacks(recorder)));
        // 5 batches per epoch: the 7th step is epoch 2, batch 2
        assertTrue(e.getMessage().contains("diverged at epoch 2, batch 2"), e.getMessage());
        assertEquals(6, recorder.batchesDone);
        float[] now = weights(m);
        assertArrayEquals(
            recorder.lastFinite, now, "weights after the refused update (poison " + poison + ")");
        assertTrue(Arrays.stream(toDoubles(now)).allMatch(Double::isFinite));
        // The model still works after the error.
        assertTrue(Float.isFinite(m.predict(x).data()[0]));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void trainOnBatchRefusesANonFiniteUpdateToo(String backendName) {
    SplittableRandom random = new SplittableRandom(6);
    NDArray x = TestArrays.uniform(random, -1, 1, 4, 5, 1);
    NDArray y = TestArrays.uniform(random, -1, 1, 4, 1);
    try (Sequential m =
        new Sequential(new LSTM(2), new Dense(1)).backend(backend(backendName)).seed(1)) {
      m.compile(Loss.mse(), new PoisonedOptimizer(2, Float.NaN));
      m.trainOnBatch(x, y);
      float[] before = weights(m);
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> m.trainOnBatch(x, y));
      assertTrue(e.getMessage().contains("diverged at this batch"), e.getMessage());
      assertArrayEquals(before, weights(m));
    }
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
