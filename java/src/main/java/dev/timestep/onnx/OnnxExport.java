package dev.timestep.onnx;

import dev.timestep.io.AtomicFiles;
import dev.timestep.io.ModelMetadata;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.Layer;
import dev.timestep.nn.ModelLease;
import dev.timestep.nn.RepeatVector;
import dev.timestep.nn.Sequential;
import dev.timestep.onnx.proto.Onnx.GraphProto;
import dev.timestep.onnx.proto.Onnx.ModelProto;
import dev.timestep.onnx.proto.Onnx.NodeProto;
import dev.timestep.onnx.proto.Onnx.OperatorSetIdProto;
import dev.timestep.onnx.proto.Onnx.StringStringEntryProto;
import dev.timestep.onnx.proto.Onnx.TensorProto;
import dev.timestep.onnx.proto.Onnx.TensorShapeProto;
import dev.timestep.onnx.proto.Onnx.TypeProto;
import dev.timestep.onnx.proto.Onnx.ValueInfoProto;
import dev.timestep.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a built {@link Sequential} as an ONNX model (opset {@value #OPSET}) that ONNX Runtime and
 * other ONNX tools run with the model's weights and inference behaviour (dropout off, batch
 * normalization on its moving statistics, recurrent layers from zero states).
 *
 * <p>The graph has one input, {@value #INPUT}, float32 {@code [batch, time, features]} (or {@code
 * [batch, features]} for a model of vector samples), and one output, {@value #OUTPUT}: {@code
 * [batch, units]} or {@code [batch, time', units]}. The batch axis is dynamic, named {@code batch};
 * the time axis is dynamic, named {@code time}, unless a Flatten layer fixes it; an output time
 * axis is {@code time} again where the layers keep the length, else {@code output_time} (strided
 * convolutions) or a fixed size (RepeatVector). The model's metadata (for a forecasting model its
 * window, horizon, columns and scaler) goes into the ONNX metadata properties, text entries as they
 * are and number entries as comma-separated values (their keys listed in {@code
 * timestep.number_keys}, so that {@link OnnxImport} reads them back as numbers).
 *
 * <pre>{@code
 * OnnxExport.save(model, Path.of("model.onnx"));
 * }</pre>
 */
public final class OnnxExport {
  /** The ONNX operator set the exported graphs use. */
  public static final int OPSET = 17;

  /** The name of the graph's input. */
  public static final String INPUT = "input";

  /** The name of the graph's output. */
  public static final String OUTPUT = "output";

  /** The metadata property listing the keys of number entries, comma-separated. */
  static final String NUMBER_KEYS = "timestep.number_keys";

  /** ONNX IR version 8, the one that goes with opset 17. */
  private static final long IR_VERSION = 8;

  private OnnxExport() {}

  /** Writes {@code model} to {@code file} with no metadata. */
  public static void save(Sequential model, Path file) throws IOException {
    save(model, file, ModelMetadata.EMPTY);
  }

  /**
   * Writes {@code model} and {@code metadata} to {@code file}, atomically replacing any file there.
   *
   * @throws IllegalArgumentException for a null argument or a layer with no ONNX form (the message
   *     names the layer); the file is then not touched
   * @throws IllegalStateException for a model that is closed or not built
   * @throws IOException when writing fails
   */
  public static void save(Sequential model, Path file, ModelMetadata metadata) throws IOException {
    if (file == null) {
      throw new IllegalArgumentException("ONNX export: the file is null");
    }
    byte[] bytes = toBytes(model, metadata);
    AtomicFiles.write(file, out -> out.write(bytes));
  }

  /** The ONNX model of {@code model} as bytes, as {@link #save} writes them. */
  public static byte[] toBytes(Sequential model, ModelMetadata metadata) {
    return toProto(model, metadata).toByteArray();
  }

  static ModelProto toProto(Sequential model, ModelMetadata metadata) {
    if (model == null || metadata == null) {
      throw new IllegalArgumentException(
          "ONNX export needs a model and metadata (ModelMetadata.EMPTY for none)");
    }
    if (model.isClosed()) {
      throw new IllegalStateException("ONNX export: the model was closed; its weights are freed");
    }
    if (!model.isBuilt()) {
      throw new IllegalStateException(
          "ONNX export: the model is not built yet, so it has no weights; train it or call "
              + "build(sampleShape) first");
    }
    GraphWriter g = new GraphWriter("");
    LayerExport layers = new LayerExport(g);
    Shape in = model.inputShape();
    boolean fixedTime = model.layers().stream().anyMatch(l -> l instanceof Flatten);
    String x = INPUT;
    Shape shape = in;
    String outputTime = "time";
    // one lease: the weights written come from one training step, and close waits for us
    try (ModelLease held = model.lease("ONNX export")) {
      List<Layer> all = model.layers();
      List<String> names = model.layerNames();
      for (int i = 0; i < all.size(); i++) {
        Layer layer = all.get(i);
        x = layers.emit(layer, names.get(i), x, shape);
        Shape next = layer.outputShape(shape);
        if (layer instanceof RepeatVector) {
          outputTime = null;
        } else if (outputTime != null
            && next.rank() == 2
            && shape.rank() == 2
            && next.dim(0) != shape.dim(0)) {
          outputTime = "output_time";
        }
        shape = next;
      }
    }
    g.graph().addNode(g.graph().getNodeCount(), identity(x));
    GraphProto graph =
        g.graph()
            .setName("timestep")
            .addInput(value(INPUT, in, fixedTime ? null : "time"))
            .addOutput(value(OUTPUT, shape, fixedTime ? null : outputTime))
            .build();
    ModelProto.Builder m =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName("timestep")
            .setProducerVersion("0.1.0")
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setGraph(graph);
    for (Map.Entry<String, String> e : metadata.textEntries().entrySet()) {
      m.addMetadataProps(entry(e.getKey(), e.getValue()));
    }
    for (Map.Entry<String, double[]> e : metadata.numberEntries().entrySet()) {
      String joined =
          Arrays.stream(e.getValue()).mapToObj(Double::toString).collect(Collectors.joining(","));
      m.addMetadataProps(entry(e.getKey(), joined));
    }
    if (!metadata.numberEntries().isEmpty()) {
      // ONNX metadata is text only: this entry tells an import which entries to read as numbers
      m.addMetadataProps(entry(NUMBER_KEYS, String.join(",", metadata.numberEntries().keySet())));
    }
    return m.build();
  }

  private static NodeProto identity(String from) {
    return NodeProto.newBuilder()
        .setOpType("Identity")
        .setName("output_identity")
        .addInput(from)
        .addOutput(OUTPUT)
        .build();
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  /** A float32 value [batch, ...sample], the batch dynamic and the time axis as {@code time}. */
  private static ValueInfoProto value(String name, Shape sample, String time) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
    for (int i = 0; i < sample.rank(); i++) {
      TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
      if (i == 0 && sample.rank() == 2 && time != null) {
        d.setDimParam(time);
      } else {
        d.setDimValue(sample.dim(i));
      }
      s.addDim(d);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(s)))
        .build();
  }
}
