package dev.timestep.onnx;

import dev.timestep.backend.Activation;
import dev.timestep.onnx.ImportedValue.Known;
import dev.timestep.onnx.ImportedValue.Zeros;
import dev.timestep.onnx.proto.Onnx.NodeProto;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An ONNX LSTM, GRU or RNN node as a Timestep recurrent layer: checks that the node computes what
 * Timestep's layer computes (default activations, no clipping or coupled gates, zero initial
 * states, every sequence run to its end, forward or bidirectional) and converts its weights to
 * Keras' layout. A node that differs is refused with the reason.
 */
final class RecurrentImport {
  private RecurrentImport() {}

  /**
   * The layer of node {@code n} reading {@code features} per step; {@code value} gives what is
   * known of each input name.
   */
  static LayerSpec.RecurrentSpec of(
      NodeProto n, String where, int features, Function<String, ImportedValue> value) {
    String op = n.getOpType();
    GateLayout kind =
        switch (op) {
          case "LSTM" -> GateLayout.LSTM;
          case "GRU" -> GateLayout.GRU;
          default -> GateLayout.SIMPLE;
        };
    String direction = Attributes.s(n, "direction", "forward");
    if (!direction.equals("forward") && !direction.equals("bidirectional")) {
      throw refuse(
          where, "direction '" + direction + "'; Timestep imports forward and bidirectional");
    }
    int dirs = direction.equals("bidirectional") ? 2 : 1;
    if (Attributes.i(n, "layout", 0) != 0) {
      throw refuse(where, "layout=1 (batch-major); Timestep imports the time-major layout 0");
    }
    if (Attributes.has(n, "clip")) {
      throw refuse(where, "a cell clip, which Timestep's layers do not apply");
    }
    if (Attributes.i(n, "input_forget", 0) != 0) {
      throw refuse(where, "input_forget=1 (coupled gates), which Timestep's LSTM does not have");
    }
    if (Attributes.has(n, "activation_alpha") || Attributes.has(n, "activation_beta")) {
      throw refuse(where, "activation_alpha/beta, which Timestep's layers do not take");
    }
    if (kind == GateLayout.GRU && Attributes.i(n, "linear_before_reset", 0) != 1) {
      throw refuse(
          where,
          "linear_before_reset=0; Timestep's GRU applies the reset gate after the recurrent "
              + "product (linear_before_reset=1: Keras' reset_after=True, PyTorch's GRU)");
    }
    Activation activation = activation(n, kind, dirs, where);
    int h = (int) Attributes.i(n, "hidden_size", -1);
    NDArray[] wrb = new NDArray[3];
    for (int i = 0; i < 3; i++) {
      String name = i < n.getInputCount() ? n.getInput(i + 1) : "";
      if (name.isEmpty() || !(value.apply(name) instanceof Known k)) {
        if (i == 2 && name.isEmpty()) {
          continue; // no bias: zeros
        }
        throw refuse(where, "its " + "WRB".charAt(i) + " input is not a constant weight tensor");
      }
      wrb[i] = toArray(k.tensor());
    }
    int g = kind.gates();
    if (h < 1) {
      h = wrb[1].dim(1) / g;
    }
    requireShape(where, "W", wrb[0], dirs, g * h, features);
    requireShape(where, "R", wrb[1], dirs, g * h, h);
    NDArray b = wrb[2] == null ? NDArray.zeros(dirs, 2 * g * h) : wrb[2];
    requireShape(where, "B", b, dirs, 2 * g * h);
    requireAbsentOrZero(n, 4, "sequence_lens", where, value, true);
    requireAbsentOrZero(n, 5, "initial_h", where, value, false);
    if (kind == GateLayout.LSTM) {
      requireAbsentOrZero(n, 6, "initial_c", where, value, false);
      requireAbsentOrZero(n, 7, "P (peepholes)", where, value, false);
    }
    List<NDArray> arrays = new ArrayList<>();
    int gh = g * h;
    for (int d = 0; d < dirs; d++) {
      float[] w = wrb[0].data();
      float[] r = wrb[1].data();
      float[] bias = b.data();
      arrays.add(NDArray.of(kind.fromOnnx(w, d * gh * features, features, h), features, gh));
      arrays.add(NDArray.of(kind.fromOnnx(r, d * gh * h, h, h), h, gh));
      float[] wb = kind.biasFromOnnx(bias, d * 2 * gh, h);
      float[] rb = kind.biasFromOnnx(bias, d * 2 * gh + gh, h);
      if (kind == GateLayout.GRU) {
        // reset_after keeps the recurrent bias apart: row 0 input bias, row 1 recurrent bias
        float[] both = new float[2 * gh];
        System.arraycopy(wb, 0, both, 0, gh);
        System.arraycopy(rb, 0, both, gh, gh);
        arrays.add(NDArray.of(both, 2, gh));
      } else {
        for (int j = 0; j < gh; j++) {
          wb[j] += rb[j];
        }
        arrays.add(NDArray.of(wb, gh));
      }
    }
    return new LayerSpec.RecurrentSpec(kind, h, dirs, activation, arrays);
  }

