package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Activation;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The functional {@link Model}: a chain equals the same Sequential bit for bit, several inputs and
 * outputs train, a shared layer keeps one set of weights fed by both uses, and the graph checks.
 */
class FunctionalModelTest {
  private static final ReferenceBackend F32 = ReferenceBackend.float32();
  private static final ReferenceBackend F64 = ReferenceBackend.float64();

  private static NDArray random(long seed, int... dims) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, dims);
  }

  private static float[] weights(Model m) {
    return m.backend().download(m.parameters().values()).data();
  }

  @Test
  void aChainOfLayersTrainsExactlyAsTheSameSequential() {
    NDArray x = random(1, 70, 6, 2);
    NDArray y = random(2, 70, 1);
    FitOptions options = FitOptions.defaults().epochs(3).batchSize(16).seed(5);
    Symbolic in = Input.of(6, 2);
    Symbolic out =
        new Dense(1)
            .apply(
                new Dropout(0.2)
                    .apply(new LSTM(5).apply(new SimpleRNN(4).returnSequences(true).apply(in))));
    try (Sequential s =
            new Sequential(
                    new SimpleRNN(4).returnSequences(true),
                    new LSTM(5),
                    new Dropout(0.2),
                    new Dense(1))
                .seed(11)
                .backend(F32);
        Model m = new Model(List.of(in), List.of(out)).seed(11).backend(F32)) {
      s.compile(Loss.mse(), new Adam(1e-2), Metric.mse());
      m.compile(Loss.mse(), new Adam(1e-2), Metric.mse());
      assertArrayEquals(s.predict(x).data(), m.predict(x).data(), "same weights, same predictions");
      History hs = s.fit(x, y, options);
      History hm = m.fit(x, y, options);
      assertEquals(hs.series("loss"), hm.series("loss"));
      assertEquals(hs.series("mse"), hm.series("mse"));
      assertArrayEquals(
          s.backend().download(s.parameters().values()).data(), weights(m), "weights bit for bit");
      assertEquals(s.trainOnBatch(x, y), m.trainOnBatch(x, y));
      assertEquals(s.evaluate(x, y, 32), m.evaluate(x, y, 32));
    }
  }

  @Test
  void twoBranchesConcatenatedLearn() {
    SplittableRandom r = new SplittableRandom(3);
    int n = 256;
    NDArray series = TestArrays.uniform(r, -1, 1, n, 8, 1);
    NDArray extra = TestArrays.uniform(r, -1, 1, n, 3);
    NDArray y = NDArray.zeros(n, 1);
    for (int i = 0; i < n; i++) {
      y.set(series.get(i, 7, 0) + 0.5f * extra.get(i, 2), i, 0); // needs both branches
    }
    Symbolic a = Input.of(8, 1);
    Symbolic b = Input.of(3);
    Symbolic joined = new Concatenate().apply(new SimpleRNN(6).apply(a), new Dense(4).apply(b));
    try (Model m =
        new Model(List.of(a, b), List.of(new Dense(1).apply(joined))).seed(2).backend(F32)) {
      assertEquals(List.of(Shape.of(1)), m.outputShapes());
      m.compile(Loss.mse(), new Adam(2e-2));
      History h = m.fit(List.of(series, extra), List.of(y), FitOptions.defaults().epochs(15));
      List<Double> loss = h.series("loss");
      assertTrue(loss.get(14) < loss.get(0) * 0.3, "loss should fall: " + loss);
      assertEquals(n, m.predict(List.of(series, extra)).get(0).dim(0));
    }
  }

  @Test
  void twoHeadsTrainOnTheWeightedSumOfTheirLosses() {
    SplittableRandom r = new SplittableRandom(4);
    NDArray x = TestArrays.uniform(r, -1, 1, 200, 5);
    NDArray y1 = NDArray.zeros(200, 1);
    NDArray y2 = NDArray.zeros(200, 2);
    for (int i = 0; i < 200; i++) {
      y1.set(x.get(i, 0) - x.get(i, 1), i, 0);
      y2.set(x.get(i, 2), i, 0);
      y2.set(-x.get(i, 3), i, 1);
    }
    Symbolic in = Input.of(5);
    Symbolic h = new Dense(8, Activation.TANH).apply(in);
    try (Model m =
        new Model(List.of(in), List.of(new Dense(1).apply(h), new Dense(2).apply(h)))
            .seed(3)
            .backend(F32)) {
      m.compile(Loss.mse(), new double[] {1, 0.5}, new Adam(2e-2), Metric.mse());
      Map<String, Double> before = m.evaluate(List.of(x), List.of(y1, y2), 64);
      assertEquals(
          List.of("loss", "output_1_loss", "output_2_loss", "output_1_mse", "output_2_mse"),
          new ArrayList<>(before.keySet()));
      assertEquals(
          before.get("output_1_loss") + 0.5 * before.get("output_2_loss"),
          before.get("loss"),
          1e-6,
          "the loss is the weighted sum of the heads' losses");
      assertEquals(before.get("output_2_loss"), before.get("output_2_mse"), 1e-7);
      History hist =
          m.fit(
              List.of(x),
              List.of(y1, y2),
              FitOptions.defaults().epochs(20).validation(List.of(x), List.of(y1, y2)));
      assertTrue(hist.last("loss") < before.get("loss") * 0.3, "loss should fall: " + hist);
      assertTrue(hist.last("output_1_loss") < before.get("output_1_loss"));
      assertTrue(hist.last("output_2_loss") < before.get("output_2_loss"));
      assertTrue(hist.epoch(0).containsKey("val_output_2_mse"));
      List<NDArray> p = m.predict(List.of(x));
      assertEquals(Shape.of(200, 2), p.get(1).shape());
    }
  }

  @Test
  void aSharedLayerHasOneSetOfWeightsAndTheGradientOfBothUses() {
    Dense shared = new Dense(3, Activation.TANH);
    Symbolic a = Input.of(4);
    Symbolic b = Input.of(4);
    Symbolic out = new Dense(1).apply(sum(shared.apply(a), shared.apply(b)));
    NDArray xa = random(5, 6, 4);
    NDArray xb = random(6, 6, 4);
    NDArray y = random(7, 6, 1);
    try (Model m = new Model(List.of(a, b), List.of(out)).seed(4).backend(F64)) {
      assertEquals(3, m.layers().size(), "the shared dense, the sum and the head");
      assertEquals(4 * 3 + 3 + 3 * 1 + 1, m.parameters().count());
      m.build();
      Tensor values = m.parameters().values();
      lossOf(m, xa, xb, y, true);
      Tensor grads = m.parameters().grads();
      double eps = 1e-6;
      for (int i = 0; i < values.size(); i++) {
        double v = F64.get(values, i);
        F64.set(values, i, v + eps);
        double up = lossOf(m, xa, xb, y, false);
        F64.set(values, i, v - eps);
        double down = lossOf(m, xa, xb, y, false);
        F64.set(values, i, v);
        double numeric = (up - down) / (2 * eps);
        double analytic = F64.get(grads, i);
        assertEquals(
            numeric,
            analytic,
            1e-6 * Math.max(Math.abs(numeric), Math.abs(analytic)) + 1e-9,
            "parameter element " + i);
      }
      // The shared kernel's gradient is the sum of what each use alone would give.
      assertTrue(Math.abs(F64.get(grads, 0)) > 1e-6);
    }
  }

  /** An elementwise sum layer for the shared-layer test (a GraphLayer written by a user). */
  private static Symbolic sum(Symbolic p, Symbolic q) {
    return new SumLayer().apply(p, q);
  }

  private static final class SumLayer implements GraphLayer {
    @Override
    public String name() {
      return "sum";
    }

    @Override
    public List<Shape> build(List<Shape> inputShapes, dev.timestep.autodiff.ParameterStore store) {
      return outputShapes(inputShapes);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputShapes) {
      return List.of(inputShapes.get(0));
    }

    @Override
    public List<Variable> forward(Tape tape, List<Variable> inputs, ForwardPass pass) {
      return List.of(Ops.add(tape, inputs.get(0), inputs.get(1)));
    }
  }

  private static double lossOf(Model m, NDArray xa, NDArray xb, NDArray y, boolean backward) {
    try (Tape tape = new Tape(F64, backward)) {
      List<Variable> in =
          List.of(
              tape.constant(F64.upload(xa, tape.scope())),
              tape.constant(F64.upload(xb, tape.scope())));
      Variable l =
          Ops.mse(
              tape, m.forward(tape, in, false).get(0), tape.constant(F64.upload(y, tape.scope())));
      if (backward) {
        m.parameters().zeroGrads();
        tape.backward(l);
      }
      return F64.get(l.value(), 0);
    }
  }

  @Test
  void anOutputThatDependsOnAnUnlistedInputIsRefusedNamingIt() {
    Symbolic a = Input.of(3);
    Symbolic b = Input.of(2);
    Symbolic out = new Concatenate().apply(a, b);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Model(List.of(a), List.of(out)));
    assertTrue(e.getMessage().contains("graph disconnected"), e.getMessage());
    assertTrue(e.getMessage().contains("concatenate depends on Input[2]"), e.getMessage());
  }

  @Test
  void anInputThatLeadsNowhereIsRefused() {
    Symbolic a = Input.of(3);
    Symbolic unused = Input.of(2);
    Symbolic out = new Dense(1).apply(a);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Model(List.of(a, unused), List.of(out)));
    assertTrue(e.getMessage().contains("model input 2 (Input[2]) does not lead"), e.getMessage());
  }

  @Test
  void inputsMustBeInputsListedOnce() {
    Symbolic a = Input.of(3);
    Symbolic h = new Dense(2).apply(a);
    Symbolic out = new Dense(1).apply(h);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new Model(List.of(h), List.of(out)))
            .getMessage()
            .contains("a model's inputs are Input.of"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new Model(List.of(a, a), List.of(out)))
            .getMessage()
            .contains("listed twice"));
    assertThrows(IllegalArgumentException.class, () -> new Model(List.of(), List.of(out)));
    assertThrows(IllegalArgumentException.class, () -> Input.of(3, 0));
    assertThrows(IllegalArgumentException.class, () -> new Dense(1).apply());
  }

  @Test
  void aShapeErrorNamesTheLayerCallAndFreesItsLayers() {
    Symbolic a = Input.of(5, 2);
    Symbolic b = Input.of(4, 3);
    Dense head = new Dense(1);
    Symbolic bad = new Concatenate().apply(a, b);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Model(List.of(a, b), List.of(head.apply(bad))));
    assertTrue(e.getMessage().contains("layer call 1 (concatenate"), e.getMessage());
    assertTrue(e.getMessage().contains("input 2 has [4, 3]"), e.getMessage());
    // The failed model claimed nothing: its layers may go into another model.
    try (Sequential s = new Sequential(head)) {
      assertEquals(1, s.layers().size());
    }
  }

  @Test
  void aLayerOfAnotherModelIsRefused() {
    Dense d = new Dense(1);
    try (Sequential s = new Sequential(d)) {
      Symbolic a = Input.of(3);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> new Model(List.of(a), List.of(d.apply(a))));
      assertTrue(e.getMessage().contains("already belongs to a model"), e.getMessage());
    }
  }

  @Test
  void dataMustMatchTheInputsAndOutputs() {
    Symbolic a = Input.of(3);
    Symbolic b = Input.of(2);
    Symbolic out = new Dense(1).apply(new Concatenate().apply(a, b));
    try (Model m = new Model(List.of(a, b), List.of(out)).backend(F32)) {
      m.compile(Loss.mse(), new Adam(1e-3));
      NDArray xa = random(1, 10, 3);
      NDArray xb = random(2, 10, 2);
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> m.predict(List.of(xa)))
              .getMessage()
              .contains("the model has 2 inputs but got 1 arrays"));
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> m.predict(List.of(xb, xa)))
              .getMessage()
              .contains("predict input 1 has samples of shape [2] but the model's input 1 is [3]"));
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class,
                  () -> m.fit(List.of(xa, xb), List.of(random(3, 10, 2)), FitOptions.defaults()))
              .getMessage()
              .contains("output 1 has samples of shape [1] but fit Y has samples of shape [2]"));
      assertThrows(IllegalArgumentException.class, () -> m.predict(xa));
    }
  }
}
