package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Activation;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * getWeights and setWeights of a functional {@link Model}: its layers in {@code layers()} order, a
 * shared layer once, each layer in Keras' layout (shapes written out by hand); weights moved into
 * another model of the same graph give its predictions; a layer of a Model answers for itself; and
 * arrays that do not fit are refused naming the layer and the array, changing nothing.
 */
class FunctionalWeightsTest {
  private static final ReferenceBackend F32 = ReferenceBackend.float32();

  private static NDArray random(long seed, int... dims) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, dims);
  }

  /** Two inputs; a shared Dense used on both; a Bidirectional GRU; an LSTM started from states. */
  private record Graph(Model model, Dense shared, LSTM decoder) {}

  private static Graph graph(long seed) {
    Symbolic series = Input.of(6, 3);
    Symbolic extra = Input.of(2);
    Dense shared = new Dense(4, Activation.TANH);
    List<Symbolic> enc = new Bidirectional(new GRU(4).returnState(true)).applyAll(series);
    Symbolic h = shared.apply(enc.get(1)); // the forward direction's final h
    Symbolic c = shared.apply(new Dense(4).apply(extra));
    LSTM decoder = new LSTM(4).returnSequences(false);
    Symbolic out = new Dense(1).apply(decoder.apply(series, h, c));
    Model m = new Model(List.of(series, extra), List.of(out)).seed(seed).backend(F32);
    return new Graph(m, shared, decoder);
  }

  private static List<NDArray> data() {
    return List.of(random(1, 5, 6, 3), random(2, 5, 2));
  }

  @Test
  void weightsComeLayerByLayerInKerasLayoutsWithASharedLayerOnce() {
    try (Model m = graph(1).model()) {
      List<Shape> shapes = new ArrayList<>();
      for (NDArray a : m.getWeights()) {
        shapes.add(a.shape());
      }
      assertEquals(
          List.of(
              // bidirectional: forward GRU kernel, recurrent_kernel, bias [2, 3u]; then backward
              Shape.of(3, 12),
              Shape.of(4, 12),
              Shape.of(2, 12),
              Shape.of(3, 12),
              Shape.of(4, 12),
              Shape.of(2, 12),
              // the shared dense (first called on the GRU's h), once
              Shape.of(4, 4),
              Shape.of(4),
              // the dense on the extra input
              Shape.of(2, 4),
              Shape.of(4),
              // the LSTM: kernel, recurrent_kernel, bias (gates i, f, c, o)
              Shape.of(3, 16),
              Shape.of(4, 16),
              Shape.of(16),
              // the head
              Shape.of(4, 1),
              Shape.of(1)),
          shapes);
      assertTrue(m.isBuilt(), "a functional model knows its shapes, so getWeights builds it");
      long values = shapes.stream().mapToLong(Shape::size).sum();
      assertEquals(m.parameters().count(), values, "every parameter once");
    }
  }

  @Test
  void weightsMovedIntoAnotherModelOfTheSameGraphGiveItsPredictions() {
    try (Model a = graph(1).model();
        Model b = graph(2).model()) {
      List<NDArray> x = data();
      NDArray before = b.predict(x).get(0);
      b.setWeights(a.getWeights());
      assertArrayEquals(a.predict(x).get(0).data(), b.predict(x).get(0).data());
      assertTrue(maxAbsDiff(before.data(), b.predict(x).get(0).data()) > 1e-4);
      List<NDArray> wa = a.getWeights();
      List<NDArray> wb = b.getWeights();
      for (int i = 0; i < wa.size(); i++) {
        assertArrayEquals(wa.get(i).data(), wb.get(i).data(), "array " + i);
      }
    }
  }

  @Test
  void aChainHasTheSameWeightsAsTheSameSequential() {
    Symbolic in = Input.of(5, 2);
    Symbolic out = new Dense(1).apply(new GRU(3).apply(in));
    try (Sequential s = new Sequential(new GRU(3), new Dense(1)).seed(7).backend(F32);
        Model m = new Model(List.of(in), List.of(out)).seed(7).backend(F32)) {
      s.build(Shape.of(5, 2));
      List<NDArray> ws = s.getWeights();
      List<NDArray> wm = m.getWeights();
      assertEquals(ws.size(), wm.size());
      for (int i = 0; i < ws.size(); i++) {
        assertEquals(ws.get(i).shape(), wm.get(i).shape());
        assertArrayEquals(ws.get(i).data(), wm.get(i).data(), "array " + i);
      }
    }
  }

  @Test
  void aLayerOfAModelGetsAndSetsItsOwnWeights() {
    Graph g = graph(3);
    try (Model m = g.model()) {
      List<NDArray> all = m.getWeights();
      List<NDArray> shared = g.shared().getWeights();
      assertEquals(2, shared.size());
      assertArrayEquals(all.get(6).data(), shared.get(0).data(), "the shared kernel");
      List<NDArray> lstm = g.decoder().getWeights();
      assertEquals(Shape.of(3, 16), lstm.get(0).shape());
      NDArray zeros = NDArray.zeros(4, 4);
      g.shared().setWeights(List.of(zeros, NDArray.zeros(4)));
      assertArrayEquals(zeros.data(), m.getWeights().get(6).data());
    }
  }

  @Test
  void arraysThatDoNotFitAreRefusedNamingThemAndNothingChanges() {
    Graph g = graph(4);
    try (Model m = g.model()) {
      List<NDArray> before = m.getWeights();
      IllegalArgumentException count =
          assertThrows(IllegalArgumentException.class, () -> m.setWeights(before.subList(0, 3)));
      assertTrue(count.getMessage().contains("the model has 15 weight arrays"), count.getMessage());
      assertTrue(count.getMessage().contains("bidirectional kernel"), count.getMessage());
      List<NDArray> wrong = new ArrayList<>(before);
      wrong.set(11, NDArray.zeros(4, 12)); // the LSTM's recurrent kernel, with a GRU's width
      wrong.set(0, NDArray.zeros(3, 12)); // a valid change that must not be applied
      IllegalArgumentException shape =
          assertThrows(IllegalArgumentException.class, () -> m.setWeights(wrong));
      assertTrue(
          shape.getMessage().contains("lstm recurrent_kernel must have shape [4, 16]"),
          shape.getMessage());
      List<NDArray> after = m.getWeights();
      for (int i = 0; i < before.size(); i++) {
        assertArrayEquals(before.get(i).data(), after.get(i).data(), "array " + i + " unchanged");
      }
      IllegalArgumentException layer =
          assertThrows(
              IllegalArgumentException.class,
              () -> g.shared().setWeights(List.of(NDArray.zeros(4, 4), NDArray.zeros(5))));
      assertTrue(layer.getMessage().contains("dense bias must have shape [4]"), layer.getMessage());
    }
    assertThrows(IllegalStateException.class, () -> g.shared().getWeights(), "closed model");
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }
}
