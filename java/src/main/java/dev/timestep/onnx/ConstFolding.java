package dev.timestep.onnx;

import dev.timestep.onnx.proto.Onnx.AttributeProto;
import dev.timestep.onnx.proto.Onnx.NodeProto;
import java.util.Arrays;
import java.util.List;

/**
 * Computes the nodes whose inputs are all known constants, as exporters leave them around recurrent
 * layers and padded convolutions (shapes of zero states, pads, axes): Gather, Unsqueeze, Squeeze,
 * Concat, Slice, Reshape, Cast, Transpose, Expand, ConstantOfShape and Identity.
 */
final class ConstFolding {
  private ConstFolding() {}

  static ConstTensor fold(NodeProto n, List<ConstTensor> in, int opset) {
    return switch (n.getOpType()) {
      case "Identity" -> in.get(0);
      case "Cast" -> cast(in.get(0), Attributes.i(n, "to", 1));
      case "Unsqueeze" -> unsqueeze(in.get(0), axes(n, in, opset, 13));
      case "Squeeze" -> squeeze(in.get(0), axes(n, in, opset, 13));
      case "Reshape" -> reshape(in.get(0), in.get(1).longs());
      case "Concat" -> concat(in, (int) Attributes.i(n, "axis", 0));
      case "Gather" -> gather(in.get(0), in.get(1), (int) Attributes.i(n, "axis", 0));
      case "Transpose" -> transpose(in.get(0), Attributes.ints(n, "perm"));
      case "Slice" -> slice(in);
      case "Expand" -> expand(in.get(0), in.get(1).longs());
      case "ConstantOfShape" -> constantOfShape(n, in.get(0).longs());
      default -> throw new IllegalStateException("no constant folding for " + n.getOpType());
    };
  }

  static boolean folds(String op) {
    return switch (op) {
      case "Identity",
          "Cast",
          "Unsqueeze",
          "Squeeze",
          "Reshape",
          "Concat",
          "Gather",
          "Transpose",
          "Slice",
          "Expand",
          "ConstantOfShape" ->
          true;
      default -> false;
    };
  }

  /** Axes from the attribute (before {@code inputFrom}) or the second input (from then on). */
  static long[] axes(NodeProto n, List<ConstTensor> in, int opset, int inputFrom) {
    if (opset >= inputFrom) {
      return in.size() > 1 && in.get(1) != null ? in.get(1).longs() : null;
    }
    return Attributes.has(n, "axes") ? Attributes.ints(n, "axes") : null;
  }

