package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FitOptions#syncEvery}: reading the loss back every n batches instead of every batch trains
 * exactly the same weights, reports the same epoch means, calls the callbacks at each read, and
 * still stops a diverging run with the weights from before the failing window.
 */
class SyncEveryTest {

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  private static float[] weights(Sequential m) {
    return m.backend().download(m.parameters().values()).data();
  }

  /** 30 series: batches of 8, 8, 8 and 6, so windows also meet the short last batch. */
  private static NDArray[] data(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    return new NDArray[] {
      TestArrays.uniform(r, -1, 1, 30, 5, 1), TestArrays.uniform(r, -1, 1, 30, 1)
    };
  }

  private static Sequential model(Backend b) {
    Sequential m = new Sequential(new SimpleRNN(4), new Dense(1)).backend(b).seed(7);
    m.compile(Loss.mse(), new Adam(1e-2), Metric.mse());
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void everyNBatchesTrainsTheSameWeightsAndReportsTheSameMeans(String backendName) {
    NDArray[] d = data(1);
    float[] expected;
    History reference;
    try (Sequential m = model(backend(backendName))) {
      reference = m.fit(d[0], d[1], FitOptions.defaults().epochs(3).batchSize(8).syncEvery(1));
      expected = weights(m);
    }
    for (int every : new int[] {2, 3, 16}) {
      try (Sequential m = model(backend(backendName))) {
        History h =
            m.fit(d[0], d[1], FitOptions.defaults().epochs(3).batchSize(8).syncEvery(every));
        assertArrayEquals(expected, weights(m), "weights with syncEvery(" + every + ")");
        for (String name : List.of("loss", "mse")) {
          List<Double> want = reference.series(name);
          List<Double> got = h.series(name);
          for (int e = 0; e < want.size(); e++) {
            assertEquals(
                want.get(e),
                got.get(e),
                1e-6 * Math.abs(want.get(e)),
                name + " of epoch " + (e + 1) + " with syncEvery(" + every + ")");
          }
        }
      }
    }
  }

  @Test
  void theCallbackHearsOfEachRead() {
    NDArray[] d = data(2);
    List<Integer> batchesHeard = new ArrayList<>();
    Callback callback =
        new Callback() {
          @Override
          public void onTrainBatchEnd(int batch, java.util.Map<String, Double> logs) {
            double meanLoss = logs.get("loss");
            batchesHeard.add(batch);
            assertTrue(Double.isFinite(meanLoss) && meanLoss > 0, "mean loss " + meanLoss);
          }
        };
    try (Sequential m = model(CpuBackend.get())) {
      m.fit(
          d[0],
          d[1],
          FitOptions.defaults().epochs(2).batchSize(8).syncEvery(2).callbacks(callback));
    }
    // per epoch (0-based): after batches 0-1 together, batch 2 alone (the short batch 3 cannot join
    // its window), then batch 3
    assertEquals(List.of(1, 2, 3, 1, 2, 3), batchesHeard);
  }

  /** Adam with a wild learning rate overflows within a few batches (as in DivergenceTest). */
  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void aDivergingWindowIsUndoneAndNamed(String backendName) {
    SplittableRandom random = new SplittableRandom(4);
    NDArray x = TestArrays.uniform(random, 0.5, 1, 32, 6, 1);
    NDArray y = TestArrays.uniform(random, -1, 1, 32, 1);
    try (Sequential m =
        new Sequential(new SimpleRNN(3), new Dense(1)).backend(backend(backendName)).seed(2)) {
      m.compile(Loss.mse(), new Adam(1e37));
      m.build(x.shape().dropFirst());
      float[][] lastRead = {weights(m)};
      Callback recorder =
          new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, java.util.Map<String, Double> logs) {
              double meanLoss = logs.get("loss");
              if (!Double.isFinite(meanLoss)) {
                return; // the diverged batch: fit throws next
              }
              lastRead[0] = weights(m);
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
                          .syncEvery(3)
                          .callbacks(recorder)));
      assertTrue(
          e.getMessage().contains("diverged in epoch") && e.getMessage().contains("batches"),
          e.getMessage());
      assertArrayEquals(lastRead[0], weights(m), "the weights from before the failing window");
      for (float w : weights(m)) {
        assertTrue(Float.isFinite(w));
      }
    }
  }

  @Test
  void badSettingsAreRefusedAndTheCpuBackendsReadEveryBatch() {
    assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().syncEvery(-1));
    assertEquals(0, FitOptions.defaults().syncEvery());
    assertEquals(1, CpuBackend.get().syncInterval());
    assertEquals(1, ReferenceBackend.float32().syncInterval());
  }
}
