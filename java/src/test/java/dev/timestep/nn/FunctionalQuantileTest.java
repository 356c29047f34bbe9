package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A functional {@link Model} with the quantile loss takes targets with k times fewer values on the
 * last axis than its outputs, as a Sequential does: it trains exactly as the same Sequential, its
 * loss at a hand-set point is the pinball loss worked out by hand, and other shapes are refused
 * saying which was expected, naming the output.
 */
class FunctionalQuantileTest {
  private static final ReferenceBackend F32 = ReferenceBackend.float32();

  private static NDArray random(long seed, int... dims) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, dims);
  }

  @Test
  void aQuantileModelTrainsExactlyAsTheSameSequential() {
    NDArray x = random(1, 40, 4);
    NDArray y = random(2, 40, 2); // 2 target values, 3 quantiles each: 6 outputs
    Symbolic in = Input.of(4);
    try (Sequential s = new Sequential(new Dense(6)).seed(3).backend(F32);
        Model m = new Model(List.of(in), List.of(new Dense(6).apply(in))).seed(3).backend(F32)) {
      s.compile(Loss.quantile(0.1, 0.5, 0.9), new Adam(1e-2));
      m.compile(Loss.quantile(0.1, 0.5, 0.9), new Adam(1e-2));
      FitOptions options = FitOptions.defaults().epochs(3).batchSize(16).seed(4);
      History hs = s.fit(x, y, options);
      History hm = m.fit(x, y, options);
      assertEquals(hs.series("loss"), hm.series("loss"));
      assertTrue(hm.last("loss") < hm.series("loss").get(0), "loss should fall: " + hm);
      assertEquals(s.evaluate(x, y, 8), m.evaluate(x, y, 8));
    }
  }

  /**
   * Zero weights predict 0 for every quantile. Target 1 with q = 0.25, 0.75: pinball max(q·e, (q -
   * 1)·e) with e = y - p = 1 gives 0.25 and 0.75; target -2 gives (1 - q)·2 = 1.5 and 0.5. Mean of
   * the four: 3 / 4 = 0.75.
   */
  @Test
  void theLossIsThePinballLossOfEachOutputAgainstItsTarget() {
    Symbolic in = Input.of(1);
    Symbolic out = new Dense(2).apply(in);
    try (Model m = new Model(List.of(in), List.of(out)).backend(F32)) {
      m.compile(Loss.quantile(0.25, 0.75), new Adam());
      m.setWeights(List.of(NDArray.zeros(1, 2), NDArray.zeros(2)));
      NDArray x = NDArray.of(new float[] {0.5f, -0.5f}, 2, 1);
      NDArray y = NDArray.of(new float[] {1f, -2f}, 2, 1);
      assertEquals(0.75, m.evaluate(x, y, 2).get("loss"), 1e-7);
      assertArrayEquals(new float[] {0, 0, 0, 0}, m.predict(x).data());
    }
  }

  @Test
  void targetsThatDoNotMatchTheLayoutAreRefusedNamingTheOutput() {
    Symbolic in = Input.of(4);
    Symbolic h = new Dense(5).apply(in);
    try (Model m =
        new Model(List.of(in), List.of(new Dense(6).apply(h), new Dense(3).apply(h)))
            .backend(F32)) {
      m.compile(Loss.quantile(0.1, 0.5, 0.9), new Adam());
      NDArray x = random(3, 8, 4);
      m.fit(List.of(x), List.of(random(4, 8, 2), random(5, 8, 1)), FitOptions.defaults());
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> m.evaluate(List.of(x), List.of(random(4, 8, 2), random(5, 8, 3)), 4));
      assertTrue(e.getMessage().contains("3 predictions per target value"), e.getMessage());
      assertTrue(e.getMessage().contains("output 2"), e.getMessage());
      assertTrue(e.getMessage().contains("expected [1]"), e.getMessage());
    }
  }
}
