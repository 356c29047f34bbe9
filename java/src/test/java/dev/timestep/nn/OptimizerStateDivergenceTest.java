package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One finite but extreme batch (inputs ×1e17) gives a finite loss and finite gradients whose
 * squares overflow: Adam's second moment becomes +Inf and every later update of those weights is 0,
 * so the model would silently stop learning. The divergence guard treats non-finite optimizer state
 * as divergence: the same error as a NaN loss, and the weights of the last finite step.
 */
class OptimizerStateDivergenceTest {
  private static final int ROWS = 64;
  private static final int BATCH = 8;

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  private static float[] weights(Sequential m) {
    return m.backend().download(m.parameters().values()).data();
  }

  /** x [64, 4] in [-1, 1] and y = x·(1, -2, 0.5, 3) + 0.25. */
  private static NDArray[] linearData() {
    NDArray x = TestArrays.uniform(new SplittableRandom(11), -1, 1, ROWS, 4);
    float[] y = new float[ROWS];
    float[] w = {1, -2, 0.5f, 3};
    for (int i = 0; i < ROWS; i++) {
      float s = 0.25f;
      for (int j = 0; j < 4; j++) {
        s += w[j] * x.get(i, j);
      }
      y[i] = s;
    }
    return new NDArray[] {x, NDArray.of(y, ROWS, 1)};
  }

  /** The inputs with batch 2's rows (8..15, unshuffled) scaled by 1e17: finite, but extreme. */
  private static NDArray extremeSecondBatch(NDArray x) {
    float[] d = x.data().clone();
    for (int i = BATCH * 4; i < 2 * BATCH * 4; i++) {
      d[i] *= 1e17f;
    }
    return NDArray.of(d, ROWS, 4);
  }

  private static Sequential model(String backendName) {
    return new Sequential(new Dense(1)).backend(backend(backendName)).seed(5);
  }

  private static double trainedLoss(Sequential m, NDArray x, NDArray y) {
    History h = m.fit(x, y, FitOptions.defaults().epochs(30).batchSize(BATCH).shuffle(false));
    return h.last("loss");
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void anOverflowingSecondMomentStopsTrainingLikeANaNLoss(String backendName) {
    NDArray[] data = linearData();
    NDArray extreme = extremeSecondBatch(data[0]);
    double fresh;
    try (Sequential m = model(backendName)) {
      m.compile(Loss.mse(), new Adam(0.05));
      fresh = trainedLoss(m, data[0], data[1]);
    }
    try (Sequential m = model(backendName)) {
      m.compile(Loss.mse(), new Adam(0.05));
      float[][] afterBatch = new float[1][];
      Callback recorder =
          new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, java.util.Map<String, Double> logs) {
              double meanLoss = logs.get("loss");
              if (!Double.isFinite(meanLoss)) {
                return; // the diverged batch: fit throws next
              }
              afterBatch[0] = weights(m);
            }
          };
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  m.fit(
                      extreme,
                      data[1],
                      FitOptions.defaults()
                          .epochs(1)
                          .batchSize(BATCH)
                          .shuffle(false)
                          .callbacks(recorder)));
      assertTrue(
          e.getMessage().contains("diverged at epoch 1, batch 2")
              && e.getMessage().contains("optimizer state"),
          e.getMessage());
      assertArrayEquals(afterBatch[0], weights(m), "the weights of the last finite step (batch 1)");
      // A new optimizer continues from those weights and learns as a fresh model does.
      m.compile(Loss.mse(), new Adam(0.05));
      double after = trainedLoss(m, data[0], data[1]);
      assertTrue(
          after < 2 * fresh + 1e-3, "loss after 30 epochs " + after + " vs " + fresh + " fresh");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void aSyncWindowChecksTheOptimizerStateToo(String backendName) {
    NDArray[] data = linearData();
    NDArray extreme = extremeSecondBatch(data[0]);
    try (Sequential m = model(backendName)) {
      m.compile(Loss.mse(), new Adam(0.05));
      m.build(extreme.shape().dropFirst());
      float[] before = weights(m);
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  m.fit(
                      extreme,
                      data[1],
                      FitOptions.defaults()
                          .epochs(1)
                          .batchSize(BATCH)
                          .shuffle(false)
                          .syncEvery(4)));
      assertTrue(
          e.getMessage().contains("diverged in epoch 1, batches 1-4")
              && e.getMessage().contains("optimizer state"),
          e.getMessage());
      assertArrayEquals(before, weights(m), "the weights from before the window");
    }
  }
}
