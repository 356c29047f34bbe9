package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** How fit drives callbacks: hook order, logs, params, the model, and stop requests. */
class CallbacksInFitTest {
  private static final SplittableRandom RANDOM = new SplittableRandom(11);
  private static final NDArray X = TestArrays.uniform(RANDOM, -1, 1, 10, 4, 1);
  private static final NDArray Y = TestArrays.uniform(RANDOM, -1, 1, 10, 1);

  private static Sequential model() {
    Sequential m =
        new Sequential(new SimpleRNN(2), new Dense(1)).backend(ReferenceBackend.float32()).seed(1);
    m.compile(Loss.mse(), new Adam(0.01), Metric.mse());
    return m;
  }

  /** Writes down every hook call, and can ask to stop at one. */
  private static class Recorder extends Callback {
    final List<String> events = new ArrayList<>();
    final List<Map<String, Double>> batchLogs = new ArrayList<>();
    String stopAt = "";

    private void note(String event) {
      events.add(event);
      if (event.equals(stopAt)) {
        stopTraining();
      }
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
      note("trainBegin");
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
      note("trainEnd");
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
      note("epochBegin " + epoch);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
      note("epochEnd " + epoch);
    }

    @Override
    public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
      note("batchBegin " + batch);
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
      batchLogs.add(Map.copyOf(logs));
      note("batchEnd " + batch);
    }
  }

  @Test
  void hooksRunInKerasOrder() {
    Recorder r = new Recorder();
    try (Sequential m = model()) {
      m.fit(X, Y, FitOptions.defaults().epochs(2).batchSize(5).callbacks(r));
    }
    assertEquals(
        List.of(
            "trainBegin",
            "epochBegin 0",
            "batchBegin 0",
            "batchEnd 0",
            "batchBegin 1",
            "batchEnd 1",
            "epochEnd 0",
            "epochBegin 1",
            "batchBegin 0",
            "batchEnd 0",
            "batchBegin 1",
            "batchEnd 1",
            "epochEnd 1",
            "trainEnd"),
        r.events);
  }

  @Test
  void batchLogsAreTheEpochsRunningMeans() {
    Recorder r = new Recorder();
    float[] stepLosses = new float[3];
    try (Sequential m = model()) {
      History h =
          m.fit(X, Y, FitOptions.defaults().epochs(1).batchSize(4).shuffle(false).callbacks(r));
      // the same steps by hand, from the same start: batches of 4, 4 and 2 rows
      try (Sequential twin = model()) {
        stepLosses[0] = twin.trainOnBatch(X.rows(0, 4), Y.rows(0, 4));
        stepLosses[1] = twin.trainOnBatch(X.rows(4, 8), Y.rows(4, 8));
        stepLosses[2] = twin.trainOnBatch(X.rows(8, 10), Y.rows(8, 10));
      }
      double[] expected = {
        stepLosses[0],
        (4.0 * stepLosses[0] + 4.0 * stepLosses[1]) / 8,
        (4.0 * stepLosses[0] + 4.0 * stepLosses[1] + 2.0 * stepLosses[2]) / 10
      };
      for (int b = 0; b < 3; b++) {
        assertEquals(expected[b], r.batchLogs.get(b).get("loss"), 1e-6);
        assertTrue(r.batchLogs.get(b).containsKey("mse"));
      }
      assertEquals(expected[2], h.last("loss"), 1e-6);
    }
  }

  @Test
  void aStopAskedInABatchHookEndsTheEpochAfterThatBatch() {
    Recorder r = new Recorder();
    r.stopAt = "batchEnd 1";
    try (Sequential m = model()) {
      History h =
          m.fit(
              X,
              Y,
              FitOptions.defaults()
                  .epochs(5)
                  .batchSize(2)
                  .validation(X, Y)
                  .shuffle(false)
                  .callbacks(r));
      assertEquals(1, h.epochs());
      assertEquals(2, m.optimizer().iterations(), "two of five batches ran");
      // the epoch is recorded over the batches it ran, and validated
      assertEquals(r.batchLogs.get(1).get("loss"), h.last("loss"), 1e-12);
      assertTrue(h.epoch(0).containsKey("val_loss"));
      assertEquals(List.of("epochEnd 0", "trainEnd"), r.events.subList(6, r.events.size()));
    }
  }

  @Test
  void aStopAskedInAnEpochHookEndsTrainingAfterThatEpoch() {
    Recorder r = new Recorder();
    r.stopAt = "epochEnd 1";
    try (Sequential m = model()) {
      History h = m.fit(X, Y, FitOptions.defaults().epochs(5).batchSize(5).callbacks(r));
      assertEquals(2, h.epochs());
      assertEquals(4, m.optimizer().iterations());
      assertEquals("trainEnd", r.events.get(r.events.size() - 1));
    }
  }

  @Test
  void aCallbackSeesTheModelAndTheParams() {
    List<Object> seen = new ArrayList<>();
    Callback c =
        new Callback() {
          @Override
          public void onTrainBegin(Map<String, Double> logs) {
            seen.add(model());
            seen.add(params());
          }
        };
    try (Sequential m = model()) {
      History h = m.fit(X, Y, FitOptions.defaults().epochs(3).batchSize(4).callbacks(c));
      assertSame(m, seen.get(0));
      assertEquals(new FitParams(3, 3, 0), seen.get(1));
      assertEquals(new FitParams(3, 3, 0), h.params());
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.model());
    assertTrue(e.getMessage().contains("only inside fit"), e.getMessage());
  }

  @Test
  void aCallbackServesOneFitAtATime() {
    IllegalStateException[] refused = new IllegalStateException[1];
    try (Sequential m = model();
        Sequential other = model()) {
      Callback c =
          new Callback() {
            @Override
            public void onTrainBegin(Map<String, Double> logs) {
              if (model() == m) {
                refused[0] =
                    assertThrows(
                        IllegalStateException.class,
                        () -> other.fit(X, Y, FitOptions.defaults().callbacks(this)));
              }
            }
          };
      m.fit(X, Y, FitOptions.defaults().callbacks(c));
      assertTrue(refused[0].getMessage().contains("already attached"), refused[0].getMessage());
      other.fit(X, Y, FitOptions.defaults().callbacks(c)); // reusable once the first fit is over
    }
  }

  @Test
  void callbackListsRefuseNullsAndRepeats() {
    Callback c = new Callback() {};
    assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().callbacks(c, c));
    assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().callbacks(c, null));
    assertThrows(
        IllegalArgumentException.class, () -> FitOptions.defaults().callbacks((Callback[]) null));
    assertEquals(List.of(c), FitOptions.defaults().callbacks(c).callbacks());
  }

  @Test
  void verboseIsZeroOneOrTwoAndSilentByDefault() {
    assertEquals(0, FitOptions.defaults().verbose());
    assertEquals(2, FitOptions.defaults().verbose(2).verbose());
    assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().verbose(3));
    assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().verbose(-1));
  }
}
