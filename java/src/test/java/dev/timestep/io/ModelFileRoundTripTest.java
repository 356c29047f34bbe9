package dev.timestep.io;

import static dev.timestep.io.ModelFixtures.assertSameState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.backend.ConvPadding;
import dev.timestep.nn.BatchNormalization;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Layer;
import dev.timestep.nn.LayerNormSimpleRNN;
import dev.timestep.nn.LayerNormalization;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Metric;
import dev.timestep.nn.RepeatVector;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer type and every model of the chapter's table survives a save and a load: the loaded
 * model predicts bit-identically, and one more training step from the saved and the loaded model
 * gives bit-identical weights, layer state and optimizer state.
 */
class ModelFileRoundTripTest {
  @TempDir Path dir;

  /**
   * A model to round-trip, its input sample shape, learning rate and whether it reports
   * last_time_step_mse.
   */
  record Case(
      String name,
      int steps,
      int features,
      double learningRate,
      boolean sequenceMetric,
      Supplier<Sequential> model) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> layerCases() {
    return List.of(
        new Case(
            "Dense on sequences",
            6,
            3,
            0.01,
            false,
            () -> new Sequential(new Dense(4, Activation.TANH), new Dense(2))),
        new Case(
            "Flatten then Dense",
            6,
            2,
            0.01,
            false,
            () -> new Sequential(new Flatten(), new Dense(3, Activation.RELU), new Dense(1))),
        new Case(
            "SimpleRNN",
            7,
            2,
            0.01,
            true,
            () ->
                new Sequential(
                    new SimpleRNN(5).activation(Activation.RELU).returnSequences(true),
                    new SimpleRNN(3).returnSequences(true))),
        new Case(
            "LSTM",
            7,
            2,
            0.01,
            false,
            () -> new Sequential(new LSTM(4).returnSequences(true), new LSTM(3))),
        new Case(
            "GRU",
            7,
            2,
            0.01,
            false,
            () -> new Sequential(new GRU(4).returnSequences(true), new GRU(2))),
        new Case(
            "LayerNormSimpleRNN",
            7,
            2,
            0.01,
            false,
            () ->
                new Sequential(
                    new LayerNormSimpleRNN(4).activation(Activation.SIGMOID).returnSequences(true),
                    new LayerNormSimpleRNN(3))),
        new Case(
            "TimeDistributed",
            7,
            1,
            0.01,
            true,
            () ->
                new Sequential(
                    new SimpleRNN(4).returnSequences(true),
                    new TimeDistributed(new Dense(2, Activation.SIGMOID)))),
        new Case(
            "LayerNormalization",
            6,
            3,
            0.01,
            false,
            () -> new Sequential(new Dense(4), new LayerNormalization(), new SimpleRNN(3))),
        new Case(
            "BatchNormalization",
            6,
            2,
            0.01,
            true,
            () ->
                new Sequential(
                    new SimpleRNN(4).returnSequences(true),
                    new BatchNormalization(),
                    new TimeDistributed(new Dense(2)))),
        new Case(
            "Conv1D causal dilated",
            12,
            2,
            0.01,
            true,
            () ->
                new Sequential(
                    new Conv1D(4, 2)
                        .padding(ConvPadding.CAUSAL)
                        .dilationRate(2)
                        .activation(Activation.RELU),
                    new Conv1D(2, 1))),
        new Case(
            "Conv1D same strided without bias",
            11,
            2,
            0.01,
            false,
            () ->
                new Sequential(
                    new Conv1D(3, 3)
                        .strides(2)
                        .padding(ConvPadding.SAME)
                        .useBias(false)
                        .activation(Activation.TANH),
                    new GRU(2))),
        new Case(
            "Conv1D valid then Flatten",
            12,
            1,
            0.01,
            false,
            () -> new Sequential(new Conv1D(3, 4).strides(2), new Flatten(), new Dense(1))),
        // The next training step draws its masks from the seed and Adam's step count, both saved,
        // so the saved and the loaded model take the same step.
        new Case(
            "Dropout and recurrent dropout",
            7,
            2,
            0.01,
            true,
            () ->
                new Sequential(
                    new SimpleRNN(4).dropout(0.2).returnSequences(true),
                    new LayerNormSimpleRNN(4).recurrentDropout(0.3).returnSequences(true),
                    new LSTM(3).dropout(0.1).recurrentDropout(0.25).returnSequences(true),
                    new Dropout(0.4),
                    new TimeDistributed(new Dense(2)))),
        new Case(
            "Encoder-decoder with RepeatVector",
            8,
            1,
            0.01,
            false,
            () ->
                new Sequential(
                    new GRU(4).dropout(0.1).recurrentDropout(0.2),
                    new RepeatVector(3),
                    new GRU(3).returnSequences(true),
                    new TimeDistributed(new Dense(1)))));
  }

