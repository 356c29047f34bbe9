package dev.timestep.nn;

import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of {@link Sequential#summary}, laid out as Keras' {@code model.summary()}: one row per
 * layer (name and type, output shape with {@code None} for the batch, parameter count), then the
 * total, trainable and non-trainable parameter counts with their float32 sizes. Plain ASCII rules
 * instead of Keras' box-drawing characters, so it prints the same on any console encoding.
 */
final class ModelSummary {
  /**
   * Content widths of the three columns, wider where a cell needs it: an 88-character line, as
   * Keras prints, with room for {@code layer_normalization (LayerNormalization)}.
   */
  private static final int[] MIN_WIDTHS = {40, 24, 14};

  private static final String[] HEADER = {"Layer (type)", "Output Shape", "Param #"};

  /** One table row: the layer's "name (Type)", its output shape and its parameter count. */
  record Row(String layer, String outputShape, String params) {}

  private ModelSummary() {}

  /**
   * The summary of {@code layers}, named {@code names}, of a model built for samples of {@code
   * inputShape} (null while it is not built), whose arrays {@code weights} knows.
   */
  static String of(List<Layer> layers, List<String> names, Shape inputShape, ModelWeights weights) {
    List<Row> rows = new ArrayList<>(layers.size());
    if (inputShape == null) {
      for (int i = 0; i < layers.size(); i++) {
        rows.add(new Row(label(names.get(i), layers.get(i)), "?", "(unbuilt)"));
      }
      return table(rows)
          .append(" The model is not built yet: call build(shape) or fit first.\n")
          .toString();
    }
    long trainable = 0;
    long nonTrainable = 0;
    Shape s = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      s = l.outputShape(s);
      long params = 0;
      for (WeightArray w : weights.arrays(i, l)) {
        params += w.size();
        if (w.trainable()) {
          trainable += w.size();
        } else {
          nonTrainable += w.size();
        }
      }
      rows.add(new Row(label(names.get(i), l), batchShape(s), count(params)));
    }
    StringBuilder sb = table(rows);
    line(sb, "Total params", trainable + nonTrainable);
    line(sb, "Trainable params", trainable);
    line(sb, "Non-trainable params", nonTrainable);
    return sb.toString();
  }

  private static StringBuilder table(List<Row> rows) {
    int[] widths = MIN_WIDTHS.clone();
    for (Row r : rows) {
      widths[0] = Math.max(widths[0], r.layer().length());
      widths[1] = Math.max(widths[1], r.outputShape().length());
      widths[2] = Math.max(widths[2], r.params().length());
    }
    StringBuilder sb = new StringBuilder("Model: \"sequential\"\n");
    rule(sb, widths, '-');
    cells(sb, widths, HEADER[0], HEADER[1], HEADER[2]);
    rule(sb, widths, '=');
    for (Row r : rows) {
      cells(sb, widths, r.layer(), r.outputShape(), r.params());
      rule(sb, widths, '-');
    }
    return sb;
  }

  private static void rule(StringBuilder sb, int[] widths, char c) {
    for (int w : widths) {
      sb.append('+').append(String.valueOf(c).repeat(w + 2));
    }
    sb.append("+\n");
  }

  /** Name and shape left-aligned, the count right-aligned, as Keras aligns them. */
  private static void cells(StringBuilder sb, int[] widths, String layer, String shape, String n) {
    sb.append("| ").append(pad(layer, widths[0])).append(' ');
    sb.append("| ").append(pad(shape, widths[1])).append(' ');
    sb.append("| ").append(" ".repeat(widths[2] - n.length())).append(n).append(" |\n");
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }

  private static void line(StringBuilder sb, String what, long params) {
    sb.append(' ')
        .append(what)
        .append(": ")
        .append(count(params))
        .append(" (")
        .append(size(params * Float.BYTES))
        .append(")\n");
  }

  private static String label(String name, Layer layer) {
    return name + " (" + layer.typeName() + ")";
  }

  /** {@code [20, 32]} per sample → {@code (None, 20, 32)}. */
  static String batchShape(Shape sample) {
    List<String> dims = new ArrayList<>();
    dims.add("None");
    for (int d : sample.dims()) {
      dims.add(Integer.toString(d));
    }
    return "(" + String.join(", ", dims) + ")";
  }

  /** Keras' count format: thousands separated by commas. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Keras' size format: two decimals of the largest binary unit (B, KB, ...) below 1024. */
  static String size(long bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
    double v = bytes;
    for (int i = 0; i < units.length - 1; i++) {
      if (v / 1024 < 1) {
        return String.format(Locale.ROOT, "%.2f %s", v, units[i]);
      }
      v /= 1024;
    }
    return String.format(Locale.ROOT, "%.2f %s", v, units[units.length - 1]);
  }
}
