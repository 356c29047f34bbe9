package dev.timestep.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.nn.Cell;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Layer;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Metric;
import dev.timestep.nn.RNN;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.optim.Adam;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.ShapeKeepingLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a model file cannot hold is refused before anything is written, with a message that says
 * what and why.
 */
class SaveRefusalTest {
  @TempDir Path dir;

  /** A user-written cell: h = tanh(x·W + h·U). */
  static final class TinyCell implements Cell {
    private ParameterStore store;
    private int kernel;
    private int recurrent;

    @Override
    public int units() {
      return 2;
    }

    @Override
    public void build(int features, ParameterStore store) {
      this.store = store;
      kernel = store.declare("tiny/kernel", Shape.of(features, 2), Initializer.glorotUniform());
      recurrent = store.declare("tiny/recurrent", Shape.of(2, 2), Initializer.orthogonal());
    }

    @Override
    public Variable step(Tape tape, Variable x, Variable h) {
      return Ops.tanh(
          tape,
          Ops.add(
              tape,
              Ops.matmul(tape, x, store.get(kernel)),
              Ops.matmul(tape, h, store.get(recurrent))));
    }
  }

  private IllegalArgumentException refused(Sequential model) {
    Path file = dir.resolve("refused.tsm");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelFile.save(model, file));
    assertFalse(Files.exists(file), "nothing is written");
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e;
  }

  private static Sequential built(Layer... layers) {
    Sequential m = new Sequential(layers).backend(ReferenceBackend.float32());
    m.build(Shape.of(4, 1));
    return m;
  }

  private static void assertContains(String expected, Exception e) {
    assertTrue(
        e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }

  @Test
  void aUserWrittenCellIsRefusedWithTheReason() {
    try (Sequential m = built(new SimpleRNN(3).returnSequences(true), new RNN(new TinyCell()))) {
      IllegalArgumentException e = refused(m);
      assertContains(
          "save: layer 2: cannot save RNN(TinyCell(2)): an RNN runs a user-written Cell", e);
      assertContains("use SimpleRNN, LSTM, GRU or LayerNormSimpleRNN", e);
    }
  }

  @Test
  void aCellInsideAWrapperIsRefusedToo() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LayerConfig.of(new TimeDistributed(new RNN(new TinyCell()))));
    assertContains("user-written Cell", e);
  }

  @Test
  void aUserWrittenLayerIsRefused() {
    Layer custom =
        new ShapeKeepingLayer("doubler") {

          @Override
          public Variable forward(Tape tape, Variable input, boolean training) {
            return Ops.add(tape, input, input);
          }
        };
    try (Sequential m = built(custom, new Dense(1))) {
      IllegalArgumentException e = refused(m);
      assertContains("save: layer 1: cannot save layer doubler", e);
      assertContains("model files hold only the built-in layers [Dense, Flatten, SimpleRNN", e);
    }
  }

  @Test
  void aCustomLossIsRefused() {
    Loss mae =
        new Loss() {
          @Override
          public String name() {
            return "mse"; // even under a built-in's name: the class, not the name, decides
          }

          @Override
          public Variable compute(Tape tape, Variable prediction, Variable target) {
            return Ops.mse(tape, prediction, target);
          }
        };
    try (Sequential m = built(new SimpleRNN(2))) {
      m.compile(mae, new Adam());
      assertContains("save: cannot save the loss 'mse'", refused(m));
    }
  }

  @Test
  void aCustomMetricIsRefused() {
    try (Sequential m = built(new SimpleRNN(2))) {
      m.compile(Loss.mse(), new Adam(), Metric.of("rmse", Ops::mse));
      assertContains("save: cannot save the metric 'rmse'", refused(m));
    }
  }

  @Test
  void anotherOptimizerIsRefused() {
    Optimizer sgd =
        new Optimizer() {
          @Override
          public void step(ParameterStore store) {}

          @Override
          public long iterations() {
            return 0;
          }

          @Override
          public double learningRate() {
            return 0.01;
          }

          @Override
          public void setLearningRate(double learningRate) {}

          @Override
          public void close() {}

          @Override
          public String toString() {
            return "CustomOptimizer";
          }
        };
    try (Sequential m = built(new SimpleRNN(2))) {
      m.compile(Loss.mse(), sgd);
      assertContains("save: cannot save the optimizer CustomOptimizer", refused(m));
    }
  }

  @Test
  void anUnbuiltOrClosedModelIsRefused() {
    Path file = dir.resolve("m.tsm");
    try (Sequential unbuilt = new Sequential(new Dense(1))) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> ModelFile.save(unbuilt, file));
      assertContains("the model is not built yet", e);
    }
    Sequential closed = built(new Dense(1));
    closed.close();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ModelFile.save(closed, file));
    assertContains("the model was closed", e);
    assertFalse(Files.exists(file));
  }

  @Test
  void nullArgumentsAreNamed() {
    try (Sequential m = built(new Dense(1))) {
      assertContains(
          "model null",
          assertThrows(
              IllegalArgumentException.class, () -> ModelFile.save(null, dir.resolve("m.tsm"))));
      assertContains(
          "file null", assertThrows(IllegalArgumentException.class, () -> ModelFile.save(m, null)));
      assertContains(
          "metadata null",
          assertThrows(
              IllegalArgumentException.class, () -> ModelFile.save(m, dir.resolve("m.tsm"), null)));
      assertContains(
          "backend null",
          assertThrows(
              IllegalArgumentException.class, () -> ModelFile.load(dir.resolve("m.tsm"), null)));
    }
  }

  @Test
  void metadataKeysAndValuesAreChecked() {
    assertContains(
        "a key must be a non-blank string, got ' '",
        assertThrows(IllegalArgumentException.class, () -> ModelMetadata.builder().put(" ", "x")));
    assertContains(
        "the value of text entry 'k' must not be null",
        assertThrows(
            IllegalArgumentException.class, () -> ModelMetadata.builder().put("k", (String) null)));
    assertContains(
        "the values of number entry 'k' must not be null",
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelMetadata.builder().put("k", (double[]) null)));
    double[] values = {1, 2};
    ModelMetadata meta = ModelMetadata.builder().put("k", values).build();
    values[0] = 99;
    meta.numbers("k").orElseThrow()[1] = 99;
    assertEquals(ModelMetadata.builder().put("k", 1, 2).build(), meta, "metadata is immutable");
  }
}