  /**
   * The chapter's models (rows 2-16; row 6 runs row 5's model, rows 1 and 7 have none), at small
   * sizes of data.
   */
  static List<Case> chapterCases() {
    return List.of(
        new Case(
            "row 2 linear", 20, 1, 1e-3, false, () -> new Sequential(new Flatten(), new Dense(1))),
        new Case("row 3 SimpleRNN(1)", 20, 1, 0.005, false, () -> new Sequential(new SimpleRNN(1))),
        new Case(
            "row 4 deep SimpleRNN",
            20,
            1,
            1e-3,
            false,
            () ->
                new Sequential(
                    new SimpleRNN(20).returnSequences(true),
                    new SimpleRNN(20).returnSequences(true),
                    new SimpleRNN(1))),
        new Case(
            "rows 5-6 SimpleRNN then Dense",
            20,
            1,
            1e-3,
            false,
            () ->
                new Sequential(
                    new SimpleRNN(20).returnSequences(true), new SimpleRNN(20), new Dense(1))),
        new Case(
            "row 8 linear 10 steps",
            20,
            1,
            1e-3,
            false,
            () -> new Sequential(new Flatten(), new Dense(10))),
        new Case(
            "row 9 seq-to-vector",
            20,
            1,
            1e-3,
            false,
            () ->
                new Sequential(
                    new SimpleRNN(20).returnSequences(true), new SimpleRNN(20), new Dense(10))),
        new Case(
            "row 10 seq-to-seq SimpleRNN",
            20,
            1,
            0.01,
            true,
            () ->
                seqToSeq(
                    new SimpleRNN(20).returnSequences(true),
                    new SimpleRNN(20).returnSequences(true))),
        new Case(
            "row 11 LN-SimpleRNN",
            20,
            1,
            1e-3,
            true,
            () ->
                seqToSeq(
                    new LayerNormSimpleRNN(20).returnSequences(true),
                    new LayerNormSimpleRNN(20).returnSequences(true))),
        new Case(
            "row 12 LSTM",
            20,
            1,
            1e-3,
            true,
            () -> seqToSeq(new LSTM(20).returnSequences(true), new LSTM(20).returnSequences(true))),
        new Case(
            "row 13 GRU",
            20,
            1,
            1e-3,
            true,
            () -> seqToSeq(new GRU(20).returnSequences(true), new GRU(20).returnSequences(true))),
        new Case(
            "row 14 Conv1D then GRU",
            20,
            1,
            1e-3,
            true,
            () ->
                new Sequential(
                    new Conv1D(20, 4).strides(2).padding(ConvPadding.VALID),
                    new GRU(20).returnSequences(true),
                    new GRU(20).returnSequences(true),
                    new TimeDistributed(new Dense(10)))),
        new Case("row 15 WaveNet", 20, 1, 1e-3, true, ModelFileRoundTripTest::waveNet),
        new Case(
            "row 16 SimpleRNN with BatchNormalization",
            20,
            1,
            1e-3,
            true,
            () ->
                new Sequential(
                    new SimpleRNN(20).returnSequences(true),
                    new BatchNormalization(),
                    new SimpleRNN(20).returnSequences(true),
                    new BatchNormalization(),
                    new TimeDistributed(new Dense(10)))));
  }

