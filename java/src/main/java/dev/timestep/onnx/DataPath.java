package dev.timestep.onnx;

import dev.timestep.backend.Activation;
import dev.timestep.onnx.ImportedValue.Data;
import dev.timestep.onnx.ImportedValue.Known;
import dev.timestep.onnx.ImportedValue.Layout;
import dev.timestep.onnx.proto.Onnx.NodeProto;
import dev.timestep.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The nodes on the data's path from the graph's input to its output, as a chain of layers: each
 * node adds a layer, folds into the last one (an activation, a bias, taking the last step only), or
 * only moves axes, which Timestep's batch-major layers do not need. Any other node on the path is
 * refused with the reason.
 */
final class DataPath {
  private final String source;
  private final int opset;
  private final long inputSteps;
  final List<LayerSpec> chain = new ArrayList<>();

  /** {@code inputSteps}: the input's fixed number of steps, or -1 when the axis is dynamic. */
  DataPath(String source, int opset, long inputSteps) {
    this.source = source;
    this.opset = opset;
    this.inputSteps = inputSteps;
  }

  /** The values of node {@code n}'s outputs, in order; the node reads the data {@code d}. */
  List<ImportedValue> onData(
      NodeProto n, Data d, List<ImportedValue> in, Function<String, ImportedValue> values) {
    String op = n.getOpType();
    if (!op.equals("Transpose") && !op.equals("Identity") && !op.equals("Conv")) {
      requireNoPad(d, where(n));
    }
    switch (op) {
      case "Identity", "Dropout" -> {
        return List.of(d);
      }
      case "Transpose" -> {
        return List.of(transpose(n, d));
      }
      case "Squeeze" -> {
        return List.of(squeeze(n, d, in));
      }
      case "Gather" -> {
        return List.of(gather(n, d, in));
      }
      case "Slice" -> {
        return List.of(slice(n, d, in));
      }
      case "Reshape" -> {
        return List.of(reshape(n, d, in));
      }
      case "Flatten" -> {
        if (Attributes.i(n, "axis", 1) != 1) {
          throw fail(where(n) + " flattens from axis " + Attributes.i(n, "axis", 1));
        }
        return List.of(flatten(n, d));
      }
      case "LSTM", "GRU", "RNN" -> {
        return recurrent(n, d, values);
      }
      case "Conv" -> {
        return List.of(ConvImport.conv(this, n, d, in));
      }
      case "Pad" -> {
        return List.of(ConvImport.pad(this, n, d, in));
      }
      case "Gemm" -> {
        return List.of(gemm(n, d, in));
      }
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
        return List.of(new Data(d.layout(), kernel.dim(1), chain.size(), 1, 0, 0));
      }
      case "Add" -> {
        return List.of(bias(n, d, in));
      }
      case "Relu", "Tanh", "Sigmoid" -> {
        return List.of(activation(n, d));
      }
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

  private List<ImportedValue> recurrent(
      NodeProto n, Data d, Function<String, ImportedValue> values) {
    if (d.layout() != Layout.TIME_BATCH_FEATURES) {
      throw fail(
          where(n) + " reads " + describe(d.layout()) + " where [time, batch, features] is needed");
    }
    LayerSpec.RecurrentSpec spec =
        RecurrentImport.of(n, source + ": " + where(n), d.features(), values);
    chain.add(spec);
    int size = chain.size();
    List<ImportedValue> outputs = new ArrayList<>();
    for (Layout l : List.of(Layout.STATES, Layout.FINAL_STATES, Layout.CELL_STATES)) {
      outputs.add(new Data(l, spec.units, size, spec.directions, 0, 0));
    }
    return outputs;
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

  void requireNoPad(Data d, String where) {
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

  OnnxImportException fail(String message) {
    return new OnnxImportException(source + ": " + message);
  }

  static String where(NodeProto n) {
    return n.getOpType() + " '" + nodeName(n) + "'";
  }

  static String nodeName(NodeProto n) {
    return !n.getName().isEmpty() ? n.getName() : n.getOutputCount() > 0 ? n.getOutput(0) : "?";
  }

  static String describe(Layout l) {
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
