package dev.timestep.nn;

import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of {@link Sequential#summary}, laid out as Keras' {@code model.summary()}: one row per
 * layer (name and type, output shape with {@code None} for the batch, parameter count), then the
 * total, trainable and non-trainable parameter counts with their float32 sizes. Also the counts,
 * names and formats the functional model's summary ({@link GraphSummary}) shares.
 */
final class ModelSummary {
  /**
   * Content widths of the three columns, wider where a cell needs it: an 88-character line, as
   * Keras prints, with room for {@code layer_normalization (LayerNormalization)}.
   */
  private static final int[] MIN_WIDTHS = {40, 24, 14};

  private static final String[] HEADER = {"Layer (type)", "Output Shape", "Param #"};

  /** Name and shape left-aligned, the count right-aligned, as Keras aligns them. */
  private static final boolean[] RIGHT_ALIGNED = {false, false, true};

  private ModelSummary() {}

  /**
   * The summary of {@code layers}, named {@code names}, of a model built for samples of {@code
   * inputShape} (null while it is not built), whose arrays {@code weights} knows.
   */
  static String of(List<Layer> layers, List<String> names, Shape inputShape, ModelWeights weights) {
    SummaryTable table = new SummaryTable(HEADER, MIN_WIDTHS, RIGHT_ALIGNED);
    if (inputShape == null) {
      for (int i = 0; i < layers.size(); i++) {
        table.row(label(names.get(i), layers.get(i)), "?", "(unbuilt)");
      }
      return table
          .render("sequential")
          .append(" The model is not built yet: call build(shape) or fit first.\n")
          .toString();
    }
    long trainable = 0;
    long nonTrainable = 0;
    Shape s = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      s = l.outputShape(s);
      long[] counts = weights.counts(i);
      trainable += counts[0];
      nonTrainable += counts[1];
      table.row(label(names.get(i), l), batchShape(s), count(counts[0] + counts[1]));
    }
    StringBuilder sb = table.render("sequential");
    totals(sb, trainable, nonTrainable);
    return sb.toString();
  }

  /** The total, trainable and non-trainable lines under the table. */
  static void totals(StringBuilder sb, long trainable, long nonTrainable) {
    line(sb, "Total params", trainable + nonTrainable);
    line(sb, "Trainable params", trainable);
    line(sb, "Non-trainable params", nonTrainable);
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

  /** {@code lstm (LSTM)}: the layer's name and type. */
  static String label(String name, Layer layer) {
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