  private static Activation activation(NodeProto n, GateLayout kind, int dirs, String where) {
    List<String> given = Attributes.strings(n, "activations");
    List<String> defaults =
        switch (kind) {
          case LSTM -> List.of("Sigmoid", "Tanh", "Tanh");
          case GRU -> List.of("Sigmoid", "Tanh");
          case SIMPLE -> List.of("Tanh");
        };
    if (given.isEmpty()) {
      return Activation.TANH;
    }
    if (kind != GateLayout.SIMPLE) {
      for (int i = 0; i < given.size(); i++) {
        if (!given.get(i).equalsIgnoreCase(defaults.get(i % defaults.size()))) {
          throw refuse(where, "activations " + given + "; Timestep's gates use " + defaults);
        }
      }
      return Activation.TANH;
    }
    String first = given.get(0);
    for (String a : given) {
      if (!a.equalsIgnoreCase(first)) {
        throw refuse(where, "different activations per direction " + given);
      }
    }
    return switch (first.toLowerCase(java.util.Locale.ROOT)) {
      case "tanh" -> Activation.TANH;
      case "relu" -> Activation.RELU;
      case "sigmoid" -> Activation.SIGMOID;
      default ->
          throw refuse(
              where, "activation " + first + "; Timestep's SimpleRNN takes Tanh, Relu, Sigmoid");
    };
  }

  private static void requireAbsentOrZero(
      NodeProto n,
      int input,
      String what,
      String where,
      Function<String, ImportedValue> value,
      boolean mustBeAbsent) {
    if (input >= n.getInputCount() || n.getInput(input).isEmpty()) {
      return;
    }
    ImportedValue v = value.apply(n.getInput(input));
    if (mustBeAbsent) {
      throw refuse(
          where,
          v instanceof Known
              ? "a constant "
                  + what
                  + "; Timestep runs every sequence to its end, so export without sequence lengths"
              : what + " that is not constant; Timestep runs every sequence to its end");
    }
    if (v instanceof Zeros || (v instanceof Known k && k.tensor().allZero())) {
      return;
    }
    throw refuse(
        where,
        "a non-zero "
            + what
            + "; a Timestep Sequential starts its recurrent layers from zero states");
  }

  private static void requireShape(String where, String what, NDArray a, int... dims) {
    if (!a.shape().equals(Shape.of(dims))) {
      throw refuse(
          where, what + " has shape " + a.shape() + " where " + Shape.of(dims) + " was expected");
    }
  }

  static NDArray toArray(ConstTensor t) {
    int[] dims = new int[t.rank()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = (int) t.dims()[i];
    }
    return new NDArray(Shape.of(dims), t.floats());
  }

  static OnnxImportException refuse(String where, String why) {
    return new OnnxImportException(where + " has " + why);
  }
}
