package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.data.ChapterData;
import dev.timestep.data.Splits;
import dev.timestep.tensor.NDArray;
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
 * The chapter's model shapes on the CUDA backend against {@link ReferenceBackend#float32()}, layer
 * by layer as a user runs them: the same seed (so the same initial weights) and the same batch of
 * the chapter's series on both; one training forward and backward (predictions, loss and every
 * parameter's gradient), then inference predictions (which, for batch normalization, use the moving
 * statistics that training forward updated). Runs where a CUDA device is present and is skipped
 * (not passed) elsewhere.
 *
 * <p>Error per compared tensor: {@code max|cuda - ref| / max(1e-6, max|ref|)} (normwise, so values
 * near zero do not make a per-element ratio meaningless), at most {@value #TOLERANCE}, as for the
 * single ops: here a 50-step recurrence and sums over 32 × 50 rows feed the gradients.
 */
class CudaLayersVsReferenceTest {
  static final double TOLERANCE = 1e-4;

  static Stream<Arguments> models() {
    List<Arguments> out = new ArrayList<>();
    out.add(
        Arguments.of(
            "SimpleRNN",
            (Supplier<Layer[]>)
                () ->
                    new Layer[] {
                      new SimpleRNN(20).returnSequences(true), new SimpleRNN(20), new Dense(1)
                    }));
    out.add(
        Arguments.of(
            "LSTM",
            (Supplier<Layer[]>)
                () ->
                    new Layer[] {new LSTM(20).returnSequences(true), new LSTM(20), new Dense(1)}));
    out.add(
        Arguments.of(
            "GRU",
            (Supplier<Layer[]>)
                () -> new Layer[] {new GRU(20).returnSequences(true), new GRU(20), new Dense(1)}));
    out.add(
        Arguments.of(
            "LayerNormSimpleRNN",
            (Supplier<Layer[]>)
                () ->
                    new Layer[] {
                      new LayerNormSimpleRNN(20).returnSequences(true),
                      new LayerNormSimpleRNN(20),
                      new Dense(1)
                    }));
    out.add(
        Arguments.of(
            "Conv-GRU",
            (Supplier<Layer[]>)
                () ->
                    new Layer[] {
                      new Conv1D(20, 4).strides(2).padding(ConvPadding.VALID),
                      new GRU(20).returnSequences(true),
                      new GRU(20),
                      new Dense(1)
                    }));
    out.add(
        Arguments.of(
            "WaveNet",
            (Supplier<Layer[]>)
                () ->
                    new Layer[] {
                      causal(1),
                      causal(2),
                      causal(4),
                      causal(8),
                      new Conv1D(10, 1),
                      new Flatten(),
                      new Dense(1)
                    }));
    out.add(
        Arguments.of(
            "SimpleRNN+BatchNormalization",
            (Supplier<Layer[]>)
                () ->
                    new Layer[] {
                      new SimpleRNN(20).returnSequences(true),
                      new BatchNormalization(),
                      new SimpleRNN(20),
                      new Dense(1)
                    }));
    out.add(
        Arguments.of(
            "SimpleRNN+LayerNormalization",
            (Supplier<Layer[]>)
                () ->
                    new Layer[] {
                      new SimpleRNN(20).returnSequences(true),
                      new LayerNormalization(),
                      new SimpleRNN(20),
                      new Dense(1)
                    }));
    return out.stream();
  }

  private static Conv1D causal(int dilation) {
    return new Conv1D(20, 2)
        .padding(ConvPadding.CAUSAL)
        .activation(Activation.RELU)
        .dilationRate(dilation);
  }

  /** Every result of one model on one backend, by name. */
  private static Map<String, float[]> run(
      Backend b, Supplier<Layer[]> layers, NDArray x, NDArray y) {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (Sequential m = new Sequential(layers.get()).backend(b).seed(5)) {
      m.build(x.shape().dropFirst());
      try (Tape tape = new Tape(b)) {
        Variable pred = m.forward(tape, tape.constant(b.upload(x, tape.scope())), true);
        Variable loss = Loss.mse().compute(tape, pred, tape.constant(b.upload(y, tape.scope())));
        m.parameters().zeroGrads();
        tape.backward(loss);
        out.put("training predictions", b.download(pred.value()).data());
        out.put("loss", new float[] {b.readScalar(loss.value())});
        for (Parameter p : m.parameters().parameters()) {
          out.put("gradient of " + p.name(), b.download(p.grad()).data());
        }
      }
      out.put("inference predictions", m.predict(x).data());
    }
    return out;
  }

  private static double normwiseError(float[] expected, float[] actual) {
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < expected.length; i++) {
      diff = Math.max(diff, Math.abs((double) actual[i] - expected[i]));
      scale = Math.max(scale, Math.abs((double) expected[i]));
    }
    return diff / Math.max(1e-6, scale);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void cudaMatchesTheReference(String name, Supplier<Layer[]> layers) {
    CudaTests.assumeUsable();
    Splits data = ChapterData.oneStep(21);
    NDArray x = data.train().x().rows(0, 32);
    NDArray y = data.train().y().rows(0, 32);
    Map<String, float[]> expected = run(ReferenceBackend.float32(), layers, x, y);
    Map<String, float[]> actual = run(CudaBackend.get(), layers, x, y);
    assertEquals(expected.keySet(), actual.keySet(), name + ": the same results on both backends");
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      double err = normwiseError(e.getValue(), actual.get(e.getKey()));
      if (!(err <= TOLERANCE)) { // also catches NaN
        failures.add(name + " " + e.getKey() + ": error " + err + " > " + TOLERANCE);
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }
}
