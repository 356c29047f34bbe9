package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import org.junit.jupiter.api.Test;

/** A missing array is named, not met with a NullPointerException, on every training entry. */
class NullDataTest {
  private static Sequential compiled() {
    Sequential m = new Sequential(new Dense(1)).backend(ReferenceBackend.float32());
    m.compile(Loss.mse(), new Adam());
    return m;
  }

  private static void refused(String message, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertEquals(message, e.getMessage());
  }

  @Test
  void fitTrainOnBatchAndInputGradientsNameTheMissingArray() {
    try (Sequential m = compiled()) {
      NDArray x = NDArray.zeros(2, 3);
      NDArray y = NDArray.zeros(2, 1);
      refused("fit X is null", () -> m.fit(null, y, FitOptions.defaults()));
      refused("fit Y is null", () -> m.fit(x, null, FitOptions.defaults()));
      refused("trainOnBatch X is null", () -> m.trainOnBatch(null, y));
      refused("trainOnBatch Y is null", () -> m.trainOnBatch(x, null));
      refused("inputGradients X is null", () -> m.inputGradients(null));
      refused("inputGradients Y is null", () -> m.inputGradients(x, null));
    }
  }
}
