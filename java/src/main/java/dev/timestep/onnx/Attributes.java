package dev.timestep.onnx;

import dev.timestep.onnx.proto.Onnx.AttributeProto;
import dev.timestep.onnx.proto.Onnx.NodeProto;
import java.util.ArrayList;
import java.util.List;

/** A node's attributes by name, with ONNX's defaults where one is absent. */
final class Attributes {
  private Attributes() {}

  static AttributeProto get(NodeProto n, String name) {
    for (AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a;
      }
    }
    return null;
  }

  static boolean has(NodeProto n, String name) {
    return get(n, name) != null;
  }

  static long i(NodeProto n, String name, long otherwise) {
    AttributeProto a = get(n, name);
    return a == null ? otherwise : a.getI();
  }

  static float f(NodeProto n, String name, float otherwise) {
    AttributeProto a = get(n, name);
    return a == null ? otherwise : a.getF();
  }

  static String s(NodeProto n, String name, String otherwise) {
    AttributeProto a = get(n, name);
    return a == null ? otherwise : a.getS().toStringUtf8();
  }

  /** The ints of an attribute, or null when it is absent. */
  static long[] ints(NodeProto n, String name) {
    AttributeProto a = get(n, name);
    return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
  }

  static List<String> strings(NodeProto n, String name) {
    AttributeProto a = get(n, name);
    List<String> out = new ArrayList<>();
    if (a != null) {
      a.getStringsList().forEach(b -> out.add(b.toStringUtf8()));
    }
    return out;
  }
}
