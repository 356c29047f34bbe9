package dev.timestep.onnx;

import static dev.timestep.onnx.GraphWriter.attr;
import static dev.timestep.onnx.GraphWriter.ints;
import static dev.timestep.onnx.GraphWriter.strings;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
import dev.timestep.nn.BatchNormalization;
import dev.timestep.nn.Bidirectional;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Layer;
import dev.timestep.nn.LayerNormSimpleRNN;
import dev.timestep.nn.LayerNormalization;
import dev.timestep.nn.RecurrentLayer;
import dev.timestep.nn.RepeatVector;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.onnx.proto.Onnx.AttributeProto;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one layer of a Sequential as ONNX nodes: takes the name of its batch-major input value
 * ({@code [batch, features]} or {@code [batch, time, features]}) and returns the name of its output
 * value, in the same layout. Recurrent layers and convolutions transpose to ONNX's layouts and back
 * around their node (ONNX Runtime takes its recurrent ops time-major only).
 */
final class LayerExport {
  /** Keras' (and Timestep's) epsilon of layer and batch normalization. */
  private static final float NORM_EPSILON = 1e-3f;

  private final GraphWriter g;

  LayerExport(GraphWriter g) {
    this.g = g;
  }

  /** The nodes of {@code layer}, applied to {@code x} of sample shape {@code in}. */
  String emit(Layer layer, String layerName, String x, Shape in) {
    List<NDArray> w = layer.getWeights();
    if (layer instanceof Dense d) {
      return dense(d, w, x, in);
    }
    if (layer instanceof TimeDistributed td) {
      if (!(td.layer() instanceof Dense inner)) {
        throw refuse(layerName, "TimeDistributed exports only around Dense");
      }
      return dense(inner, w, x, in);
    }
    if (layer instanceof LayerNormSimpleRNN ln) {
      return new LayerNormCellExport(g).emit(ln, w, x, in);
    }
    if (layer instanceof RecurrentLayer r) {
      return recurrent(r, layerName, w, x, in, null);
    }
    if (layer instanceof Bidirectional b) {
      return recurrent(b.forwardLayer(), layerName, w, x, in, b.mergeMode());
    }
    if (layer instanceof Conv1D c) {
      return conv(c, w, x, in);
    }
    if (layer instanceof LayerNormalization) {
      String gamma = g.floats("gamma", w.get(0).data(), in.dim(-1));
      String beta = g.floats("beta", w.get(1).data(), in.dim(-1));
      return g.node(
          "LayerNormalization",
          List.of(x, gamma, beta),
          attr("axis", -1L),
          attr("epsilon", NORM_EPSILON));
    }
    if (layer instanceof BatchNormalization) {
      return batchNorm(w, x, in);
    }
    if (layer instanceof Dropout) {
      return g.node("Identity", List.of(x));
    }
    if (layer instanceof RepeatVector rv) {
      String row = g.node("Unsqueeze", List.of(x, g.longs("axes", 1)));
      return g.node("Expand", List.of(row, g.longs("shape", 1, rv.n(), 1)));
    }
    if (layer instanceof Flatten) {
      return g.node("Reshape", List.of(x, g.longs("shape", 0, -1)));
    }
    throw refuse(layerName, layer.typeName() + " has no ONNX export");
  }

  static IllegalArgumentException refuse(String layerName, String why) {
    return new IllegalArgumentException("ONNX export: layer " + layerName + ": " + why);
  }

  private String dense(Dense d, List<NDArray> w, String x, Shape in) {
    int f = in.dim(-1);
    String kernel = g.floats("kernel", w.get(0).data(), f, d.units());
    String bias = g.floats("bias", w.get(1).data(), d.units());
    String y =
        in.rank() == 1
            ? g.node("Gemm", List.of(x, kernel, bias))
            : g.node("Add", List.of(g.node("MatMul", List.of(x, kernel)), bias));
    return activation(d.activation(), y);
  }

