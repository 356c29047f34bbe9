package dev.timestep.onnx;

import dev.timestep.backend.Backend;
import dev.timestep.io.ModelMetadata;
import dev.timestep.io.SavedModel;
import dev.timestep.nn.Layer;
import dev.timestep.nn.Sequential;
import dev.timestep.onnx.proto.Onnx.ModelProto;
import dev.timestep.onnx.proto.Onnx.StringStringEntryProto;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns an ONNX model (opsets 11 to 20) into a Timestep {@link Sequential} of fused layers, so that
 * a model trained in PyTorch, exported with {@code torch.onnx.export}, predicts in Timestep as fast
 * as one built natively: LSTM, GRU and RNN nodes (forward or bidirectional) become LSTM, GRU and
 * SimpleRNN layers, 1-D Conv nodes (with their Pad) Conv1D, Gemm and MatMul with Add become Dense,
 * and Relu, Tanh and Sigmoid fold into the layer before. The Transposes, Squeezes, Reshapes and
 * Gathers exporters put around recurrent ops (batch-first models, taking the last step) fold away,
 * and the constant subgraphs that compute zero initial states are recognised as such.
 *
 * <p>Anything else is refused before any model is built, with an {@link OnnxImportException}: one
 * message lists every unsupported node (op type, name, opset); others name the node and why
 * (non-zero initial states, sequence lengths, {@code linear_before_reset=0}, a branching graph,
 * weights in an external file, a truncated or non-ONNX file).
 *
 * <pre>{@code
 * try (SavedModel imported = OnnxImport.load(Path.of("model.onnx"))) {
 *   NDArray y = imported.model().predict(x);            // x: [batch, time, features]
 * }
 * }</pre>
 */
public final class OnnxImport {
  /** The window of a forecasting model's metadata (the forecasting workflow's key). */
  private static final String SERIES_WINDOW = "series.window";

  private OnnxImport() {}

  /** Imports {@code file} on the default backend. */
  public static SavedModel load(Path file) throws IOException {
    return load(file, null);
  }

  /**
   * Imports {@code file} as a built Sequential on {@code backend} (null: the default backend), with
   * the model's ONNX metadata properties as its metadata.
   *
   * @throws OnnxImportException when the file is not an ONNX model Timestep can import; nothing is
   *     built then
   * @throws IOException when the file cannot be read
   */
  public static SavedModel load(Path file, Backend backend) throws IOException {
    if (file == null) {
      throw new IllegalArgumentException("ONNX import: the file is null");
    }
    return build(OnnxReader.read(file), file.toString(), backend);
  }

  /** Imports an ONNX model held in memory; {@code source} names it in messages. */
  public static SavedModel fromBytes(byte[] bytes, String source, Backend backend) {
    return build(OnnxReader.parse(bytes, source), source, backend);
  }

  private static SavedModel build(ModelProto proto, String source, Backend backend) {
    GraphImporter.Result found = new GraphImporter(proto, source).run();
    ModelMetadata metadata = metadata(proto, source);
    List<Layer> layers = new ArrayList<>();
    List<NDArray> weights = new ArrayList<>();
    for (LayerSpec spec : found.layers()) {
      layers.add(spec.layer());
      weights.addAll(spec.weights());
    }
    Sequential model = new Sequential(layers.toArray(new Layer[0]));
    try {
      if (backend != null) {
        model.backend(backend);
      }
      model.build(buildShape(found.sample(), metadata));
      model.setWeights(weights);
      return new SavedModel(model, metadata);
    } catch (RuntimeException e) {
      model.close();
      throw e instanceof OnnxImportException
          ? e
          : new OnnxImportException(source + ": the layers found do not fit: " + e.getMessage(), e);
    }
  }

  /**
   * A forecasting model (one Timestep exported with its series metadata) is built for its window,
   * as the forecasting workflow checks; any other model for the sample shape found.
   */
  private static Shape buildShape(Shape found, ModelMetadata metadata) {
    double[] window = metadata.numbers(SERIES_WINDOW).orElse(null);
    if (found.rank() == 2
        && window != null
        && window.length == 1
        && window[0] >= found.dim(0)
        && window[0] <= Integer.MAX_VALUE) {
      return Shape.of((int) window[0], found.dim(1));
    }
    return found;
  }

  /** Metadata properties as text entries, those OnnxExport listed as numbers as numbers. */
  private static ModelMetadata metadata(ModelProto proto, String source) {
    Set<String> numberKeys = new HashSet<>();
    for (StringStringEntryProto e : proto.getMetadataPropsList()) {
      if (e.getKey().equals(OnnxExport.NUMBER_KEYS)) {
        numberKeys.addAll(Arrays.asList(e.getValue().split(",")));
      }
    }
    ModelMetadata.Builder b = ModelMetadata.builder();
    try {
      for (StringStringEntryProto e : proto.getMetadataPropsList()) {
        if (e.getKey().equals(OnnxExport.NUMBER_KEYS)) {
          continue;
        }
        if (numberKeys.contains(e.getKey())) {
          String v = e.getValue();
          b.put(
              e.getKey(),
              v.isEmpty()
                  ? new double[0]
                  : Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray());
        } else {
          b.put(e.getKey(), e.getValue());
        }
      }
    } catch (IllegalArgumentException e) {
      throw new OnnxImportException(source + ": metadata property: " + e.getMessage(), e);
    }
    return b.build();
  }
}
