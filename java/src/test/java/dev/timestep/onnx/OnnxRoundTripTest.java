package dev.timestep.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.io.ModelMetadata;
import dev.timestep.io.SavedModel;
import dev.timestep.nn.Bidirectional;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Layer;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model Timestep exported imports back as the same layers with the same weights (so the same
 * predictions, bit for bit), and its metadata comes back: text as text, numbers as numbers.
 */
class OnnxRoundTripTest {
  @TempDir Path dir;

  @Test
  void exportedModelImportsAsTheSameLayersAndWeights() throws Exception {
    Sequential original =
        new Sequential(
                new Conv1D(4, 3).padding(ConvPadding.CAUSAL).dilationRate(2),
                new Conv1D(5, 2).padding(ConvPadding.SAME).strides(2).activation(Activation.RELU),
                new Bidirectional(new LSTM(3).returnSequences(true)),
                new GRU(4).returnSequences(true),
                new SimpleRNN(3).activation(Activation.RELU),
                new Dense(2, Activation.SIGMOID))
            .backend(ReferenceBackend.float32());
    Path file = dir.resolve("model.onnx");
    ModelMetadata metadata =
        ModelMetadata.builder()
            .put("series.window", 20)
            .put("series.scaler.mean", 0.5, -1.25e-7)
            .put("series.target", "co2")
            .build();
    try (original) {
      original.build(Shape.of(9, 2));
      OnnxExportRuntimeTest.randomizeWeights(original, 5);
      OnnxExport.save(original, file, metadata);
      NDArray x = OnnxTestSupport.random(Shape.of(3, 12, 2), 7, 1.0);
      try (SavedModel imported = OnnxImport.load(file, ReferenceBackend.float32())) {
        Sequential m = imported.model();
        assertEquals(names(original), names(m));
        List<NDArray> a = original.getWeights();
        List<NDArray> b = m.getWeights();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
          assertArrayEquals(a.get(i).data(), b.get(i).data(), "weight array " + i);
        }
        assertArrayEquals(original.predict(x).data(), m.predict(x).data());
        assertEquals(metadata, imported.metadata());
      }
    }
  }

  @Test
  void flattenDenseModelWithFixedLengthRoundTrips() throws Exception {
    try (Sequential original =
        new Sequential(new Flatten(), new Dense(3)).backend(ReferenceBackend.float32())) {
      original.build(Shape.of(6, 1));
      OnnxExportRuntimeTest.randomizeWeights(original, 3);
      byte[] bytes = OnnxExport.toBytes(original, ModelMetadata.EMPTY);
      NDArray x = OnnxTestSupport.random(Shape.of(2, 6, 1), 1, 1.0);
      try (SavedModel imported =
          OnnxImport.fromBytes(bytes, "linear.onnx", ReferenceBackend.float32())) {
        assertEquals(names(original), names(imported.model()));
        assertArrayEquals(original.predict(x).data(), imported.model().predict(x).data());
      }
    }
  }

  private static List<String> names(Sequential m) {
    return m.layers().stream().map(Layer::name).toList();
  }
}