  private String activation(Activation a, String x) {
    return switch (a) {
      case LINEAR -> x;
      case TANH -> g.node("Tanh", List.of(x));
      case SIGMOID -> g.node("Sigmoid", List.of(x));
      case RELU -> g.node("Relu", List.of(x));
    };
  }

  /** ONNX's name of a recurrent activation, as the RNN op's {@code activations} attribute. */
  static String onnxActivation(Activation a) {
    return switch (a) {
      case LINEAR -> "Affine";
      case TANH -> "Tanh";
      case SIGMOID -> "Sigmoid";
      case RELU -> "Relu";
    };
  }

  /**
   * One RNN, LSTM or GRU node for a recurrent layer ({@code merge} null) or both directions of a
   * Bidirectional. {@code w} holds each direction's Keras arrays, forward first.
   */
  private String recurrent(
      RecurrentLayer r,
      String layerName,
      List<NDArray> w,
      String x,
      Shape in,
      Bidirectional.MergeMode merge) {
    GateLayout layout;
    String op;
    if (r instanceof LSTM) {
      layout = GateLayout.LSTM;
      op = "LSTM";
    } else if (r instanceof GRU) {
      layout = GateLayout.GRU;
      op = "GRU";
    } else if (r instanceof SimpleRNN) {
      layout = GateLayout.SIMPLE;
      op = "RNN";
    } else {
      throw refuse(layerName, r.typeName() + " has no ONNX recurrent op to export to here");
    }
    int dirs = merge == null ? 1 : 2;
    int f = in.dim(-1);
    int h = r.units();
    int gh = layout.gates() * h;
    float[] wAll = new float[dirs * gh * f];
    float[] rAll = new float[dirs * gh * h];
    float[] bAll = new float[dirs * 2 * gh];
    for (int d = 0; d < dirs; d++) {
      float[] kernel = w.get(3 * d).data();
      float[] recurrent = w.get(3 * d + 1).data();
      float[] bias = w.get(3 * d + 2).data();
      System.arraycopy(layout.toOnnx(kernel, f, h), 0, wAll, d * gh * f, gh * f);
      System.arraycopy(layout.toOnnx(recurrent, h, h), 0, rAll, d * gh * h, gh * h);
      // ONNX adds an input bias and a recurrent bias; Keras' GRU keeps both (reset_after), the
      // other layers one, which goes in as the input bias beside a zero recurrent bias
      System.arraycopy(layout.biasToOnnx(bias, 0, h), 0, bAll, d * 2 * gh, gh);
      if (layout == GateLayout.GRU) {
        System.arraycopy(layout.biasToOnnx(bias, gh, h), 0, bAll, d * 2 * gh + gh, gh);
      }
    }
    String wName = g.floats("W", wAll, dirs, gh, f);
    String rName = g.floats("R", rAll, dirs, gh, h);
    String bName = g.floats("B", bAll, dirs, 2L * gh);
    String timeMajor = g.node("Transpose", List.of(x), ints("perm", 1, 0, 2));
    List<AttributeProto> attrs = new ArrayList<>();
    attrs.add(attr("hidden_size", (long) h));
    attrs.add(attr("direction", dirs == 2 ? "bidirectional" : "forward"));
    if (layout == GateLayout.GRU) {
      attrs.add(attr("linear_before_reset", 1L));
    }
    if (layout == GateLayout.SIMPLE) {
      String a = onnxActivation(r.activation());
      attrs.add(dirs == 2 ? strings("activations", a, a) : strings("activations", a));
      if (r.activation() == Activation.LINEAR) {
        float[] ones = dirs == 2 ? new float[] {1f, 1f} : new float[] {1f};
        attrs.add(GraphWriter.floatsAttr("activation_alpha", ones));
        attrs.add(GraphWriter.floatsAttr("activation_beta", new float[dirs]));
      }
    }
    int outputs = layout == GateLayout.LSTM ? 3 : 2;
    String[] out =
        g.nodeOutputs(
            op,
            List.of(timeMajor, wName, rName, bName),
            outputs,
            attrs.toArray(new AttributeProto[0]));
    if (r.returnsSequences()) {
      // Y: [time, directions, batch, units]
      String y = mergeDirections(out[0], 1, merge, 4);
      return g.node("Transpose", List.of(y), ints("perm", 1, 0, 2));
    }
    // Y_h: [directions, batch, units], the final states (the backward one after step 0)
    return mergeDirections(out[1], 0, merge, 3);
  }

