package dev.timestep.onnx;

import static dev.timestep.onnx.OnnxTestSupport.assertClose;
import static dev.timestep.onnx.OnnxTestSupport.backend;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.io.SavedModel;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.GRU;
import dev.timestep.nn.Layer;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.JsonFixture;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models exported by PyTorch's own {@code torch.onnx.export} (tools/onnx/export_torch_fixtures.py
 * wrote fixtures/onnx/NAME.onnx with PyTorch's output for one input in NAME.json) import as
 * Timestep's fused layers and predict what PyTorch computed, within 1e-5, on every backend.
 */
class OnnxImportFixtureTest {
  private static final double TOLERANCE = 1e-5;

  /** The layers each fixture must become: PyTorch's reshaping folded away, nothing else left. */
  private static final Map<String, List<String>> LAYERS =
      Map.of(
          "lstm", List.of("LSTM", "LSTM", "Dense"),
          "gru", List.of("GRU", "GRU", "Dense"),
          "rnn", List.of("SimpleRNN", "SimpleRNN", "Dense"),
          "conv_gru", List.of("Conv1D", "GRU", "GRU", "Dense"),
          "wavenet", java.util.Collections.nCopies(9, "Conv1D"),
          "bilstm", List.of("Bidirectional", "Dense"),
          "trained_lstm", List.of("LSTM", "Dense"));

  static Stream<Arguments> fixturesOnBackends() {
    List<Arguments> out = new ArrayList<>();
    for (String backend : List.of("reference", "cpu", "cuda")) {
      for (String name :
          List.of("lstm", "gru", "rnn", "conv_gru", "wavenet", "bilstm", "trained_lstm")) {
        out.add(Arguments.of(backend, name));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("fixturesOnBackends")
  void predictsWhatPyTorchComputed(String backend, String name) throws Exception {
    Map<String, Object> fixture = fixture(name);
    NDArray x = array(fixture.get("input"));
    NDArray expected = array(fixture.get("output"));
    try (SavedModel imported = OnnxImport.load(resource(name + ".onnx"), backend(backend))) {
      List<String> types = imported.model().layers().stream().map(Layer::typeName).toList();
      assertEquals(LAYERS.get(name), types, name + ": the layers imported");
      assertClose(expected, imported.model().predict(x), TOLERANCE, name + " on " + backend);
    }
  }

  /**
   * The imported Conv1D+GRU model is the model built natively, layer for layer and option for
   * option (so it predicts as fast): the same summary and the same predictions, bit for bit.
   */
  @Test
  void importedModelIsTheNativeModel() throws Exception {
    NDArray x = array(fixture("conv_gru").get("input"));
    try (SavedModel imported =
            OnnxImport.load(resource("conv_gru.onnx"), ReferenceBackend.float32());
        Sequential native_ =
            new Sequential(
                    new Conv1D(20, 4).strides(2).padding(ConvPadding.VALID),
                    new GRU(20).returnSequences(true),
                    new GRU(20).returnSequences(true),
                    new Dense(10, Activation.LINEAR))
                .backend(ReferenceBackend.float32())) {
      native_.build(Shape.of(4, 1)); // the fewest steps a kernel of 4 takes, as the import
      native_.setWeights(imported.model().getWeights());
      assertEquals(native_.summary(), imported.model().summary());
      assertArrayEquals(native_.predict(x).data(), imported.model().predict(x).data());
    }
  }

  static Path resource(String file) throws URISyntaxException {
    return Path.of(OnnxImportFixtureTest.class.getResource("/fixtures/onnx/" + file).toURI());
  }

  private static Map<String, Object> fixture(String name) throws IOException {
    return JsonFixture.resource("/fixtures/onnx/" + name + ".json");
  }

  /** {"shape": [...], "data": [...]} as an array. */
  private static NDArray array(Object json) {
    return JsonFixture.array(json, "data");
  }
}
