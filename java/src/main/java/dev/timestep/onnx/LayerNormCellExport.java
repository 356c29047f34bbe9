package dev.timestep.onnx;

import static dev.timestep.onnx.GraphWriter.attr;
import static dev.timestep.onnx.GraphWriter.ints;

import dev.timestep.nn.LayerNormSimpleRNN;
import dev.timestep.onnx.proto.Onnx.GraphProto;
import dev.timestep.onnx.proto.Onnx.TensorProto;
import dev.timestep.onnx.proto.Onnx.TypeProto;
import dev.timestep.onnx.proto.Onnx.ValueInfoProto;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.List;

/**
 * The book's layer-normalized SimpleRNN cell, which ONNX has no op for, as primitive ops: a Scan
 * over the time axis whose body computes {@code h = act(LayerNorm(x·W + b + h·U))}. The body reads
 * the weights from the outer graph by name, as ONNX lets a subgraph do.
 */
final class LayerNormCellExport {
  private final GraphWriter g;

  LayerNormCellExport(GraphWriter g) {
    this.g = g;
  }

  String emit(LayerNormSimpleRNN layer, List<NDArray> w, String x, Shape in) {
    int f = in.dim(-1);
    int h = layer.units();
    String kernel = g.floats("ln_kernel", w.get(0).data(), f, h);
    String recurrent = g.floats("ln_recurrent", w.get(1).data(), h, h);
    String bias = g.floats("ln_bias", w.get(2).data(), h);
    String gamma = g.floats("ln_gamma", w.get(3).data(), h);
    String beta = g.floats("ln_beta", w.get(4).data(), h);

    // zeros [batch, units]: the batch size comes from the input at run time
    String batch =
        g.node(
            "Slice", List.of(g.node("Shape", List.of(x)), g.longs("start", 0), g.longs("end", 1)));
    String stateShape = g.node("Concat", List.of(batch, g.longs("units", h)), attr("axis", 0L));
    String h0 = g.node("ConstantOfShape", List.of(stateShape));

    GraphWriter body = new GraphWriter(g.fresh("ln_body") + "/");
    String hPrev = body.fresh("h_prev");
    String xt = body.fresh("x_t");
    body.graph().addInput(floatInput(hPrev)).addInput(floatInput(xt));
    String sum =
        body.node(
            "Add",
            List.of(
                body.node("Add", List.of(body.node("MatMul", List.of(xt, kernel)), bias)),
                body.node("MatMul", List.of(hPrev, recurrent))));
    String normed =
        body.node(
            "LayerNormalization",
            List.of(sum, gamma, beta),
            attr("axis", -1L),
            attr("epsilon", 1e-3f));
    String act = LayerExport.onnxActivation(layer.activation());
    String hNew =
        act.equals("Affine")
            ? body.node("Identity", List.of(normed))
            : body.node(act, List.of(normed));
    String stateOut = body.node("Identity", List.of(hNew));
    String stepOut = body.node("Identity", List.of(hNew));
    body.graph().addOutput(floatInput(stateOut)).addOutput(floatInput(stepOut));
    GraphProto bodyGraph = body.graph().setName("layer_norm_cell").build();

    String[] out =
        g.nodeOutputs(
            "Scan",
            List.of(h0, x),
            2,
            GraphWriter.graphAttr("body", bodyGraph),
            attr("num_scan_inputs", 1L),
            ints("scan_input_axes", 1),
            ints("scan_output_axes", 1));
    return layer.returnsSequences() ? out[1] : out[0];
  }

  /** A float tensor value of any shape (a Scan body's inputs and outputs need their type). */
  private static ValueInfoProto floatInput(String name) {
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)))
        .build();
  }
}