  /** Removes the directions axis {@code axis} of a value of rank {@code rank}, merging two. */
  private String mergeDirections(String y, int axis, Bidirectional.MergeMode merge, int rank) {
    if (merge == null) {
      return g.node("Squeeze", List.of(y, g.longs("axes", axis)));
    }
    return switch (merge) {
      case CONCAT -> {
        // move directions next to units, then join them: [.., batch, 2, units] -> [.., batch, 2H]
        long[] perm = rank == 4 ? new long[] {0, 2, 1, 3} : new long[] {1, 0, 2};
        String moved = g.node("Transpose", List.of(y), ints("perm", perm));
        long[] shape = rank == 4 ? new long[] {0, 0, -1} : new long[] {0, -1};
        yield g.node("Reshape", List.of(moved, g.longs("shape", shape)));
      }
      case SUM -> g.node("ReduceSum", List.of(y, g.longs("axes", axis)), attr("keepdims", 0L));
      case AVE -> g.node("ReduceMean", List.of(y), ints("axes", axis), attr("keepdims", 0L));
      case MUL -> g.node("ReduceProd", List.of(y), ints("axes", axis), attr("keepdims", 0L));
    };
  }

  private String conv(Conv1D c, List<NDArray> w, String x, Shape in) {
    int k = c.kernelSize();
    int channels = in.dim(-1);
    int filters = c.filters();
    float[] kernel = w.get(0).data(); // [k, channels, filters]
    float[] onnxKernel = new float[kernel.length]; // [filters, channels, k]
    for (int t = 0; t < k; t++) {
      for (int ch = 0; ch < channels; ch++) {
        for (int o = 0; o < filters; o++) {
          onnxKernel[(o * channels + ch) * k + t] = kernel[(t * channels + ch) * filters + o];
        }
      }
    }
    List<String> inputs = new ArrayList<>();
    inputs.add(g.node("Transpose", List.of(x), ints("perm", 0, 2, 1)));
    inputs.add(g.floats("conv_kernel", onnxKernel, filters, channels, k));
    if (c.useBias()) {
      inputs.add(g.floats("conv_bias", w.get(1).data(), filters));
    }
    long span = (long) (k - 1) * c.dilationRate();
    var kernelShape = ints("kernel_shape", k);
    var strides = ints("strides", c.strides());
    var dilations = ints("dilations", c.dilationRate());
    String y =
        c.padding() == ConvPadding.SAME
            // ONNX's SAME_UPPER puts the odd zero at the end, as Keras' same padding does
            ? g.node(
                "Conv", inputs, kernelShape, strides, dilations, attr("auto_pad", "SAME_UPPER"))
            : g.node(
                "Conv",
                inputs,
                kernelShape,
                strides,
                dilations,
                ints("pads", c.padding() == ConvPadding.CAUSAL ? span : 0, 0));
    return g.node("Transpose", List.of(activation(c.activation(), y)), ints("perm", 0, 2, 1));
  }

  /** Inference batch norm as one scale and one shift per feature: x·s + t. */
  private String batchNorm(List<NDArray> w, String x, Shape in) {
    int n = in.dim(-1);
    float[] gamma = w.get(0).data();
    float[] beta = w.get(1).data();
    float[] mean = w.get(2).data();
    float[] var = w.get(3).data();
    float[] scale = new float[n];
    float[] shift = new float[n];
    for (int i = 0; i < n; i++) {
      double s = gamma[i] / Math.sqrt((double) var[i] + NORM_EPSILON);
      scale[i] = (float) s;
      shift[i] = (float) (beta[i] - mean[i] * s);
    }
    String scaled = g.node("Mul", List.of(x, g.floats("bn_scale", scale, n)));
    return g.node("Add", List.of(scaled, g.floats("bn_shift", shift, n)));
  }
}