  private static ConstTensor cast(ConstTensor x, long to) {
    boolean integral = to != 1 && to != 10 && to != 11 && to != 16;
    double[] v = x.values().clone();
    if (integral) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (long) v[i];
      }
    } else if (to == 1) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) v[i];
      }
    }
    return new ConstTensor(x.dims(), v, integral);
  }

  private static int axis(long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new OnnxImportException("axis " + axis + " is outside a tensor of rank " + rank);
    }
    return (int) a;
  }

  private static ConstTensor unsqueeze(ConstTensor x, long[] axes) {
    int rank = x.rank() + axes.length;
    boolean[] inserted = new boolean[rank];
    for (long a : axes) {
      inserted[axis(a, rank)] = true;
    }
    long[] dims = new long[rank];
    for (int i = 0, j = 0; i < rank; i++) {
      dims[i] = inserted[i] ? 1 : x.dims()[j++];
    }
    return new ConstTensor(dims, x.values(), x.integral());
  }

  private static ConstTensor squeeze(ConstTensor x, long[] axes) {
    boolean[] drop = new boolean[x.rank()];
    if (axes == null) {
      for (int i = 0; i < drop.length; i++) {
        drop[i] = x.dims()[i] == 1;
      }
    } else {
      for (long a : axes) {
        drop[axis(a, x.rank())] = true;
      }
    }
    long[] dims = new long[x.rank()];
    int k = 0;
    for (int i = 0; i < drop.length; i++) {
      if (!drop[i]) {
        dims[k++] = x.dims()[i];
      }
    }
    return new ConstTensor(Arrays.copyOf(dims, k), x.values(), x.integral());
  }

  private static ConstTensor reshape(ConstTensor x, long[] shape) {
    long[] dims = shape.clone();
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] == 0 && i < x.rank()) {
        dims[i] = x.dims()[i];
      }
      if (dims[i] == -1) {
        unknown = i;
      } else {
        known *= dims[i];
      }
    }
    if (unknown >= 0 && known > 0) {
      dims[unknown] = x.size() / known;
    }
    if (ConstTensor.count(dims) != x.size()) {
      throw new OnnxImportException(
          "Reshape of " + Arrays.toString(x.dims()) + " to " + Arrays.toString(shape));
    }
    return new ConstTensor(dims, x.values(), x.integral());
  }

  private static ConstTensor concat(List<ConstTensor> in, int axis) {
    ConstTensor first = in.get(0);
    int a = axis(axis, first.rank());
    long[] dims = first.dims().clone();
    dims[a] = 0;
    for (ConstTensor t : in) {
      dims[a] += t.dims()[a];
    }
    double[] v = new double[checkedSize(dims)];
    long outer = 1;
    for (int i = 0; i < a; i++) {
      outer *= dims[i];
    }
    int pos = 0;
    for (long o = 0; o < outer; o++) {
      for (ConstTensor t : in) {
        int block = (int) (t.size() / Math.max(outer, 1));
        System.arraycopy(t.values(), (int) (o * block), v, pos, block);
        pos += block;
      }
    }
    return new ConstTensor(dims, v, first.integral());
  }

  private static ConstTensor gather(ConstTensor x, ConstTensor indices, int axis) {
    int a = axis(axis, x.rank());
    long[] idx = indices.longs();
    long[] dims = new long[x.rank() - 1 + indices.rank()];
    int k = 0;
    for (int i = 0; i < a; i++) {
      dims[k++] = x.dims()[i];
    }
    for (long d : indices.dims()) {
      dims[k++] = d;
    }
    for (int i = a + 1; i < x.rank(); i++) {
      dims[k++] = x.dims()[i];
    }
    long outer = 1;
    for (int i = 0; i < a; i++) {
      outer *= x.dims()[i];
    }
    long inner = ConstTensor.strides(x.dims())[a];
    long len = x.dims()[a];
    double[] v = new double[checkedSize(dims)];
    int pos = 0;
    for (long o = 0; o < outer; o++) {
      for (long j : idx) {
        long at = j < 0 ? j + len : j;
        if (at < 0 || at >= len) {
          throw new OnnxImportException("Gather index " + j + " outside an axis of " + len);
        }
        System.arraycopy(x.values(), (int) ((o * len + at) * inner), v, pos, (int) inner);
        pos += (int) inner;
      }
    }
    return new ConstTensor(dims, v, x.integral());
  }

  private static ConstTensor transpose(ConstTensor x, long[] perm) {
    int r = x.rank();
    long[] p = perm;
    if (p == null) {
      p = new long[r];
      for (int i = 0; i < r; i++) {
        p[i] = r - 1 - i;
      }
    }
    long[] dims = new long[r];
    for (int i = 0; i < r; i++) {
      dims[i] = x.dims()[(int) p[i]];
    }
    long[] inStrides = ConstTensor.strides(x.dims());
    double[] v = new double[checkedSize(dims)];
    long[] index = new long[r];
    for (int out = 0; out < v.length; out++) {
      long src = 0;
      for (int i = 0; i < r; i++) {
        src += index[i] * inStrides[(int) p[i]];
      }
      v[out] = x.values()[(int) src];
      for (int i = r - 1; i >= 0 && ++index[i] == dims[i]; i--) {
        index[i] = 0;
      }
    }
    return new ConstTensor(dims, v, x.integral());
  }

  /** Slice(data, starts, ends, axes?, steps?) from opset 10 on. */
  private static ConstTensor slice(List<ConstTensor> in) {
    ConstTensor x = in.get(0);
    int r = x.rank();
    long[] starts = in.get(1).longs();
    long[] ends = in.get(2).longs();
    long[] axes = in.size() > 3 && in.get(3) != null ? in.get(3).longs() : null;
    long[] steps = in.size() > 4 && in.get(4) != null ? in.get(4).longs() : null;
    long[] from = new long[r];
    long[] step = new long[r];
    long[] dims = x.dims().clone();
    Arrays.fill(step, 1);
    for (int k = 0; k < starts.length; k++) {
      int a = axis(axes == null ? k : axes[k], r);
      long len = x.dims()[a];
      long s = steps == null ? 1 : steps[k];
      if (s == 0) {
        throw new OnnxImportException("Slice with a step of 0");
      }
      long b = clampIndex(starts[k], len, s);
      long e = clampIndex(ends[k], len, s);
      long count = s > 0 ? Math.max(0, (e - b + s - 1) / s) : Math.max(0, (b - e - s - 1) / -s);
      from[a] = b;
      step[a] = s;
      dims[a] = count;
    }
    long[] inStrides = ConstTensor.strides(x.dims());
    double[] v = new double[checkedSize(dims)];
    long[] index = new long[r];
    for (int out = 0; out < v.length; out++) {
      long src = 0;
      for (int i = 0; i < r; i++) {
        src += (from[i] + index[i] * step[i]) * inStrides[i];
      }
      v[out] = x.values()[(int) src];
      for (int i = r - 1; i >= 0 && ++index[i] == dims[i]; i--) {
        index[i] = 0;
      }
    }
    return new ConstTensor(dims, v, x.integral());
  }

  private static long clampIndex(long i, long len, long step) {
    long at = i < 0 ? i + len : i;
    return step > 0 ? Math.max(0, Math.min(at, len)) : Math.max(-1, Math.min(at, len - 1));
  }

  private static ConstTensor expand(ConstTensor x, long[] shape) {
    int r = Math.max(x.rank(), shape.length);
    long[] dims = new long[r];
    long[] xd = new long[r];
    Arrays.fill(xd, 1);
    System.arraycopy(x.dims(), 0, xd, r - x.rank(), x.rank());
    for (int i = 0; i < r; i++) {
      long s = i - (r - shape.length) >= 0 ? shape[i - (r - shape.length)] : 1;
      dims[i] = Math.max(xd[i], s);
      if (xd[i] != 1 && s != 1 && xd[i] != s) {
        throw new OnnxImportException(
            "Expand of " + Arrays.toString(x.dims()) + " to " + Arrays.toString(shape));
      }
    }
    long[] inStrides = ConstTensor.strides(xd);
    double[] v = new double[checkedSize(dims)];
    long[] index = new long[r];
    for (int out = 0; out < v.length; out++) {
      long src = 0;
      for (int i = 0; i < r; i++) {
        src += (xd[i] == 1 ? 0 : index[i]) * inStrides[i];
      }
      v[out] = x.values()[(int) src];
      for (int i = r - 1; i >= 0 && ++index[i] == dims[i]; i--) {
        index[i] = 0;
      }
    }
    return new ConstTensor(dims, v, x.integral());
  }

  private static ConstTensor constantOfShape(NodeProto n, long[] shape) {
    ConstTensor value = constantOfShapeValue(n);
    double[] v = new double[checkedSize(shape)];
    Arrays.fill(v, value.values()[0]);
    return new ConstTensor(shape, v, value.integral());
  }

  /** ConstantOfShape's one value: float 0 when the attribute is absent. */
  static ConstTensor constantOfShapeValue(NodeProto n) {
    for (AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals("value")) {
        ConstTensor t = ConstTensor.of(a.getT());
        if (t.size() != 1) {
          throw new OnnxImportException("ConstantOfShape's value must hold one value");
        }
        return t;
      }
    }
    return new ConstTensor(new long[] {1}, new double[] {0}, false);
  }

  private static int checkedSize(long[] dims) {
    long n = ConstTensor.count(dims);
    if (n > ConstTensor.MAX_VALUES) {
      throw new OnnxImportException(
          "a constant of shape " + Arrays.toString(dims) + " is larger than Timestep computes");
    }
    return (int) n;
  }
}
