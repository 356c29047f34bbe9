package dev.timestep.onnx;

import dev.timestep.backend.ConvPadding;
import dev.timestep.onnx.ImportedValue.Data;
import dev.timestep.onnx.ImportedValue.Known;
import dev.timestep.onnx.ImportedValue.Layout;
import dev.timestep.onnx.proto.Onnx.NodeProto;
import dev.timestep.tensor.NDArray;
import java.util.Arrays;
import java.util.List;

/**
 * An ONNX 1-D Conv as Conv1D, with the zeros a Pad node before it added: none is Keras' valid
 * padding, {@code (k-1)·dilation} on the left its causal padding (which PyTorch writes as a Pad),
 * SAME_UPPER or the same split its same padding. The kernel {@code [filters, channels, k]} becomes
 * Keras' {@code [k, channels, filters]}.
 */
final class ConvImport {
  private ConvImport() {}

  static Data conv(DataPath path, NodeProto n, Data d, List<ImportedValue> in) {
    if (d.layout() != Layout.BATCH_FEATURES_TIME) {
      throw path.fail(
          DataPath.where(n)
              + " reads "
              + DataPath.describe(d.layout())
              + " where [batch, channels, time] is needed");
    }
    if (!(in.get(1) instanceof Known w) || w.tensor().rank() != 3) {
      throw path.fail(DataPath.where(n) + " is not a 1-D convolution with constant weights");
    }
    if (Attributes.i(n, "group", 1) != 1) {
      throw path.fail(
          DataPath.where(n)
              + " has group "
              + Attributes.i(n, "group", 1)
              + "; Timestep's Conv1D has group 1");
    }
    long[] dims = w.tensor().dims();
    int filters = (int) dims[0];
    int channels = (int) dims[1];
    int k = (int) dims[2];
    if (channels != d.features()) {
      throw path.fail(
          DataPath.where(n) + " reads " + channels + " channels of data with " + d.features());
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
      throw path.fail(
          DataPath.where(n) + " has auto_pad " + autoPad + "; Timestep pads as SAME_UPPER");
    } else if (left == 0 && right == 0) {
      padding = ConvPadding.VALID;
    } else if (left == span && right == 0) {
      padding = ConvPadding.CAUSAL;
    } else if (stride == 1 && left + right == span && left == span / 2) {
      padding = ConvPadding.SAME;
    } else {
      throw path.fail(
          DataPath.where(n)
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
        throw path.fail(
            DataPath.where(n) + " has a bias that is not a constant of " + filters + " values");
      }
      bias = NDArray.of(b.tensor().floats(), filters);
    }
    path.chain.add(
        new LayerSpec.ConvSpec(
            NDArray.of(kernel, k, channels, filters), bias, stride, dilation, padding));
    return new Data(Layout.BATCH_FEATURES_TIME, filters, path.chain.size(), 1, 0, 0);
  }

  static Data pad(DataPath path, NodeProto n, Data d, List<ImportedValue> in) {
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
      throw path.fail(
          DataPath.where(n)
              + " is not a constant zero padding of the time axis of "
              + DataPath.describe(d.layout()));
    }
    long[] pads = p.tensor().longs();
    for (int i = 0; i < 6; i++) {
      if (i % 3 != timeAxis && pads[i] != 0 || pads[i] < 0) {
        throw path.fail(
            DataPath.where(n)
                + " pads "
                + Arrays.toString(pads)
                + "; Timestep pads time steps only");
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

  private static long first(long[] values, long otherwise) {
    if (values != null && values.length > 1) {
      throw new OnnxImportException("a 1-D convolution has " + values.length + " spatial axes");
    }
    return values == null || values.length == 0 ? otherwise : values[0];
  }
}
