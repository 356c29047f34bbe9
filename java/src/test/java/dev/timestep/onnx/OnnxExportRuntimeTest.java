package dev.timestep.onnx;

import static dev.timestep.onnx.OnnxTestSupport.assertClose;
import static dev.timestep.onnx.OnnxTestSupport.backend;
import static dev.timestep.onnx.OnnxTestSupport.random;
import static dev.timestep.onnx.OnnxTestSupport.runInOnnxRuntime;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
import dev.timestep.io.ModelMetadata;
import dev.timestep.models.ChapterModel;
import dev.timestep.models.ChapterModels;
import dev.timestep.nn.BatchNormalization;
import dev.timestep.nn.Bidirectional;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Layer;
import dev.timestep.nn.LayerNormSimpleRNN;
import dev.timestep.nn.LayerNormalization;
import dev.timestep.nn.RepeatVector;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every chapter model and every exportable layer, exported from Timestep and run in ONNX Runtime
 * (an independent implementation of the ops), predicts what Timestep predicts, within 1e-5, on
 * random weights (biases and batch-norm statistics included) and a random input whose batch and
 * length differ from those the model was built with (the axes are dynamic).
 */
class OnnxExportRuntimeTest {
  private static final double TOLERANCE = 1e-5;

  /** A model and the sample shape it is built with ([time, features] or [features]). */
  private record Case(Supplier<Sequential> model, Shape sample) {}

  private static final Map<String, Case> CASES = new LinkedHashMap<>();

  static {
    for (ChapterModel m : ChapterModels.all()) {
      CASES.put("chapter " + m.name(), new Case(() -> m.build(10), Shape.of(20, 1)));
    }
    CASES.put(
        "dense on vectors",
        new Case(
            () -> new Sequential(new Dense(8, Activation.RELU), new Dense(3, Activation.SIGMOID)),
            Shape.of(5)));
    CASES.put(
        "conv same, strided, tanh; causal without bias",
        new Case(
            () ->
                new Sequential(
                    new Conv1D(6, 3)
                        .strides(2)
                        .padding(ConvPadding.SAME)
                        .activation(Activation.TANH),
                    new Conv1D(4, 3).padding(ConvPadding.CAUSAL).dilationRate(2).useBias(false)),
            Shape.of(11, 3)));
    CASES.put(
        "layer norm, dropout, time-distributed",
        new Case(
            () ->
                new Sequential(
                    new Conv1D(4, 2),
                    new LayerNormalization(),
                    new Dropout(0.3),
                    new TimeDistributed(new Dense(2))),
            Shape.of(9, 2)));
    CASES.put(
        "encoder, repeat vector, decoder",
        new Case(
            () ->
                new Sequential(
                    new LSTM(5),
                    new RepeatVector(4),
                    new GRU(3).returnSequences(true),
                    new TimeDistributed(new Dense(2))),
            Shape.of(7, 2)));
    CASES.put(
        "simple rnn relu, linear",
        new Case(
            () ->
                new Sequential(
                    new SimpleRNN(6).activation(Activation.RELU).returnSequences(true),
                    new SimpleRNN(3).activation(Activation.LINEAR)),
            Shape.of(8, 2)));
    CASES.put(
        "bidirectional concat, sum, ave, mul",
        new Case(
            () ->
                new Sequential(
                    new Bidirectional(new LSTM(4).returnSequences(true)),
                    new Bidirectional(
                        new GRU(3).returnSequences(true), Bidirectional.MergeMode.SUM),
                    new Bidirectional(
                        new SimpleRNN(3).returnSequences(true), Bidirectional.MergeMode.AVE),
                    new Bidirectional(new LSTM(2), Bidirectional.MergeMode.MUL)),
            Shape.of(6, 2)));
    CASES.put(
        "bidirectional last step, concat",
        new Case(
            () -> new Sequential(new Bidirectional(new GRU(4)), new Dense(1)), Shape.of(6, 1)));
    CASES.put(
        "layer-norm cell, sequences then last",
        new Case(
            () ->
                new Sequential(
                    new LayerNormSimpleRNN(5).returnSequences(true),
                    new LayerNormSimpleRNN(3).activation(Activation.SIGMOID)),
            Shape.of(6, 2)));
    CASES.put(
        "batch norm between recurrent layers",
        new Case(
            () ->
                new Sequential(
                    new SimpleRNN(5).returnSequences(true), new BatchNormalization(), new GRU(3)),
            Shape.of(6, 1)));
  }

  static Stream<Arguments> casesOnBackends() {
    List<Arguments> out = new ArrayList<>();
    for (String backend : List.of("reference", "cpu", "cuda")) {
      for (String name : CASES.keySet()) {
        out.add(Arguments.of(backend, name));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("casesOnBackends")
  void onnxRuntimePredictsWhatTimestepPredicts(String backend, String name) throws Exception {
    Case c = CASES.get(name);
    try (Sequential model = c.model().get().backend(backend(backend))) {
      model.build(c.sample());
      randomizeWeights(model, name.hashCode());
      // another batch size, and (for sequences) another length than the model was built with,
      // unless a layer fixes the length
      Shape sample =
          c.sample().rank() == 2 && !name.startsWith("chapter linear")
              ? Shape.of(c.sample().dim(0) + 3, c.sample().dim(1))
              : c.sample();
      NDArray x = random(sample.prepend(5), 99, 1.0);
      NDArray expected = model.predict(x);
      byte[] onnx = OnnxExport.toBytes(model, ModelMetadata.EMPTY);
      NDArray actual = runInOnnxRuntime(onnx, x);
      assertClose(expected, actual, TOLERANCE, name + " on " + backend);
    }
  }

  /** Random weights everywhere (biases too), variances kept positive. */
  static void randomizeWeights(Sequential model, long seed) {
    long s = seed;
    for (Layer layer : model.layers()) {
      List<NDArray> w = new ArrayList<>();
      for (NDArray a : layer.getWeights()) {
        w.add(random(a.shape(), s++, 0.6));
      }
      if (layer instanceof BatchNormalization) {
        float[] var = w.get(3).data();
        for (int i = 0; i < var.length; i++) {
          var[i] = Math.abs(var[i]) + 0.5f;
        }
      }
      layer.setWeights(w);
    }
  }
}
