package dev.timestep.onnx;

import dev.timestep.onnx.ImportedValue.Data;
import dev.timestep.onnx.ImportedValue.Known;
import dev.timestep.onnx.ImportedValue.Layout;
import dev.timestep.onnx.ImportedValue.Opaque;
import dev.timestep.onnx.ImportedValue.Zeros;
import dev.timestep.onnx.proto.Onnx.GraphProto;
import dev.timestep.onnx.proto.Onnx.ModelProto;
import dev.timestep.onnx.proto.Onnx.NodeProto;
import dev.timestep.onnx.proto.Onnx.TensorProto;
import dev.timestep.onnx.proto.Onnx.TensorShapeProto;
import dev.timestep.onnx.proto.Onnx.ValueInfoProto;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX graph as a chain of Timestep layers. The data's path from the graph's input to its
 * output must be a chain; every node on it becomes a layer, folds into one (an activation, a bias,
 * taking the last step), or only moves axes (the Transposes, Squeezes and Reshapes exporters put
 * around recurrent ops and convolutions, which Timestep's batch-major layers do not need). Nodes
 * off the path compute constants (folded here) or the zero initial states of recurrent ops.
 */
final class GraphImporter {
  /** The operators an import understands, as they appear in exported sequence models. */
  static final List<String> SUPPORTED =
      List.of(
          "LSTM",
          "GRU",
          "RNN",
          "Conv",
          "Gemm",
          "MatMul",
          "Add",
          "Relu",
          "Tanh",
          "Sigmoid",
          "Transpose",
          "Reshape",
          "Squeeze",
          "Unsqueeze",
          "Slice",
          "Gather",
          "Concat",
          "Flatten",
          "Pad",
          "Constant",
          "ConstantOfShape",
          "Shape",
          "Cast",
          "Expand",
          "Identity",
          "Dropout");

  /** The time length a model is built with when its input's time axis is dynamic. */
  private static final int BUILD_STEPS = 4096;

  private final String source;
  private final int opset;
  private final GraphProto graph;
  private final Map<String, ImportedValue> values = new HashMap<>();
  private final Set<String> consumed = new HashSet<>();
  private DataPath path;
  private Shape sample;
  private long inputSteps = -1;

  /** What an import found: the layers in order and the sample shape to build them with. */
  record Result(List<LayerSpec> layers, Shape sample) {}

  GraphImporter(ModelProto model, String source) {
    this.source = source;
    this.opset = OnnxReader.opset(model);
    this.graph = model.getGraph();
  }

  Result run() {
    refuseUnsupported();
    for (TensorProto t : graph.getInitializerList()) {
      values.put(t.getName(), new Known(checked(() -> ConstTensor.of(t), "initializer")));
    }
    readInput();
    path = new DataPath(source, opset, inputSteps);
    Set<NodeProto> live = live();
    for (NodeProto n : graph.getNodeList()) {
      if (live.contains(n)) {
        visit(n);
      } else {
        // read by Shape nodes only (exporters compute zero states' sizes so): nothing to map
        put(n, new Opaque());
      }
    }
    if (graph.getOutputCount() != 1) {
      throw fail("the graph has " + graph.getOutputCount() + " outputs; Timestep imports one");
    }
    String out = graph.getOutput(0).getName();
    if (!(values.get(out) instanceof Data d)) {
      throw fail("the output '" + out + "' does not depend on the input");
    }
    if (d.layout() != Layout.BATCH_TIME_FEATURES && d.layout() != Layout.BATCH_FEATURES) {
      throw fail(
          "the output '"
              + out
              + "' is "
              + DataPath.describe(d.layout())
              + "; Timestep's models output [batch, time, features] or [batch, features]");
    }
    path.requireNoPad(d, "the graph output");
    if (path.chain.isEmpty()) {
      throw fail("the graph holds no layer");
    }
    if (sample.rank() == 2 && inputSteps < 1) {
      sample = Shape.of(shortestInput(), sample.dim(1));
    }
    return new Result(List.copyOf(path.chain), sample);
  }

  /**
   * The fewest time steps the layers take (each valid convolution needs its kernel's span): what a
   * model with a dynamic time axis is built with. It then runs on any length from there on.
   */
  private int shortestInput() {
    for (int steps = 1; steps < BUILD_STEPS; steps++) {
      if (fits(steps)) {
        return steps;
      }
    }
    return BUILD_STEPS;
  }

  private boolean fits(int steps) {
    int t = steps;
    for (LayerSpec spec : path.chain) {
      if (spec instanceof LayerSpec.ConvSpec c) {
        try {
          t = c.padding.spec(t, c.kernel.dim(0), c.stride, c.dilation, c.activation).outSteps();
        } catch (IllegalArgumentException e) {
          return false;
        }
      }
    }
    return t >= 1;
  }

  /**
   * The nodes whose outputs reach the graph's output other than through a Shape node: what the
   * model computes. Exporters also leave nodes whose results only a Shape reads.
   */
  private Set<NodeProto> live() {
    Set<String> needed = new HashSet<>();
    graph.getOutputList().forEach(o -> needed.add(o.getName()));
    Set<NodeProto> live = new HashSet<>();
    List<NodeProto> nodes = graph.getNodeList();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      NodeProto n = nodes.get(i);
      if (n.getOutputList().stream().anyMatch(needed::contains)) {
        live.add(n);
        if (!n.getOpType().equals("Shape")) {
          needed.addAll(n.getInputList());
        }
      }
    }
    // a Shape node itself stays: its result may size a zero state
    for (NodeProto n : nodes) {
      if (n.getOpType().equals("Shape")) {
        live.add(n);
      }
    }
    return live;
  }

  /** One message naming every node no Timestep layer or rewrite covers. */
  private void refuseUnsupported() {
    List<String> bad = new ArrayList<>();
    for (NodeProto n : graph.getNodeList()) {
      boolean defaultDomain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
      if (!defaultDomain || !SUPPORTED.contains(n.getOpType())) {
        bad.add(
            (defaultDomain ? "" : n.getDomain() + ".")
                + n.getOpType()
                + " '"
                + DataPath.nodeName(n)
                + "' (opset "
                + opset
                + ")");
      }
    }
    if (!bad.isEmpty()) {
      throw new OnnxImportException(
          source
              + ": "
              + bad.size()
              + " unsupported node"
              + (bad.size() == 1 ? "" : "s")
              + ": "
              + String.join(", ", bad)
              + "; Timestep imports "
              + String.join(", ", SUPPORTED));
    }
  }

  private void readInput() {
    List<ValueInfoProto> inputs = new ArrayList<>();
    for (ValueInfoProto v : graph.getInputList()) {
      if (!values.containsKey(v.getName())) {
        inputs.add(v);
      }
    }
    if (inputs.size() != 1) {
      throw fail(
          "the graph has "
              + inputs.size()
              + " inputs besides its weights; Timestep imports models of one input");
    }
    ValueInfoProto in = inputs.get(0);
    if (in.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
      throw fail("the input '" + in.getName() + "' is not float32");
    }
    List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
    if (dims.size() != 2 && dims.size() != 3) {
      throw fail(
          "the input '"
              + in.getName()
              + "' has rank "
              + dims.size()
              + "; Timestep imports [batch, time, features] or [batch, features]");
    }
    TensorShapeProto.Dimension last = dims.get(dims.size() - 1);
    if (!last.hasDimValue() || last.getDimValue() < 1 || last.getDimValue() > Integer.MAX_VALUE) {
      throw fail("the input's features axis has no fixed size");
    }
    int features = (int) last.getDimValue();
    if (dims.size() == 3) {
      if (dims.get(1).hasDimValue() && dims.get(1).getDimValue() > 0) {
        inputSteps = dims.get(1).getDimValue();
      }
      int steps = inputSteps > 0 && inputSteps <= BUILD_STEPS ? (int) inputSteps : BUILD_STEPS;
      sample = Shape.of(steps, features);
      values.put(in.getName(), new Data(Layout.BATCH_TIME_FEATURES, features, 0, 1, 0, 0));
    } else {
      sample = Shape.of(features);
      values.put(in.getName(), new Data(Layout.BATCH_FEATURES, features, 0, 1, 0, 0));
    }
  }

  private void visit(NodeProto n) {
    List<ImportedValue> in = new ArrayList<>();
    Data data = null;
    int dataInputs = 0;
    for (String name : n.getInputList()) {
      if (name.isEmpty()) {
        in.add(null);
        continue;
      }
      ImportedValue v = values.get(name);
      if (v == null) {
        throw fail(
            DataPath.where(n) + " reads '" + name + "', which no earlier node or weight produces");
      }
      in.add(v);
      if (v instanceof Data d) {
        data = d;
        dataInputs++;
        if (!n.getOpType().equals("Shape") && !consumed.add(name)) {
          throw fail(
              DataPath.where(n)
                  + " reads '"
                  + name
                  + "' a second time: the graph branches; Timestep "
                  + "imports a chain of layers");
        }
      }
    }
    if (n.getOpType().equals("Constant")) {
      put(n, new Known(checked(() -> constant(n), DataPath.where(n))));
    } else if (n.getOpType().equals("Shape")) {
      put(n, in.get(0) instanceof Known k ? shapeOf(k) : new Opaque());
    } else if (data != null) {
      if (dataInputs > 1) {
        throw fail(
            DataPath.where(n) + " joins two paths of the data; Timestep imports a chain of layers");
      }
      if (data.layers() != path.chain.size()) {
        throw fail(
            DataPath.where(n) + " reads the data from before a later layer: the graph branches");
      }
      List<ImportedValue> outputs = path.onData(n, data, in, values::get);
      for (int i = 0; i < n.getOutputCount(); i++) {
        if (!n.getOutput(i).isEmpty()) {
          values.put(n.getOutput(i), outputs.get(Math.min(i, outputs.size() - 1)));
        }
      }
    } else {
      offPath(n, in);
    }
  }

  /** A node off the data's path: a constant, zeros of a run-time shape, or not known. */
  private void offPath(NodeProto n, List<ImportedValue> in) {
    String op = n.getOpType();
    boolean allKnown = in.stream().allMatch(v -> v == null || v instanceof Known);
    if (allKnown && ConstFolding.folds(op) && !in.isEmpty() && in.get(0) != null) {
      if (op.equals("ConstantOfShape") || op.equals("Expand")) {
        long size =
            ConstTensor.count(((Known) in.get(op.equals("Expand") ? 1 : 0)).tensor().longs());
        if (size > 1 << 16) {
          // a large constant is only ever a zero state here; do not allocate it
          put(n, zerosOr(n, in));
          return;
        }
      }
      List<ConstTensor> tensors = new ArrayList<>();
      for (ImportedValue v : in) {
        tensors.add(v == null ? null : ((Known) v).tensor());
      }
      put(n, new Known(checked(() -> ConstFolding.fold(n, tensors, opset), DataPath.where(n))));
      return;
    }
    put(n, zerosOr(n, in));
  }

  private ImportedValue zerosOr(NodeProto n, List<ImportedValue> in) {
    String op = n.getOpType();
    if (op.equals("ConstantOfShape")) {
      return ConstFolding.constantOfShapeValue(n).allZero() ? new Zeros() : new Opaque();
    }
    ImportedValue first = in.isEmpty() ? null : in.get(0);
    boolean zeroData = first instanceof Zeros || (first instanceof Known k && k.tensor().allZero());
    boolean keepsZeros =
        switch (op) {
          case "Slice",
              "Expand",
              "Reshape",
              "Squeeze",
              "Unsqueeze",
              "Transpose",
              "Cast",
              "Identity",
              "Gather" ->
              true;
          case "Concat" ->
              in.stream()
                  .allMatch(
                      v -> v instanceof Zeros || (v instanceof Known k && k.tensor().allZero()));
          default -> false;
        };
    return zeroData && keepsZeros ? new Zeros() : new Opaque();
  }

  private static Known shapeOf(Known k) {
    return new Known(ConstTensor.ofLongs(new long[] {k.tensor().rank()}, k.tensor().dims()));
  }

  private static ConstTensor constant(NodeProto n) {
    for (var a : n.getAttributeList()) {
      switch (a.getName()) {
        case "value" -> {
          return ConstTensor.of(a.getT());
        }
        case "value_float" -> {
          return new ConstTensor(new long[0], new double[] {a.getF()}, false);
        }
        case "value_int" -> {
          return ConstTensor.ofLongs(new long[0], a.getI());
        }
        case "value_floats" -> {
          double[] v = a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray();
          return new ConstTensor(new long[] {v.length}, v, false);
        }
        case "value_ints" -> {
          long[] v = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
          return ConstTensor.ofLongs(new long[] {v.length}, v);
        }
        default -> {}
      }
    }
    throw new OnnxImportException("a Constant node holds no value Timestep reads");
  }

  private void put(NodeProto n, ImportedValue v) {
    for (String out : n.getOutputList()) {
      if (!out.isEmpty()) {
        values.put(out, v);
      }
    }
  }

  private <T> T checked(java.util.function.Supplier<T> f, String where) {
    try {
      return f.get();
    } catch (OnnxImportException e) {
      throw fail(where + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw fail(where + ": " + e);
    }
  }

  private OnnxImportException fail(String message) {
    return new OnnxImportException(source + ": " + message);
  }
}
