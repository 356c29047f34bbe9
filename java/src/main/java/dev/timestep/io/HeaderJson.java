package dev.timestep.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.timestep.nn.Model;
import dev.timestep.tensor.Shape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The JSON header of a model file, written and read with Jackson's streaming API. The keys and
 * their meaning are listed in docs/MODEL-FORMAT.md; reading refuses unknown keys and wrong types
 * with a message that says where.
 */
final class HeaderJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final List<String> TOP_KEYS =
      List.of(
          "inputShape", "seed", "layers", "loss", "metrics", "optimizer", "metadata", "tensors");

  /** A functional model's keys: its graph instead of one input shape. */
  private static final List<String> FUNCTIONAL_KEYS =
      List.of(
          "model",
          "inputs",
          "seed",
          "layers",
          "nodes",
          "outputs",
          "loss",
          "lossWeights",
          "metrics",
          "optimizer",
          "metadata",
          "tensors");

  /** The value of "model" in a functional model's header (Sequential files have no such key). */
  static final String FUNCTIONAL = "Functional";

  private static final List<String> TENSOR_KEYS =
      List.of("name", "role", "shape", "offset", "length");

  private HeaderJson() {}

  static byte[] write(ModelHeader h) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
      // "\n" whatever the platform, so the same model gives the same bytes everywhere.
      g.setPrettyPrinter(
          new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));
      g.writeStartObject();
      ModelHeader.Graph graph = h.graph();
      if (graph == null) {
        g.writeFieldName("inputShape");
        writeShape(g, h.inputShape());
      } else {
        g.writeStringField("model", FUNCTIONAL);
        g.writeArrayFieldStart("inputs");
        for (Shape s : graph.inputs()) {
          writeShape(g, s);
        }
        g.writeEndArray();
      }
      g.writeNumberField("seed", h.seed());
      g.writeArrayFieldStart("layers");
      for (LayerConfig layer : h.layers()) {
        writeLayer(g, layer);
      }
      g.writeEndArray();
      if (graph != null) {
        writeGraph(g, graph);
      }
      writeLoss(g, h.loss());
      if (graph != null && graph.lossWeights() != null) {
        g.writeArrayFieldStart("lossWeights");
        for (double w : graph.lossWeights()) {
          g.writeNumber(w);
        }
        g.writeEndArray();
      }
      g.writeArrayFieldStart("metrics");
      for (String m : h.metrics()) {
        g.writeString(m);
      }
      g.writeEndArray();
      writeOptimizer(g, h.optimizer());
      writeMetadata(g, h.metadata());
      g.writeArrayFieldStart("tensors");
      for (TensorEntry t : h.tensors()) {
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeStringField("role", t.role());
        g.writeFieldName("shape");
        writeShape(g, t.shape());
        g.writeNumberField("offset", t.offset());
        g.writeNumberField("length", t.length());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "writing a model header to memory failed", e); // no real I/O happens
    }
    return bytes.toByteArray();
  }

  private static void writeGraph(JsonGenerator g, ModelHeader.Graph graph) throws IOException {
    g.writeArrayFieldStart("nodes");
    for (Model.Node n : graph.nodes()) {
      g.writeStartObject();
      g.writeNumberField("layer", n.layer());
      g.writeArrayFieldStart("inbound");
      for (Model.Connection c : n.inbound()) {
        writeConnection(g, c);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("outputs");
    for (Model.Connection c : graph.outputs()) {
      writeConnection(g, c);
    }
    g.writeEndArray();
  }

  private static void writeConnection(JsonGenerator g, Model.Connection c) throws IOException {
    g.writeStartArray();
    g.writeNumber(c.source());
    g.writeNumber(c.index());
    g.writeEndArray();
  }

  private static void writeShape(JsonGenerator g, Shape shape) throws IOException {
    g.writeStartArray();
    for (int d : shape.dims()) {
      g.writeNumber(d);
    }
    g.writeEndArray();
  }

  private static void writeLayer(JsonGenerator g, LayerConfig layer) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", layer.type());
    for (Map.Entry<String, Object> e : layer.options().entrySet()) {
      Object v = e.getValue();
      if (v instanceof Integer i) {
        g.writeNumberField(e.getKey(), i);
      } else if (v instanceof Double d) {
        g.writeNumberField(e.getKey(), d); // shortest decimal that parses back to the same double
      } else if (v instanceof Boolean b) {
        g.writeBooleanField(e.getKey(), b);
      } else {
        g.writeStringField(e.getKey(), (String) v);
      }
    }
    if (layer.inner() != null) {
      g.writeFieldName("layer");
      writeLayer(g, layer.inner());
    }
    g.writeEndObject();
  }

  /** A bare name for a loss without parameters (as before losses had any), else an object. */
  private static void writeLoss(JsonGenerator g, LossConfig loss) throws IOException {
    if (loss == null) {
      g.writeNullField("loss");
      return;
    }
    if (loss.options().isEmpty()) {
      g.writeStringField("loss", loss.name());
      return;
    }
    g.writeObjectFieldStart("loss");
    g.writeStringField("name", loss.name());
    for (String key : new TreeSet<>(loss.options().keySet())) {
      Object v = loss.options().get(key);
      if (v instanceof List<?> list) {
        g.writeArrayFieldStart(key);
        for (Object item : list) {
          g.writeNumber((Double) item); // shortest decimal that parses back to the same double
        }
        g.writeEndArray();
      } else {
        g.writeNumberField(key, (Double) v);
      }
    }
    g.writeEndObject();
  }

  private static void writeOptimizer(JsonGenerator g, ModelHeader.OptimizerConfig optimizer)
      throws IOException {
    if (optimizer == null) {
      g.writeNullField("optimizer");
      return;
    }
    g.writeObjectFieldStart("optimizer");
    g.writeStringField("type", optimizer.type());
    for (Map.Entry<String, Object> e : optimizer.options().entrySet()) {
      if (e.getValue() instanceof Boolean b) {
        g.writeBooleanField(e.getKey(), b);
      } else {
        g.writeNumberField(e.getKey(), (Double) e.getValue());
      }
    }
    g.writeNumberField("iterations", optimizer.iterations());
    g.writeEndObject();
  }

  private static void writeMetadata(JsonGenerator g, ModelMetadata meta) throws IOException {
    g.writeObjectFieldStart("metadata");
    g.writeObjectFieldStart("text");
    for (Map.Entry<String, String> e : meta.textEntries().entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeObjectFieldStart("numbers");
    for (Map.Entry<String, double[]> e : meta.numberEntries().entrySet()) {
      g.writeArrayFieldStart(e.getKey());
      for (double v : e.getValue()) {
        if (Double.isFinite(v)) {
          g.writeNumber(v); // shortest decimal that parses back to the same double
        } else {
          g.writeString(Double.toString(v)); // "NaN", "Infinity", "-Infinity"
        }
      }
      g.writeEndArray();
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  /**
   * The header in {@code json}, or an IllegalArgumentException that says what is wrong and where.
   */
  static ModelHeader read(byte[] json) {
    JsonFields top = new JsonFields("header", JsonTree.parseObject(json));
    boolean functional = top.has("model");
    if (functional && !FUNCTIONAL.equals(top.string("model"))) {
      throw new IllegalArgumentException(
          "header.model is '"
              + top.string("model")
              + "'; this build knows \""
              + FUNCTIONAL
              + "\" (a Sequential file has no 'model' key)");
    }
    top.allowOnly(functional ? FUNCTIONAL_KEYS : TOP_KEYS);
    Shape inputShape = functional ? null : shape(top, "inputShape", 1);
    long seed = top.longValue("seed");
    List<LayerConfig> layers = new ArrayList<>();
    List<JsonFields> layerObjects = top.objects("layers");
    if (layerObjects.isEmpty()) {
      throw new IllegalArgumentException("header.layers is empty; a model has at least one layer");
    }
    for (JsonFields layer : layerObjects) {
      layers.add(layer(layer));
    }
    LossConfig loss = loss(top);
    List<String> metrics = new ArrayList<>();
    for (Object m : top.list("metrics")) {
      if (!(m instanceof String s)) {
        throw new IllegalArgumentException(
            "header.metrics must hold metric names (strings), got " + m);
      }
      metrics.add(s);
    }
    ModelHeader.OptimizerConfig optimizer =
        top.has("optimizer") ? optimizer(top.object("optimizer")) : null;
    if ((loss == null) != (optimizer == null)) {
      throw new IllegalArgumentException(
          "header: a compiled model has both a loss and an optimizer, got loss "
              + loss
              + " and optimizer "
              + (optimizer == null ? "null" : optimizer.type()));
    }
    if (loss == null && !metrics.isEmpty()) {
      throw new IllegalArgumentException(
          "header: metrics " + metrics + " are given for a model with no loss");
    }
    ModelMetadata metadata = metadata(top.object("metadata"));
    List<TensorEntry> tensors = new ArrayList<>();
    long expectedOffset = 0;
    for (JsonFields t : top.objects("tensors")) {
      TensorEntry e = tensor(t);
      if (e.offset() != expectedOffset) {
        throw new IllegalArgumentException(
            t.where()
                + " starts at payload byte "
                + e.offset()
                + " but tensors are stored back to back, so it must start at "
                + expectedOffset);
      }
      expectedOffset += e.length();
      tensors.add(e);
    }
    ModelHeader.Graph graph = functional ? graph(top, layers.size(), loss != null) : null;
    return new ModelHeader(
        inputShape, seed, layers, loss, metrics, optimizer, metadata, tensors, graph);
  }

  /** A functional model's inputs, nodes, outputs and loss weights, each reference checked. */
  private static ModelHeader.Graph graph(JsonFields top, int layerCount, boolean compiled) {
    List<Shape> inputs = new ArrayList<>();
    List<Object> inputItems = top.list("inputs");
    if (inputItems.isEmpty()) {
      throw new IllegalArgumentException("header.inputs is empty; a model has at least one input");
    }
    for (int i = 0; i < inputItems.size(); i++) {
      inputs.add(
          shape(
              new JsonFields(
                  "header.inputs", java.util.Collections.singletonMap("" + i, inputItems.get(i))),
              "" + i,
              1));
    }
    List<Model.Node> nodes = new ArrayList<>();
    int sources = inputs.size();
    for (JsonFields n : top.objects("nodes")) {
      n.allowOnly(List.of("layer", "inbound"));
      int layer = (int) n.longValue("layer", 0, layerCount - 1);
      List<Model.Connection> inbound = new ArrayList<>();
      for (Object c : n.list("inbound")) {
        inbound.add(connection(n.where() + ".inbound", c, sources));
      }
      if (inbound.isEmpty()) {
        throw new IllegalArgumentException(n.where() + ".inbound is empty");
      }
      nodes.add(new Model.Node(layer, inbound));
      sources++;
    }
    List<Model.Connection> outputs = new ArrayList<>();
    for (Object c : top.list("outputs")) {
      outputs.add(connection("header.outputs", c, sources));
    }
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException(
          "header.outputs is empty; a model has at least one output");
    }
    double[] weights = null;
    if (top.has("lossWeights")) {
      List<Object> items = top.list("lossWeights");
      weights = new double[items.size()];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = top.asDouble("lossWeights[" + i + "]", items.get(i));
      }
    }
    if (compiled != (weights != null)) {
      throw new IllegalArgumentException(
          "header: a compiled functional model has lossWeights and an uncompiled one none");
    }
    return new ModelHeader.Graph(inputs, nodes, outputs, weights);
  }

  /** A [source, index] pair naming an input (source < inputs) or an earlier node's output. */
  private static Model.Connection connection(String where, Object item, int sources) {
    if (item instanceof List<?> pair
        && pair.size() == 2
        && pair.get(0) instanceof Long source
        && pair.get(1) instanceof Long index
        && source >= 0
        && source < sources
        && index >= 0
        && index < Integer.MAX_VALUE) {
      return new Model.Connection(source.intValue(), index.intValue());
    }
    throw new IllegalArgumentException(
        where
            + " holds "
            + item
            + "; a connection is [source, index] with source an input or an earlier node (0-"
            + (sources - 1)
            + ")");
  }

  /** "loss": null, a name, or {"name": ..., parameter: value, ...}. */
  private static LossConfig loss(JsonFields top) {
    if (!top.has("loss")) {
      return null;
    }
    Object raw = top.raw("loss");
    if (raw instanceof String name) {
      return LossConfig.named(name);
    }
    if (!(raw instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(
          "header: 'loss' must be a loss name, an object with its name and parameters, or null;"
              + " got "
              + raw);
    }
    JsonFields f = top.object("loss");
    Map<String, Object> options = new LinkedHashMap<>(f.entries());
    options.remove("name");
    if (options.containsValue(null)) {
      throw new IllegalArgumentException("header.loss: a parameter is null in " + options);
    }
    return new LossConfig(f.string("name"), options);
  }

  private static LayerConfig layer(JsonFields f) {
    String type = f.string("type");
    Map<String, Object> options = new LinkedHashMap<>();
    LayerConfig inner = null;
    for (Map.Entry<String, Object> e : f.entries().entrySet()) {
      String key = e.getKey();
      Object v = e.getValue();
      if (key.equals("type")) {
        continue;
      }
      if (key.equals("layer")) {
        inner = layer(f.object("layer"));
      } else if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
        options.put(key, l.intValue());
      } else if (v instanceof Boolean || v instanceof String || v instanceof Double) {
        options.put(key, v);
      } else {
        throw new IllegalArgumentException(
            f.where()
                + " ("
                + type
                + "): option '"
                + key
                + "' must be a number, a boolean or a string, got "
                + v);
      }
    }
    return new LayerConfig(type, options, inner);
  }

  private static ModelHeader.OptimizerConfig optimizer(JsonFields f) {
    String type = f.string("type");
    List<List<String>> keys = OptimizerCodecs.keys(type, f.where());
    List<String> allowed = new ArrayList<>(List.of("type", "iterations"));
    keys.forEach(allowed::addAll);
    f.allowOnly(allowed);
    Map<String, Object> options = new LinkedHashMap<>();
    for (String key : keys.get(0)) {
      options.put(key, f.doubleValue(key));
    }
    for (String key : keys.get(1)) {
      options.put(key, f.bool(key));
    }
    for (String key : keys.get(2)) {
      if (f.has(key)) {
        options.put(key, f.bool(key));
      }
    }
    return new ModelHeader.OptimizerConfig(
        type, options, f.longValue("iterations", 0, Long.MAX_VALUE));
  }

  private static ModelMetadata metadata(JsonFields f) {
    f.allowOnly(List.of("text", "numbers"));
    ModelMetadata.Builder b = ModelMetadata.builder();
    for (Map.Entry<String, Object> e : f.entries("text").entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw new IllegalArgumentException(
            f.where() + ".text: '" + e.getKey() + "' must be a string, got " + e.getValue());
      }
      b.put(e.getKey(), s);
    }
    JsonFields numbers = f.object("numbers");
    for (String key : f.entries("numbers").keySet()) {
      List<Object> items = numbers.list(key);
      double[] values = new double[items.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = numbers.asDouble(key + "[" + i + "]", items.get(i));
      }
      b.put(key, values);
    }
    return b.build();
  }

  private static TensorEntry tensor(JsonFields f) {
    f.allowOnly(TENSOR_KEYS);
    String role = f.string("role");
    if (!List.of(TensorEntry.PARAMETER, TensorEntry.STATE, TensorEntry.OPTIMIZER).contains(role)) {
      throw new IllegalArgumentException(
          f.where() + ": unknown role '" + role + "'; expected parameter, state or optimizer");
    }
    Shape shape = shape(f, "shape", 0);
    long offset = f.longValue("offset", 0, Long.MAX_VALUE);
    long length = f.longValue("length", 0, Long.MAX_VALUE);
    if (length != 4 * shape.size()) {
      throw new IllegalArgumentException(
          f.where()
              + ": a float32 tensor of shape "
              + shape
              + " takes "
              + 4 * shape.size()
              + " bytes, but its length says "
              + length);
    }
    return new TensorEntry(f.string("name"), role, shape, offset, length);
  }

  /** A shape from a non-empty array of integers, each at least {@code min}. */
  private static Shape shape(JsonFields f, String key, int min) {
    List<Object> items = f.list(key);
    if (items.isEmpty() || items.size() > 8) {
      throw new IllegalArgumentException(
          f.where() + ": '" + key + "' must list 1 to 8 dimensions, got " + items);
    }
    int[] dims = new int[items.size()];
    long size = 1;
    for (int i = 0; i < dims.length; i++) {
      Object v = items.get(i);
      if (!(v instanceof Long l) || l < min || l > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            f.where() + ": '" + key + "' must list integers >= " + min + ", got " + items);
      }
      dims[i] = l.intValue();
      size *= dims[i];
      if (size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            f.where() + ": '" + key + "' " + items + " holds too many values");
      }
    }
    return Shape.of(dims);
  }
}
