package dev.timestep.onnx;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
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
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
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
  private final List<LayerSpec> chain = new ArrayList<>();
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
              + describe(d.layout())
              + "; Timestep's models output [batch, time, features] or [batch, features]");
    }
    requireNoPad(d, "the graph output");
    if (chain.isEmpty()) {
      throw fail("the graph holds no layer");
    }
    if (sample.rank() == 2 && inputSteps < 1) {
      sample = Shape.of(shortestInput(), sample.dim(1));
    }
    return new Result(List.copyOf(chain), sample);
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
    for (LayerSpec spec : chain) {
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
                + nodeName(n)
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
        throw fail(where(n) + " reads '" + name + "', which no earlier node or weight produces");
      }
      in.add(v);
      if (v instanceof Data d) {
        data = d;
        dataInputs++;
        if (!n.getOpType().equals("Shape") && !consumed.add(name)) {
          throw fail(
              where(n)
                  + " reads '"
                  + name
                  + "' a second time: the graph branches; Timestep "
                  + "imports a chain of layers");
        }
      }
    }
    if (n.getOpType().equals("Constant")) {
      put(n, new Known(checked(() -> constant(n), where(n))));
    } else if (n.getOpType().equals("Shape")) {
      put(n, in.get(0) instanceof Known k ? shapeOf(k) : new Opaque());
    } else if (data != null) {
      if (dataInputs > 1) {
        throw fail(where(n) + " joins two paths of the data; Timestep imports a chain of layers");
      }
      if (data.layers() != chain.size()) {
        throw fail(where(n) + " reads the data from before a later layer: the graph branches");
      }
      onData(n, data, in);
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
      put(n, new Known(checked(() -> ConstFolding.fold(n, tensors, opset), where(n))));
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

  /** A node on the data's path. */
  private void onData(NodeProto n, Data d, List<ImportedValue> in) {
    String op = n.getOpType();
    if (!op.equals("Transpose") && !op.equals("Identity") && !op.equals("Conv")) {
      requireNoPad(d, where(n));
    }
    switch (op) {
      case "Identity", "Dropout" -> put(n, d);
      case "Transpose" -> put(n, transpose(n, d));
      case "Squeeze" -> put(n, squeeze(n, d, in));
      case "Gather" -> put(n, gather(n, d, in));
      case "Slice" -> put(n, slice(n, d, in));
      case "Reshape" -> put(n, reshape(n, d, in));
      case "Flatten" -> {
        if (Attributes.i(n, "axis", 1) != 1) {
          throw fail(where(n) + " flattens from axis " + Attributes.i(n, "axis", 1));
        }
        put(n, flatten(n, d));
      }
      case "LSTM", "GRU", "RNN" -> recurrent(n, d);
      case "Conv" -> put(n, conv(n, d, in));
      case "Pad" -> put(n, pad(n, d, in));
      case "Gemm" -> put(n, gemm(n, d, in));
      case "MatMul" -> {
        if (n.getInput(0).isEmpty()
            || !(in.get(0) instanceof Data)
            || !(in.get(1) instanceof Known k)) {
          throw fail(where(n) + " does not multiply the data by a constant weight matrix");
        }
        NDArray kernel = RecurrentImport.toArray(k.tensor());
        if (kernel.rank() != 2 || kernel.dim(0) != d.features()) {
          throw fail(where(n) + " multiplies " + d.features() + " features by " + kernel.shape());
        }
        chain.add(new LayerSpec.DenseSpec(kernel, null));
        put(n, new Data(d.layout(), kernel.dim(1), chain.size(), 1, 0, 0));
      }
      case "Add" -> put(n, bias(n, d, in));
      case "Relu", "Tanh", "Sigmoid" -> put(n, activation(n, d));
      default ->
          throw fail(
              where(n)
                  + " transforms the data in a way no Timestep layer does ("
                  + describe(d.layout())
                  + ")");
    }
  }

  private Data transpose(NodeProto n, Data d) {
    long[] perm = Attributes.ints(n, "perm");
    String p = perm == null ? "reverse" : Arrays.toString(perm);
    Layout to =
        switch (d.layout() + " " + p) {
          case "BATCH_TIME_FEATURES [1, 0, 2]" -> Layout.TIME_BATCH_FEATURES;
          case "TIME_BATCH_FEATURES [1, 0, 2]" -> Layout.BATCH_TIME_FEATURES;
          case "BATCH_TIME_FEATURES [0, 2, 1]" -> Layout.BATCH_FEATURES_TIME;
          case "BATCH_FEATURES_TIME [0, 2, 1]" -> Layout.BATCH_TIME_FEATURES;
          case "BATCH_FEATURES_TIME [2, 0, 1]" -> Layout.TIME_BATCH_FEATURES;
          case "TIME_BATCH_FEATURES [1, 2, 0]" -> Layout.BATCH_FEATURES_TIME;
          case "STATES [0, 2, 1, 3]" -> Layout.STATES_BY_BATCH;
          case "FINAL_STATES [1, 0, 2]" -> Layout.FINAL_STATES_BY_BATCH;
          default -> null;
        };
    if (to == null) {
      throw fail(where(n) + " permutes " + describe(d.layout()) + " by " + p);
    }
    return d.with(to, d.features());
  }

  private Data squeeze(NodeProto n, Data d, List<ImportedValue> in) {
    long[] axes = axes(n, in);
    String a = axes == null ? "all" : Arrays.toString(axes);
    if (d.layout() == Layout.STATES && d.directions() == 1 && a.equals("[1]")) {
      return d.with(Layout.TIME_BATCH_FEATURES, d.features());
    }
    if (d.layout() == Layout.FINAL_STATES && d.directions() == 1 && a.equals("[0]")) {
      return lastStep(n, d);
    }
    if (d.layout() == Layout.LAST_STEP && (a.equals("[1]") || a.equals("[-2]"))) {
      return d.with(Layout.BATCH_FEATURES, d.features());
    }
    throw fail(where(n) + " squeezes axes " + a + " of " + describe(d.layout()));
  }

  private Data gather(NodeProto n, Data d, List<ImportedValue> in) {
    long axis = Attributes.i(n, "axis", 0);
    if (!(in.get(1) instanceof Known k) || k.tensor().rank() != 0) {
      throw fail(where(n) + " gathers by indices that are not one constant");
    }
    long index = k.tensor().longs()[0];
    boolean last = index == -1 || (index == 0 && d.layout() == Layout.FINAL_STATES);
    if (last && d.layout() == Layout.TIME_BATCH_FEATURES && axis == 0
        || last && d.layout() == Layout.BATCH_TIME_FEATURES && axis == 1
        || last && d.layout() == Layout.FINAL_STATES && axis == 0 && d.directions() == 1) {
      return lastStep(n, d);
    }
    throw fail(
        where(n)
            + " takes index "
            + index
            + " of axis "
            + axis
            + " of "
            + describe(d.layout())
            + "; Timestep maps taking the last step only");
  }

  private Data slice(NodeProto n, Data d, List<ImportedValue> in) {
    List<long[]> args = new ArrayList<>();
    for (int i = 1; i < in.size(); i++) {
      if (in.get(i) == null) {
        args.add(null);
      } else if (in.get(i) instanceof Known k) {
        args.add(k.tensor().longs());
      } else {
        throw fail(where(n) + " slices by values that are not constant");
      }
    }
    long[] starts = args.get(0);
    long[] ends = args.get(1);
    long[] axes = args.size() > 2 ? args.get(2) : null;
    long[] steps = args.size() > 3 ? args.get(3) : null;
    boolean lastStepOfTime =
        d.layout() == Layout.BATCH_TIME_FEATURES
            && starts.length == 1
            && starts[0] == -1
            && ends[0] >= Integer.MAX_VALUE
            && axes != null
            && axes.length == 1
            && (axes[0] == 1 || axes[0] == -2)
            && (steps == null || steps[0] == 1);
    if (!lastStepOfTime) {
      throw fail(where(n) + " slices " + describe(d.layout()) + "; Timestep maps [:, -1:] only");
    }
    Data one = lastStep(n, d);
    return one.with(Layout.LAST_STEP, one.features());
  }

  /** The data's last time step: the recurrent layer just before returns its last state only. */
  private Data lastStep(NodeProto n, Data d) {
    if (chain.isEmpty()
        || !(chain.get(chain.size() - 1) instanceof LayerSpec.RecurrentSpec r)
        || !r.returnSequences) {
      throw fail(
          where(n)
              + " takes the last time step of something other than a recurrent layer's "
              + "output; Timestep has no layer for that");
    }
    if (r.directions == 2 && d.layout() != Layout.FINAL_STATES_BY_BATCH) {
      throw fail(
          where(n)
              + " takes the last step of a bidirectional layer's outputs, where the backward "
              + "direction has seen one step only; Timestep's Bidirectional without sequences "
              + "merges both directions' final states (PyTorch's h_n) instead");
    }
    r.returnSequences = false;
    return new Data(Layout.BATCH_FEATURES, d.features(), chain.size(), 1, 0, 0);
  }

  private Data reshape(NodeProto n, Data d, List<ImportedValue> in) {
    if (!(in.get(1) instanceof Known k)) {
      throw fail(where(n) + " reshapes to a shape that is not constant");
    }
    long[] shape = k.tensor().longs();
    long joined = (long) d.directions() * d.features();
    if (d.layout() == Layout.STATES_BY_BATCH
        && shape.length == 3
        && (shape[2] == -1 || shape[2] == joined)) {
      return new Data(Layout.TIME_BATCH_FEATURES, (int) joined, d.layers(), d.directions(), 0, 0);
    }
    if (d.layout() == Layout.FINAL_STATES_BY_BATCH
        && shape.length == 2
        && (shape[1] == -1 || shape[1] == joined)) {
      Data last = lastStep(n, d);
      return last.with(Layout.BATCH_FEATURES, (int) joined);
    }
    if (d.layout() == Layout.BATCH_TIME_FEATURES && shape.length == 2) {
      return flatten(n, d);
    }
    throw fail(where(n) + " reshapes " + describe(d.layout()) + " to " + Arrays.toString(shape));
  }

  private Data flatten(NodeProto n, Data d) {
    if (d.layout() != Layout.BATCH_TIME_FEATURES || !chain.isEmpty() || inputSteps < 1) {
      throw fail(
          where(n)
              + " flattens time steps; Timestep imports that only as the first layer of a "
              + "model whose input has a fixed number of steps");
    }
    chain.add(new LayerSpec.FlattenSpec());
    return new Data(
        Layout.BATCH_FEATURES, (int) (inputSteps * d.features()), chain.size(), 1, 0, 0);
  }

  private void recurrent(NodeProto n, Data d) {
    if (d.layout() != Layout.TIME_BATCH_FEATURES || !n.getInput(0).equals(n.getInput(0))) {
      throw fail(
          where(n) + " reads " + describe(d.layout()) + " where [time, batch, features] is needed");
    }
    LayerSpec.RecurrentSpec spec =
        RecurrentImport.of(n, source + ": " + where(n), d.features(), values::get);
    chain.add(spec);
    int size = chain.size();
    Layout[] layouts = {Layout.STATES, Layout.FINAL_STATES, Layout.CELL_STATES};
    for (int i = 0; i < n.getOutputCount() && i < 3; i++) {
      if (!n.getOutput(i).isEmpty()) {
        values.put(n.getOutput(i), new Data(layouts[i], spec.units, size, spec.directions, 0, 0));
      }
    }
  }

  private Data conv(NodeProto n, Data d, List<ImportedValue> in) {
    if (d.layout() != Layout.BATCH_FEATURES_TIME) {
      throw fail(
          where(n) + " reads " + describe(d.layout()) + " where [batch, channels, time] is needed");
    }
    if (!(in.get(1) instanceof Known w) || w.tensor().rank() != 3) {
      throw fail(where(n) + " is not a 1-D convolution with constant weights");
    }
    if (Attributes.i(n, "group", 1) != 1) {
      throw fail(
          where(n)
              + " has group "
              + Attributes.i(n, "group", 1)
              + "; Timestep's Conv1D has group 1");
    }
    long[] dims = w.tensor().dims();
    int filters = (int) dims[0];
    int channels = (int) dims[1];
    int k = (int) dims[2];
    if (channels != d.features()) {
      throw fail(where(n) + " reads " + channels + " channels of data with " + d.features());
    }
    int stride = (int) first(Attributes.ints(n, "strides"), 1);
    int dilation = (int) first(Attributes.ints(n, "dilations"), 1);
    long[] pads = Attributes.ints(n, "pads");
    long left = d.padLeft() + (pads == null ? 0 : pads[0]);
    long right = d.padRight() + (pads == null ? 0 : pads[1]);
    String autoPad = Attributes.s(n, "auto_pad", "NOTSET");
    long span = (long) (k - 1) * dilation;
    ConvPadding padding;
    if (autoPad.equals("SAME_UPPER") && left == 0 && right == 0) {
      padding = ConvPadding.SAME;
    } else if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
      throw fail(where(n) + " has auto_pad " + autoPad + "; Timestep pads as SAME_UPPER");
    } else if (left == 0 && right == 0) {
      padding = ConvPadding.VALID;
    } else if (left == span && right == 0) {
      padding = ConvPadding.CAUSAL;
    } else if (stride == 1 && left + right == span && left == span / 2) {
      padding = ConvPadding.SAME;
    } else {
      throw fail(
          where(n)
              + " pads ["
              + left
              + ", "
              + right
              + "] steps, which is none of Keras' "
              + "valid, same or causal padding for a kernel of "
              + k
              + " and dilation "
              + dilation);
    }
    float[] onnx = w.tensor().floats(); // [filters, channels, k]
    float[] kernel = new float[onnx.length]; // [k, channels, filters]
    for (int t = 0; t < k; t++) {
      for (int c = 0; c < channels; c++) {
        for (int o = 0; o < filters; o++) {
          kernel[(t * channels + c) * filters + o] = onnx[(o * channels + c) * k + t];
        }
      }
    }
    NDArray bias = null;
    if (in.size() > 2 && in.get(2) != null) {
      if (!(in.get(2) instanceof Known b) || b.tensor().size() != filters) {
        throw fail(where(n) + " has a bias that is not a constant of " + filters + " values");
      }
      bias = NDArray.of(b.tensor().floats(), filters);
    }
    chain.add(
        new LayerSpec.ConvSpec(
            NDArray.of(kernel, k, channels, filters), bias, stride, dilation, padding));
    return new Data(Layout.BATCH_FEATURES_TIME, filters, chain.size(), 1, 0, 0);
  }

  private Data pad(NodeProto n, Data d, List<ImportedValue> in) {
    int timeAxis =
        switch (d.layout()) {
          case BATCH_FEATURES_TIME -> 2;
          case BATCH_TIME_FEATURES -> 1;
          default -> -1;
        };
    if (timeAxis < 0
        || !Attributes.s(n, "mode", "constant").equals("constant")
        || !(in.get(1) instanceof Known p)
        || p.tensor().size() != 6
        || (in.size() > 2
            && in.get(2) != null
            && !(in.get(2) instanceof Known c && c.tensor().allZero()))
        || (in.size() > 3 && in.get(3) != null)) {
      throw fail(
          where(n) + " is not a constant zero padding of the time axis of " + describe(d.layout()));
    }
    long[] pads = p.tensor().longs();
    for (int i = 0; i < 6; i++) {
      if (i % 3 != timeAxis && pads[i] != 0 || pads[i] < 0) {
        throw fail(where(n) + " pads " + Arrays.toString(pads) + "; Timestep pads time steps only");
      }
    }
    return new Data(
        d.layout(),
        d.features(),
        d.layers(),
        1,
        d.padLeft() + pads[timeAxis],
        d.padRight() + pads[3 + timeAxis]);
  }

  private Data gemm(NodeProto n, Data d, List<ImportedValue> in) {
    if (d.layout() != Layout.BATCH_FEATURES
        || !(in.get(1) instanceof Known b)
        || b.tensor().rank() != 2) {
      throw fail(where(n) + " is not [batch, features] times a constant matrix");
    }
    if (Attributes.i(n, "transA", 0) != 0 || !(in.get(0) instanceof Data)) {
      throw fail(where(n) + " transposes the data (transA)");
    }
    float alpha = Attributes.f(n, "alpha", 1f);
    float beta = Attributes.f(n, "beta", 1f);
    NDArray m = RecurrentImport.toArray(b.tensor());
    boolean transB = Attributes.i(n, "transB", 0) != 0;
    int f = transB ? m.dim(1) : m.dim(0);
    int units = transB ? m.dim(0) : m.dim(1);
    if (f != d.features()) {
      throw fail(where(n) + " multiplies " + d.features() + " features by " + m.shape());
    }
    float[] kernel = new float[f * units];
    for (int i = 0; i < f; i++) {
      for (int u = 0; u < units; u++) {
        kernel[i * units + u] = alpha * (transB ? m.data()[u * f + i] : m.data()[i * units + u]);
      }
    }
    NDArray bias = NDArray.zeros(units);
    if (in.size() > 2 && in.get(2) != null) {
      if (!(in.get(2) instanceof Known c)
          || (c.tensor().size() != units && c.tensor().size() != 1)) {
        throw fail(where(n) + " adds a C that is not a constant of " + units + " values");
      }
      float[] cv = c.tensor().floats();
      for (int u = 0; u < units; u++) {
        bias.data()[u] = beta * cv[cv.length == 1 ? 0 : u];
      }
    }
    chain.add(new LayerSpec.DenseSpec(NDArray.of(kernel, f, units), bias));
    return new Data(Layout.BATCH_FEATURES, units, chain.size(), 1, 0, 0);
  }

  private Data bias(NodeProto n, Data d, List<ImportedValue> in) {
    ImportedValue other = in.get(0) instanceof Data ? in.get(1) : in.get(0);
    if (chain.get(chain.size() - 1) instanceof LayerSpec.DenseSpec dense
        && dense.bias == null
        && dense.activation == Activation.LINEAR
        && other instanceof Known k
        && k.tensor().size() == dense.units()
        && k.tensor().dims()[k.tensor().rank() - 1] == dense.units()) {
      dense.bias = NDArray.of(k.tensor().floats(), dense.units());
      return d;
    }
    throw fail(where(n) + " adds something other than a bias right after a matrix product");
  }

  private Data activation(NodeProto n, Data d) {
    Activation a =
        switch (n.getOpType()) {
          case "Relu" -> Activation.RELU;
          case "Tanh" -> Activation.TANH;
          default -> Activation.SIGMOID;
        };
    LayerSpec last = chain.isEmpty() ? null : chain.get(chain.size() - 1);
    if (last instanceof LayerSpec.DenseSpec dense && dense.activation == Activation.LINEAR) {
      dense.activation = a;
      return d;
    }
    if (last instanceof LayerSpec.ConvSpec conv && conv.activation == Activation.LINEAR) {
      conv.activation = a;
      return d;
    }
    throw fail(
        where(n)
            + " does not follow a Dense or Conv1D without activation; Timestep has no "
            + "activation layer of its own");
  }

  private void requireNoPad(Data d, String where) {
    if (d.padLeft() != 0 || d.padRight() != 0) {
      throw fail("a Pad of the time axis reaches " + where + " without a Conv after it");
    }
  }

  private long[] axes(NodeProto n, List<ImportedValue> in) {
    if (opset >= 13) {
      if (in.size() < 2 || in.get(1) == null) {
        return null;
      }
      if (!(in.get(1) instanceof Known k)) {
        throw fail(where(n) + " has axes that are not constant");
      }
      return k.tensor().longs();
    }
    return Attributes.ints(n, "axes");
  }

  private static long first(long[] values, long otherwise) {
    if (values != null && values.length > 1) {
      throw new OnnxImportException("a 1-D convolution has " + values.length + " spatial axes");
    }
    return values == null || values.length == 0 ? otherwise : values[0];
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

  private String where(NodeProto n) {
    return n.getOpType() + " '" + nodeName(n) + "'";
  }

  private static String nodeName(NodeProto n) {
    return !n.getName().isEmpty() ? n.getName() : n.getOutputCount() > 0 ? n.getOutput(0) : "?";
  }

  private static String describe(Layout l) {
    return switch (l) {
      case BATCH_TIME_FEATURES -> "[batch, time, features]";
      case TIME_BATCH_FEATURES -> "[time, batch, features]";
      case BATCH_FEATURES_TIME -> "[batch, features, time]";
      case BATCH_FEATURES -> "[batch, features]";
      case STATES -> "a recurrent op's Y [time, directions, batch, units]";
      case STATES_BY_BATCH -> "[time, batch, directions, units]";
      case FINAL_STATES -> "a recurrent op's Y_h [directions, batch, units]";
      case FINAL_STATES_BY_BATCH -> "[batch, directions, units]";
      case LAST_STEP -> "[batch, 1, features]";
      case CELL_STATES -> "an LSTM's cell state Y_c";
    };
  }
}
