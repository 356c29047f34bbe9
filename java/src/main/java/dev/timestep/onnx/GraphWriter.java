package dev.timestep.onnx;

import com.google.protobuf.ByteString;
import dev.timestep.onnx.proto.Onnx.AttributeProto;
import dev.timestep.onnx.proto.Onnx.GraphProto;
import dev.timestep.onnx.proto.Onnx.NodeProto;
import dev.timestep.onnx.proto.Onnx.TensorProto;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one ONNX graph: initializers and nodes with names that cannot collide, attributes in the
 * format's typed form. Every node here has one domain, the default operator set.
 */
final class GraphWriter {
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final String prefix;
  private int counter;

  GraphWriter(String prefix) {
    this.prefix = prefix;
  }

  GraphProto.Builder graph() {
    return graph;
  }

  /** A value name not used before in this graph, readable in a graph viewer. */
  String fresh(String base) {
    return prefix + base + "_" + counter++;
  }

  /** A float32 initializer of {@code dims}, row-major. */
  String floats(String base, float[] values, long... dims) {
    String name = fresh(base);
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) {
      t.addDims(d);
    }
    for (float v : values) {
      t.addFloatData(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /** An int64 vector initializer (shapes, axes, pads). */
  String longs(String base, long... values) {
    String name = fresh(base);
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.INT64_VALUE)
            .addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /** Adds a node with one output and returns that output's name. */
  String node(String op, List<String> inputs, AttributeProto... attributes) {
    return nodeOutputs(op, inputs, 1, attributes)[0];
  }

  /** Adds a node with {@code outputs} outputs and returns their names. */
  String[] nodeOutputs(String op, List<String> inputs, int outputs, AttributeProto... attributes) {
    String[] names = new String[outputs];
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(fresh(op));
    n.addAllInput(inputs);
    for (int i = 0; i < outputs; i++) {
      names[i] = fresh(op + "_out" + i);
      n.addOutput(names[i]);
    }
    n.addAllAttribute(Arrays.asList(attributes));
    graph.addNode(n);
    return names;
  }

  static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  static AttributeProto attr(String name, float value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.FLOAT)
        .setF(value)
        .build();
  }

  static AttributeProto attr(String name, String value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(value))
        .build();
  }

  static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  static AttributeProto strings(String name, String... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
    for (String v : values) {
      a.addStrings(ByteString.copyFromUtf8(v));
    }
    return a.build();
  }

  static AttributeProto floatsAttr(String name, float... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
    for (float v : values) {
      a.addFloats(v);
    }
    return a.build();
  }

  static AttributeProto graphAttr(String name, GraphProto body) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.GRAPH)
        .setG(body)
        .build();
  }
}
