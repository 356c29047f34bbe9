package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A stateful recurrent layer in a functional {@link Model} behaves as in a {@link Sequential}: its
 * states carry from call to call until {@link Model#resetStates}, and fit refuses shuffling.
 */
class StatefulFunctionalModelTest {
  private static NDArray series(long seed, int batch, int steps) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, batch, steps, 2);
  }

  private static Model model() {
    Symbolic in = Input.of(4, 2);
    Symbolic h = new LSTM(5).stateful(true).apply(in);
    return new Model(List.of(in), List.of(new Dense(1).apply(h))).backend(CpuBackend.get()).seed(3);
  }

  @Test
  void resetStatesStartsTheNextCallFromZeros() {
    try (Model m = model()) {
      NDArray x = series(1, 3, 4);
      NDArray fresh = m.predict(x);
      NDArray carried = m.predict(x);
      assertFalse(
          java.util.Arrays.equals(fresh.data(), carried.data()),
          "the second call should start from the first call's states");
      m.resetStates();
      assertArrayEquals(fresh.data(), m.predict(x).data());
    }
  }

  @Test
  void fitRefusesShuffling() {
    try (Model m = model()) {
      m.compile(Loss.mse(), new Adam());
      NDArray x = series(2, 6, 4);
      NDArray y = NDArray.zeros(6, 1);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> m.fit(x, y, FitOptions.defaults().batchSize(3)));
      assertTrue(e.getMessage().contains("shuffle(false)"), e::getMessage);
      m.fit(x, y, FitOptions.defaults().batchSize(3).shuffle(false));
    }
  }
}
