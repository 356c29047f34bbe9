package dev.timestep.onnx;

import dev.timestep.onnx.proto.Onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor whose values an import knows: an initializer, a Constant node's value, or one computed
 * from those (shapes, axes, pads). Values are held as doubles, which hold float32 and the integers
 * of shapes exactly; {@code integral} says whether ONNX typed them as integers.
 */
record ConstTensor(long[] dims, double[] values, boolean integral) {
  /** Folded constants larger than this are refused rather than allocated. */
  static final long MAX_VALUES = 1 << 26;

  static ConstTensor ofLongs(long[] dims, long... values) {
    return new ConstTensor(dims, Arrays.stream(values).asDoubleStream().toArray(), true);
  }

  long size() {
    return count(dims);
  }

  int rank() {
    return dims.length;
  }

  long[] longs() {
    long[] out = new long[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (long) values[i];
    }
    return out;
  }

  float[] floats() {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  boolean allZero() {
    for (double v : values) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }

  /** The number of values of {@code dims}, or a refusal when they are negative or too many. */
  static long count(long[] dims) {
    long n = 1;
    boolean empty = false;
    for (long d : dims) {
      if (d < 0) {
        throw new OnnxImportException(
            "a tensor has a negative dimension: " + Arrays.toString(dims));
      }
      if (d == 0) {
        empty = true;
      } else if (n <= MAX_VALUES) {
        n = n > MAX_VALUES / d ? MAX_VALUES + 1 : n * d;
      }
    }
    return empty ? 0 : n;
  }

  /**
   * The values of a stored tensor, checked against its dimensions before anything is allocated: a
   * header claiming more values than the file holds is refused, naming the tensor.
   */
  static ConstTensor of(TensorProto t) {
    String name = "tensor '" + t.getName() + "'";
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
      String location =
          t.getExternalDataList().stream()
              .filter(e -> e.getKey().equals("location"))
              .map(e -> e.getValue())
              .findFirst()
              .orElse("?");
      throw new OnnxImportException(
          name
              + " keeps its values in an external file ("
              + location
              + "), which Timestep does not read; export the model with its weights inside it "
              + "(torch.onnx.export does so for models under 2 GB)");
    }
    long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    long n = count(dims);
    if (n > MAX_VALUES) {
      throw new OnnxImportException(
          name
              + " claims dimensions "
              + Arrays.toString(dims)
              + ", more values than Timestep reads");
    }
    int type = t.getDataType();
    int width =
        switch (type) {
          case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE -> 4;
          case TensorProto.DataType.INT64_VALUE, TensorProto.DataType.DOUBLE_VALUE -> 8;
          case TensorProto.DataType.BOOL_VALUE, TensorProto.DataType.UINT8_VALUE -> 1;
          default ->
              throw new OnnxImportException(
                  name + " has ONNX data type " + type + "; Timestep reads float, int and bool");
        };
    boolean integral =
        type != TensorProto.DataType.FLOAT_VALUE && type != TensorProto.DataType.DOUBLE_VALUE;
    long held =
        t.hasRawData()
            ? t.getRawData().size() / width
            : switch (type) {
              case TensorProto.DataType.FLOAT_VALUE -> t.getFloatDataCount();
              case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleDataCount();
              case TensorProto.DataType.INT64_VALUE -> t.getInt64DataCount();
              default -> t.getInt32DataCount();
            };
    if (held != n || (t.hasRawData() && t.getRawData().size() % width != 0)) {
      throw new OnnxImportException(
          name
              + " claims dimensions "
              + Arrays.toString(dims)
              + " ("
              + n
              + " values) but holds "
              + held
              + "; the file is damaged or truncated");
    }
    double[] v = new double[(int) n];
    if (t.hasRawData()) {
      ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < v.length; i++) {
        v[i] =
            switch (type) {
              case TensorProto.DataType.FLOAT_VALUE -> b.getFloat();
              case TensorProto.DataType.INT32_VALUE -> b.getInt();
              case TensorProto.DataType.INT64_VALUE -> b.getLong();
              case TensorProto.DataType.DOUBLE_VALUE -> b.getDouble();
              default -> b.get();
            };
      }
    } else {
      for (int i = 0; i < v.length; i++) {
        v[i] =
            switch (type) {
              case TensorProto.DataType.FLOAT_VALUE -> t.getFloatData(i);
              case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleData(i);
              case TensorProto.DataType.INT64_VALUE -> t.getInt64Data(i);
              default -> t.getInt32Data(i);
            };
      }
    }
    return new ConstTensor(dims, v, integral);
  }

  /** Row-major strides of {@code dims}. */
  static long[] strides(long[] dims) {
    long[] s = new long[dims.length];
    long acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= dims[i];
    }
    return s;
  }
}
