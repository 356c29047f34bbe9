package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.autodiff.Parameter;
import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * getWeights and setWeights for every layer type on every backend: the arrays come in Keras' order
 * and shapes (written out by hand per layer), setWeights then getWeights gives back exactly what
 * was set, the values land in the arrays the layer computes with, and a model given the same
 * weights on the native backend predicts what the reference predicts.
 */
class WeightsRoundTripTest {
  /** A model, its per-sample input shape, and the Keras shapes of its weights in order. */
  record Case(String name, Supplier<Sequential> model, int[] sample, List<Shape> shapes) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    int f = 3; // features per step; odd sizes throughout
    return List.of(
        new Case(
            "Dense",
            () -> new Sequential(new Dense(5, Activation.TANH)),
            new int[] {f},
            List.of(Shape.of(f, 5), Shape.of(5))),
        new Case(
            "SimpleRNN",
            () -> new Sequential(new SimpleRNN(5)),
            new int[] {7, f},
            List.of(Shape.of(f, 5), Shape.of(5, 5), Shape.of(5))),
        new Case(
            "LSTM",
            () -> new Sequential(new LSTM(5).returnSequences(true), new LSTM(3)),
            new int[] {7, f},
            List.of(
                Shape.of(f, 20),
                Shape.of(5, 20),
                Shape.of(20),
                Shape.of(5, 12),
                Shape.of(3, 12),
                Shape.of(12))),
        new Case(
            "GRU",
            () -> new Sequential(new GRU(5)),
            new int[] {7, f},
            List.of(Shape.of(f, 15), Shape.of(5, 15), Shape.of(2, 15))),
        new Case(
            "LayerNormSimpleRNN",
            () -> new Sequential(new LayerNormSimpleRNN(5)),
            new int[] {7, f},
            List.of(Shape.of(f, 5), Shape.of(5, 5), Shape.of(5), Shape.of(5), Shape.of(5))),
        new Case(
            "RNN(cell)",
            () -> new Sequential(new RNN(new RnnCellTest.LNSimpleRNNCell(5))),
            new int[] {7, f},
            List.of(Shape.of(f, 5), Shape.of(5, 5), Shape.of(5), Shape.of(5), Shape.of(5))),
        new Case(
            "Conv1D",
            () ->
                new Sequential(
                    new Conv1D(5, 3).padding(ConvPadding.CAUSAL).dilationRate(2),
                    new Conv1D(4, 2).strides(2).useBias(false)),
            new int[] {9, f},
            List.of(Shape.of(3, f, 5), Shape.of(5), Shape.of(2, 5, 4))),
        new Case(
            "LayerNormalization",
            () -> new Sequential(new LayerNormalization()),
            new int[] {7, f},
            List.of(Shape.of(f), Shape.of(f))),
        new Case(
            "BatchNormalization",
            () -> new Sequential(new BatchNormalization()),
            new int[] {7, f},
            List.of(Shape.of(f), Shape.of(f), Shape.of(f), Shape.of(f))),
        new Case(
            "TimeDistributed(Dense), Flatten, Dropout",
            () ->
                new Sequential(
                    new TimeDistributed(new Dense(5)),
                    new Dropout(0.3),
                    new Flatten(),
                    new Dense(1)),
            new int[] {7, f},
            List.of(Shape.of(f, 5), Shape.of(5), Shape.of(35, 1), Shape.of(1))));
  }

  static Stream<Arguments> casesOnBackends() {
    List<Arguments> out = new ArrayList<>();
    for (String backend : List.of("reference", "cpu", "cuda")) {
      for (Case c : cases()) {
        out.add(Arguments.of(backend, c));
      }
    }
    return out.stream();
  }

  static Backend backend(String name) {
    return switch (name) {
      case "cpu" -> CpuBackend.get();
      case "cuda" -> {
        CudaTests.assumeUsable();
        yield CudaBackend.get();
      }
      default -> ReferenceBackend.float32();
    };
  }

  /** Random values for each shape, in [0.2, 0.9): positive, so batch-norm variances are valid. */
  static List<NDArray> randomWeights(List<Shape> shapes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<NDArray> out = new ArrayList<>();
    for (Shape s : shapes) {
      out.add(TestArrays.uniform(r, 0.2, 0.9, s.dims()));
    }
    return out;
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("casesOnBackends")
  void setThenGetGivesBackExactlyWhatWasSet(String backendName, Case c) {
    Backend b = backend(backendName);
    try (Sequential m = c.model().get().backend(b).seed(3)) {
      m.build(Shape.of(c.sample()));
      List<NDArray> initial = m.getWeights();
      assertEquals(c.shapes(), shapes(initial), c + ": Keras' order and shapes");

      List<NDArray> values = randomWeights(c.shapes(), 17);
      m.setWeights(values);
      List<NDArray> back = m.getWeights();
      for (int i = 0; i < values.size(); i++) {
        assertArrayEquals(values.get(i).data(), back.get(i).data(), c + " array " + i);
        assertEquals(values.get(i).shape(), back.get(i).shape());
      }

      // Heap copies: changing what getWeights returned changes nothing in the model.
      back.get(0).data()[0] = 1234f;
      assertEquals(values.get(0).data()[0], m.getWeights().get(0).data()[0]);
    }
  }

  /** The same weights give the same predictions on every backend as on the reference. */
  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("casesOnBackends")
  void sameWeightsPredictAsTheReferenceDoes(String backendName, Case c) {
    Backend b = backend(backendName);
    List<NDArray> values = randomWeights(c.shapes(), 23);
    int[] dims = new int[c.sample().length + 1];
    dims[0] = 5;
    System.arraycopy(c.sample(), 0, dims, 1, c.sample().length);
    NDArray x = TestArrays.uniform(new SplittableRandom(29), -1, 1, dims);
    try (Sequential ref = c.model().get().backend(ReferenceBackend.float32()).seed(1);
        Sequential other = c.model().get().backend(b).seed(2)) {
      ref.build(Shape.of(c.sample()));
      other.build(Shape.of(c.sample()));
      ref.setWeights(values);
      other.setWeights(values);
      NDArray expected = ref.predict(x);
      NDArray actual = other.predict(x);
      TestArrays.assertAllClose(
          c + " on " + backendName, expected.data(), actual.data(), 1e-5, 1e-5);
    }
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("casesOnBackends")
  void eachLayerSetsAndGetsItsOwnArrays(String backendName, Case c) {
    Backend b = backend(backendName);
    try (Sequential m = c.model().get().backend(b).seed(3)) {
      m.build(Shape.of(c.sample()));
      List<NDArray> values = randomWeights(c.shapes(), 31);
      int at = 0;
      for (Layer l : m.layers()) {
        int n = l.getWeights().size();
        l.setWeights(values.subList(at, at + n));
        at += n;
      }
      assertEquals(values.size(), at, "the layers' arrays together are the model's");
      List<NDArray> back = m.getWeights();
      for (int i = 0; i < values.size(); i++) {
        assertArrayEquals(values.get(i).data(), back.get(i).data(), c + " array " + i);
      }
    }
  }

  /** Keras' GRU bias [2, 3H]: row 0 is the input bias, row 1 the recurrent bias (reset_after). */
  @Test
  void gruBiasRowsAreTheInputAndTheRecurrentBias() {
    try (Sequential m = new Sequential(new GRU(2)).backend(ReferenceBackend.float32())) {
      m.build(Shape.of(4, 1));
      List<NDArray> w = m.getWeights();
      NDArray bias = NDArray.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 6);
      m.setWeights(List.of(w.get(0), w.get(1), bias));
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, values(m, "gru/bias"));
      assertArrayEquals(new float[] {7, 8, 9, 10, 11, 12}, values(m, "gru/recurrent_bias"));
    }
  }

  /** γ then β, each [H], are the two halves of the fused cell's layer-norm array. */
  @Test
  void layerNormCellGammaAndBetaAreTheHalvesOfItsArray() {
    try (Sequential m =
        new Sequential(new LayerNormSimpleRNN(3)).backend(ReferenceBackend.float32())) {
      m.build(Shape.of(4, 2));
      List<NDArray> w = new ArrayList<>(m.getWeights());
      w.set(3, NDArray.of(new float[] {1, 2, 3}, 3));
      w.set(4, NDArray.of(new float[] {4, 5, 6}, 3));
      m.setWeights(w);
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, values(m, "layernormsimplernn/layer_norm"));
    }
  }

  /**
   * The fused LayerNormSimpleRNN and the book's cell written with autodiff ops (kernel,
   * recurrent_kernel, bias, gamma, beta as Keras orders them) compute the same thing from the same
   * arrays: the fused layer's Keras order is the cell's.
   */
  @Test
  void fusedLayerNormRnnMatchesTheBooksCellWithTheSameWeights() {
    List<NDArray> values =
        randomWeights(
            List.of(Shape.of(2, 4), Shape.of(4, 4), Shape.of(4), Shape.of(4), Shape.of(4)), 41);
    NDArray x = TestArrays.uniform(new SplittableRandom(43), -1, 1, 3, 6, 2);
    try (Sequential fused =
            new Sequential(new LayerNormSimpleRNN(4)).backend(ReferenceBackend.float32());
        Sequential cell =
            new Sequential(new RNN(new RnnCellTest.LNSimpleRNNCell(4)))
                .backend(ReferenceBackend.float32())) {
      fused.build(Shape.of(6, 2));
      cell.build(Shape.of(6, 2));
      fused.setWeights(values);
      cell.setWeights(values);
      TestArrays.assertAllClose(
          "fused vs cell", cell.predict(x).data(), fused.predict(x).data(), 1e-5, 1e-5);
    }
  }

  /** BatchNormalization: γ and β are trainable parameters, the moving statistics its state. */
  @Test
  void batchNormMovingStatisticsAreItsState() {
    try (Sequential m = new Sequential(new BatchNormalization()).backend(CpuBackend.get())) {
      m.build(Shape.of(2, 2));
      m.setWeights(
          List.of(
              NDArray.of(new float[] {1, 2}, 2),
              NDArray.of(new float[] {3, 4}, 2),
              NDArray.of(new float[] {5, 6}, 2),
              NDArray.of(new float[] {7, 8}, 2)));
      assertArrayEquals(
          new float[] {1, 2, 3, 4}, m.backend().download(m.parameters().values()).data());
      assertArrayEquals(new float[] {5, 6}, m.backend().download(m.parameters().state(0)).data());
      assertArrayEquals(new float[] {7, 8}, m.backend().download(m.parameters().state(1)).data());
    }
  }

  private static float[] values(Sequential m, String parameter) {
    for (Parameter p : m.parameters().parameters()) {
      if (p.name().equals(parameter)) {
        return m.backend().download(p.value()).data();
      }
    }
    throw new AssertionError("no parameter " + parameter);
  }

  private static List<Shape> shapes(List<NDArray> arrays) {
    List<Shape> out = new ArrayList<>();
    for (NDArray a : arrays) {
      out.add(a.shape());
    }
    return out;
  }
}
