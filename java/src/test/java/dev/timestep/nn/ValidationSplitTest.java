package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** validationSplit holds out the last rows, taken before shuffling, as Keras does. */
class ValidationSplitTest {
  private static final SplittableRandom RANDOM = new SplittableRandom(3);
  private static final NDArray X = TestArrays.uniform(RANDOM, -1, 1, 10, 4, 1);
  private static final NDArray Y = TestArrays.uniform(RANDOM, -1, 1, 10, 1);

  private static Sequential model() {
    Sequential m =
        new Sequential(new SimpleRNN(2), new Dense(1)).backend(ReferenceBackend.float32()).seed(4);
    m.compile(Loss.mse(), new Adam(0.01));
    return m;
  }

  private static float[] weights(Sequential m) {
    return m.backend().download(m.parameters().values()).data();
  }

  @Test
  void theLastRowsValidateAndTheFirstRowsTrainShuffled() {
    FitOptions shuffled = FitOptions.defaults().epochs(2).batchSize(3).seed(9);
    try (Sequential split = model();
        Sequential byHand = model()) {
      History h = split.fit(X, Y, shuffled.validationSplit(0.3));
      History expected =
          byHand.fit(
              X.rows(0, 7),
              Y.rows(0, 7),
              FitOptions.defaults()
                  .epochs(2)
                  .batchSize(3)
                  .seed(9)
                  .validation(X.rows(7, 10), Y.rows(7, 10)));
      assertArrayEquals(weights(byHand), weights(split));
      assertEquals(expected.get("val_loss")[1], h.get("val_loss")[1]);
      assertEquals(expected.get("loss")[1], h.get("loss")[1]);
      assertEquals(split.evaluate(X.rows(7, 10), Y.rows(7, 10), 3).get("loss"), h.last("val_loss"));
    }
  }

  @Test
  void validationDataWinsOverASplit() {
    try (Sequential both = model();
        Sequential dataOnly = model()) {
      FitOptions options = FitOptions.defaults().epochs(1).batchSize(4);
      both.fit(X, Y, options.validation(X.rows(0, 2), Y.rows(0, 2)).validationSplit(0.5));
      dataOnly.fit(
          X,
          Y,
          FitOptions.defaults().epochs(1).batchSize(4).validation(X.rows(0, 2), Y.rows(0, 2)));
      assertArrayEquals(weights(dataOnly), weights(both), "every row trained");
    }
  }

  @Test
  void kerasRoundsTheTrainingRowsDown() {
    assertEquals(7, FitLoop.trainingRows(10, 0.3));
    assertEquals(9, FitLoop.trainingRows(10, 0.01));
    assertEquals(71, FitLoop.trainingRows(100, 0.29));
    assertEquals(1, FitLoop.trainingRows(3, 0.5));
    assertEquals(2, FitLoop.trainingRows(3, 0.2)); // floor(2.4)
  }

  @Test
  void aSplitLeavingAnEmptyPartIsRefusedBeforeTraining() {
    try (Sequential m = model()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> m.fit(X.rows(0, 2), Y.rows(0, 2), FitOptions.defaults().validationSplit(0.6)));
      assertTrue(e.getMessage().contains("no row to train on"), e.getMessage()); // floor(0.8)
      e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  m.fit(X.rows(0, 2), Y.rows(0, 2), FitOptions.defaults().validationSplit(1e-20)));
      assertTrue(e.getMessage().contains("no row to validate on"), e.getMessage());
      assertEquals(0, m.optimizer().iterations());
    }
  }

  @Test
  void aSplitOutsideZeroToOneIsRefused() {
    for (double bad : new double[] {-0.1, 1, 1.5, Double.NaN}) {
      assertThrows(
          IllegalArgumentException.class, () -> FitOptions.defaults().validationSplit(bad));
    }
    assertEquals(0, FitOptions.defaults().validationSplit());
  }
}
