package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * setWeights checks everything before it changes anything: a wrong count, a wrong shape (the
 * message names the layer, the array and both shapes), a null or non-finite array leave every
 * weight as it was; an unbuilt, closed or busy model refuses getWeights and setWeights.
 */
class WeightsErrorsTest {
  /**
   * LSTM(4, rs) → LSTM(3) → Dense(1) on [5, 2]: arrays [2,16] [4,16] [16] [4,12] [3,12] [12] [3,1]
   * [1].
   */
  private static Sequential model(Backend b) {
    Sequential m =
        new Sequential(new LSTM(4).returnSequences(true), new LSTM(3), new Dense(1))
            .backend(b)
            .seed(7);
    m.build(Shape.of(5, 2));
    return m;
  }

  /** The model's weights with every value replaced by {@code v}, in the right shapes. */
  private static List<NDArray> filled(Sequential m, float v) {
    List<NDArray> out = new ArrayList<>();
    for (NDArray a : m.getWeights()) {
      float[] d = new float[a.data().length];
      Arrays.fill(d, v);
      out.add(new NDArray(a.shape(), d));
    }
    return out;
  }

  private static void assertUnchanged(List<NDArray> before, Sequential m) {
    List<NDArray> after = m.getWeights();
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i).data(), after.get(i).data(), "array " + i + " changed");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu", "cuda"})
  void wrongCountIsRefusedAndNamesWhatIsExpected(String backend) {
    try (Sequential m = model(WeightsRoundTripTest.backend(backend))) {
      List<NDArray> before = m.getWeights();
      List<NDArray> values = filled(m, 0.5f).subList(0, 7);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.setWeights(values));
      assertEquals(
          "setWeights: the model has 8 weight arrays (lstm kernel, lstm recurrent_kernel, lstm"
              + " bias, lstm_1 kernel, lstm_1 recurrent_kernel, lstm_1 bias, dense kernel, dense"
              + " bias) but got 7; nothing was changed",
          e.getMessage());
      assertUnchanged(before, m);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu", "cuda"})
  void wrongShapeNamesLayerArrayAndBothShapes(String backend) {
    try (Sequential m = model(WeightsRoundTripTest.backend(backend))) {
      List<NDArray> before = m.getWeights();
      List<NDArray> values = filled(m, 0.5f);
      values.set(4, NDArray.zeros(3, 9)); // a GRU-sized recurrent kernel for an LSTM(3)
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.setWeights(values));
      assertEquals(
          "setWeights: lstm_1 recurrent_kernel must have shape [3, 12] (Keras layout) but got"
              + " [3, 9] (array 4); nothing was changed",
          e.getMessage());
      assertUnchanged(before, m);
    }
  }

  @Test
  void sameSizeButTransposedIsRefused() {
    try (Sequential m = model(WeightsRoundTripTest.backend("reference"))) {
      List<NDArray> before = m.getWeights();
      List<NDArray> values = filled(m, 0.5f);
      values.set(0, NDArray.zeros(16, 2)); // PyTorch's weight_ih layout, not transposed
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.setWeights(values));
      assertTrue(
          e.getMessage()
              .contains("lstm kernel must have shape [2, 16] (Keras layout) but got [16, 2]"),
          e.getMessage());
      assertUnchanged(before, m);
    }
  }

  @Test
  void nonFiniteValuesAreRefusedNamingWhere() {
    try (Sequential m = model(WeightsRoundTripTest.backend("cpu"))) {
      List<NDArray> before = m.getWeights();
      List<NDArray> values = filled(m, 0.5f);
      values.get(7).data()[0] = Float.NaN;
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.setWeights(values));
      assertEquals(
          "setWeights: dense bias holds NaN at flat index 0; weights must be finite; nothing was"
              + " changed",
          e.getMessage());
      values.get(7).data()[0] = 0;
      values.get(2).data()[5] = Float.NEGATIVE_INFINITY;
      e = assertThrows(IllegalArgumentException.class, () -> m.setWeights(values));
      assertTrue(
          e.getMessage().contains("lstm bias holds -Infinity at flat index 5"), e.getMessage());
      assertUnchanged(before, m);
    }
  }

  @Test
  void nullListOrArrayIsRefused() {
    try (Sequential m = model(WeightsRoundTripTest.backend("reference"))) {
      List<NDArray> before = m.getWeights();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.setWeights(null));
      assertEquals("setWeights: the list of weights must not be null", e.getMessage());
      List<NDArray> values = filled(m, 0.5f);
      values.set(6, null);
      e = assertThrows(IllegalArgumentException.class, () -> m.setWeights(values));
      assertEquals(
          "setWeights: array 6 (dense kernel) is null; nothing was changed", e.getMessage());
      assertUnchanged(before, m);
    }
  }

  @Test
  void layerLevelErrorsNameTheLayer() {
    try (Sequential m = model(WeightsRoundTripTest.backend("reference"))) {
      List<NDArray> before = m.getWeights();
      Layer second = m.layers().get(1);
      List<NDArray> own = second.getWeights();
      assertEquals(3, own.size());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> second.setWeights(own.subList(0, 2)));
      assertEquals(
          "setWeights: layer lstm_1 has 3 weight arrays (lstm_1 kernel, lstm_1 recurrent_kernel,"
              + " lstm_1 bias) but got 2; nothing was changed",
          e.getMessage());
      List<NDArray> wrong = new ArrayList<>(own);
      wrong.set(2, NDArray.zeros(16));
      e = assertThrows(IllegalArgumentException.class, () -> second.setWeights(wrong));
      assertTrue(
          e.getMessage().contains("lstm_1 bias must have shape [12] (Keras layout) but got [16]"),
          e.getMessage());
      assertUnchanged(before, m);
    }
  }

  @Test
  void unbuiltModelRefuses() {
    try (Sequential m = new Sequential(new Dense(2))) {
      IllegalStateException e = assertThrows(IllegalStateException.class, m::getWeights);
      assertEquals(
          "getWeights: the model is not built yet: call build(shape) or fit first", e.getMessage());
      e = assertThrows(IllegalStateException.class, () -> m.setWeights(List.of()));
      assertEquals(
          "setWeights: the model is not built yet: call build(shape) or fit first", e.getMessage());
      e = assertThrows(IllegalStateException.class, () -> m.layers().get(0).getWeights());
      assertTrue(e.getMessage().contains("not built yet"), e.getMessage());
    }
  }

  @Test
  void closedModelRefuses() {
    Sequential m = model(WeightsRoundTripTest.backend("cpu"));
    Layer first = m.layers().get(0);
    List<NDArray> values = m.getWeights();
    m.close();
    assertTrue(
        assertThrows(IllegalStateException.class, m::getWeights)
            .getMessage()
            .contains("was closed"));
    assertTrue(
        assertThrows(IllegalStateException.class, () -> m.setWeights(values))
            .getMessage()
            .contains("was closed"));
    assertTrue(
        assertThrows(IllegalStateException.class, first::getWeights)
            .getMessage()
            .contains("was closed"));
  }

  @Test
  void aLayerOutsideAModelHasNoWeightsToGive() {
    LSTM free = new LSTM(3);
    IllegalStateException e = assertThrows(IllegalStateException.class, free::getWeights);
    assertTrue(e.getMessage().contains("is not part of a Sequential model"), e.getMessage());
  }

  /** setWeights changes the model, so it needs it alone, as fit does; reads go on meanwhile. */
  @Test
  void setWeightsIsRefusedWhileAnotherThreadHoldsTheModel() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Sequential m = model(WeightsRoundTripTest.backend("cpu"))) {
      List<NDArray> before = m.getWeights();
      List<NDArray> values = filled(m, 0.25f);
      try (ModelLease held = m.lease("export")) {
        Future<?> set = other.submit(() -> m.setWeights(values));
        Exception e = assertThrows(Exception.class, set::get);
        assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
        assertTrue(e.getCause().getMessage().startsWith("setWeights refused"), e.getMessage());
        Future<List<NDArray>> get = other.submit(() -> m.getWeights());
        assertEquals(before.size(), get.get().size(), "a read alongside the lease works");
      }
      assertUnchanged(before, m);
      m.setWeights(values);
      assertEquals(0.25f, m.getWeights().get(3).data()[0]);
    } finally {
      other.shutdownNow();
    }
  }

  /**
   * A fit's own callback may replace the weights between batches (as Keras' EarlyStopping restores
   * the best ones); another thread may not while the fit runs.
   */
  @Test
  void aFitsCallbackMaySetWeightsAnotherThreadMayNot() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Sequential m = model(WeightsRoundTripTest.backend("cpu"))) {
      m.compile(Loss.mse(), new Adam(1e-2));
      List<NDArray> best = filled(m, 0.125f);
      List<Exception> fromOtherThread = new ArrayList<>();
      Callback restore =
          new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
              try {
                other.submit(() -> m.setWeights(best)).get();
              } catch (Exception e) {
                fromOtherThread.add(e);
              }
              m.setWeights(best);
            }
          };
      NDArray x = NDArray.zeros(4, 5, 2);
      NDArray y = NDArray.zeros(4, 1);
      m.fit(x, y, FitOptions.defaults().epochs(2).batchSize(2).callbacks(restore));
      assertEquals(2, fromOtherThread.size());
      assertTrue(
          fromOtherThread.get(0).getCause().getMessage().startsWith("setWeights refused"),
          fromOtherThread.get(0).toString());
      List<NDArray> after = m.getWeights();
      for (int i = 0; i < best.size(); i++) {
        assertArrayEquals(best.get(i).data(), after.get(i).data(), "array " + i);
      }
    } finally {
      other.shutdownNow();
    }
  }
}