  private static Sequential seqToSeq(Layer first, Layer second) {
    return new Sequential(first, second, new TimeDistributed(new Dense(10)));
  }

  private static Sequential waveNet() {
    Sequential m = new Sequential();
    for (int repeat = 0; repeat < 2; repeat++) {
      for (int rate : new int[] {1, 2, 4, 8}) {
        m.add(
            new Conv1D(20, 2)
                .padding(ConvPadding.CAUSAL)
                .activation(Activation.RELU)
                .dilationRate(rate));
      }
    }
    return m.add(new Conv1D(10, 1));
  }

  static Stream<Arguments> everyModelOnEveryCpuBackend() {
    List<Arguments> out = new ArrayList<>();
    for (String backend : List.of("reference", "cpu")) {
      for (Case c : layerCases()) {
        out.add(Arguments.of(c, backend));
      }
      for (Case c : chapterCases()) {
        out.add(Arguments.of(c, backend));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("everyModelOnEveryCpuBackend")
  void loadedModelPredictsAndTrainsExactlyAsTheSavedOne(Case c, String backendName)
      throws Exception {
    Backend backend = ModelFixtures.backend(backendName);
    NDArray x = ModelFixtures.inputs(11, c.steps(), c.features());
    Path file = dir.resolve("model.tsm");
    try (Sequential original = c.model().get().seed(5).backend(backend)) {
      Metric[] metrics =
          c.sequenceMetric()
              ? new Metric[] {Metric.lastTimeStepMse()}
              : new Metric[] {Metric.mse()};
      original.compile(Loss.mse(), new Adam(c.learningRate()), metrics);
      original.build(Shape.of(c.steps(), c.features()));
      NDArray y = ModelFixtures.targetsFor(original, x, 12);
      original.trainOnBatch(x, y);
      original.trainOnBatch(x, y);
      NDArray before = original.predict(x);

      ModelFile.save(original, file);
      try (SavedModel loaded = ModelFile.load(file, backend)) {
        Sequential copy = loaded.model();
        assertSame(backend, copy.backend());
        assertEquals(original.summary(), copy.summary(), "same layers, shapes and parameter count");
        NDArray after = copy.predict(x);
        assertEquals(before.shape(), after.shape());
        assertArrayEquals(
            before.data(), after.data(), "the loaded model must predict bit-identically");
        assertSameState(original, copy);
        assertEquals(original.metrics().get(0).name(), copy.metrics().get(0).name());
        assertEquals("mse", copy.loss().name());
        Adam adam = (Adam) copy.optimizer();
        assertEquals(c.learningRate(), adam.learningRate());

        float lossOriginal = original.trainOnBatch(x, y);
        float lossCopy = copy.trainOnBatch(x, y);
        assertEquals(
            Float.floatToIntBits(lossOriginal), Float.floatToIntBits(lossCopy), "next step's loss");
        assertSameState(original, copy);
        assertArrayEquals(
            original.predict(x).data(), copy.predict(x).data(), "predictions after one more step");
      }
    }
  }

  @Test
  void metadataRoundTripsExactly() throws Exception {
    ModelMetadata meta =
        ModelMetadata.builder()
            .put("scaler.mean", 0.1, Math.PI, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1e-300)
            .put("scaler.std", 2.5)
            .put("gaps", Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)
            .put("empty")
            .put("series", "Mauna Loa CO₂ \"weekly\"\nline two")
            .put("frequency", "")
            .build();
    Path file = dir.resolve("meta.tsm");
    try (Sequential m = ModelFixtures.smallTrained(1, 1)) {
      ModelFile.save(m, file, meta);
    }
    try (SavedModel loaded = ModelFile.load(file, ModelFixtures.backend("reference"))) {
      assertEquals(meta, loaded.metadata());
      assertEquals(
          List.of("scaler.mean", "scaler.std", "gaps", "empty"),
          List.copyOf(loaded.metadata().numberEntries().keySet()),
          "keys keep their order");
      assertArrayEquals(new double[] {2.5}, loaded.metadata().numbers("scaler.std").orElseThrow());
      assertEquals("", loaded.metadata().text("frequency").orElseThrow());
    }
  }

  @Test
  void anUncompiledModelLoadsForPredictionOnly() throws Exception {
    Path file = dir.resolve("plain.tsm");
    NDArray x = ModelFixtures.inputs(3, 5, 2);
    NDArray before;
    try (Sequential m =
        new Sequential(new GRU(3), new Dense(2)).seed(8).backend(ModelFixtures.backend("cpu"))) {
      before = m.predict(x); // builds the model with its initial weights
      ModelFile.save(m, file);
    }
    try (SavedModel loaded = ModelFile.load(file, ModelFixtures.backend("cpu"))) {
      assertArrayEquals(before.data(), loaded.model().predict(x).data());
      assertEquals(null, loaded.model().loss());
      assertEquals(null, loaded.model().optimizer());
      assertTrue(loaded.metadata().isEmpty());
    }
  }

  @Test
  void aCompiledButUntrainedModelStartsAdamFromScratch() throws Exception {
    Path file = dir.resolve("fresh.tsm");
    try (Sequential original = ModelFixtures.smallTrained(4, 0)) {
      ModelFile.save(original, file);
      NDArray x = ModelFixtures.inputs(4, 6, 1);
      NDArray y = ModelFixtures.targetsFor(original, x, 5);
      try (SavedModel loaded = ModelFile.load(file, original.backend())) {
        assertEquals(0, loaded.model().optimizer().iterations());
        original.trainOnBatch(x, y);
        loaded.model().trainOnBatch(x, y);
        assertSameState(original, loaded.model());
      }
    }
  }

  @Test
  void aModelSavedOnTheNativeCpuLoadsOntoTheReference() throws Exception {
    Path file = dir.resolve("cpu.tsm");
    NDArray x = ModelFixtures.inputs(6, 9, 1);
    NDArray onCpu;
    try (Sequential m =
        new Sequential(new LSTM(6).returnSequences(true), new TimeDistributed(new Dense(2)))
            .seed(2)
            .backend(ModelFixtures.backend("cpu"))) {
      m.compile(Loss.mse(), new Adam(0.01));
      m.build(Shape.of(9, 1));
      m.trainOnBatch(x, ModelFixtures.targetsFor(m, x, 7));
      onCpu = m.predict(x);
      ModelFile.save(m, file);
    }
    try (SavedModel loaded = ModelFile.load(file, ModelFixtures.backend("reference"))) {
      assertEquals("reference", loaded.model().backend().name());
      float[] onReference = loaded.model().predict(x).data();
      for (int i = 0; i < onReference.length; i++) {
        assertEquals(onCpu.data()[i], onReference[i], 1e-5, "prediction " + i + " across backends");
      }
    }
  }

  @Test
  void savingTheSameModelTwiceWritesTheSameBytes() throws Exception {
    try (Sequential m = ModelFixtures.smallTrained(9, 2)) {
      ModelFile.save(m, dir.resolve("a.tsm"));
      ModelFile.save(m, dir.resolve("b.tsm"));
    }
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a.tsm")), Files.readAllBytes(dir.resolve("b.tsm")));
  }

  @Test
  void loadWithoutABackendUsesTheAutomaticChoice() throws Exception {
    Path file = dir.resolve("auto.tsm");
    try (Sequential m = ModelFixtures.smallTrained(2, 1)) {
      ModelFile.save(m, file);
    }
    try (SavedModel loaded = ModelFile.load(file)) {
      assertSame(Backend.auto(), loaded.model().backend());
    }
  }
}
