package dev.timestep.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keras' layer names: the class name in snake case ({@code SimpleRNN} → {@code simple_rnn}), then
 * {@code _1}, {@code _2}, ... for each further layer of the same kind. Keras counts per Python
 * session; here the count is per model, which gives what a fresh Keras session shows for the same
 * model and keeps a saved and a loaded model alike. A wrapped layer (TimeDistributed's, or
 * Bidirectional's forward layer) is named before its wrapper, as Keras constructs it first, so it
 * takes its kind's next number.
 */
final class LayerNames {
  private LayerNames() {}

  /** The name of each of {@code layers}, in order. */
  static List<String> of(List<Layer> layers) {
    Map<String, Integer> used = new HashMap<>();
    List<String> names = new ArrayList<>(layers.size());
    for (Layer l : layers) {
      if (l instanceof TimeDistributed td) {
        next(used, td.layer());
      } else if (l instanceof Bidirectional b) {
        next(used, b.forwardLayer()); // the backward copy gets an explicit name in Keras
      }
      names.add(next(used, l));
    }
    return names;
  }

  private static String next(Map<String, Integer> used, Layer layer) {
    String base = snakeCase(layer.typeName());
    int n = used.merge(base, 1, Integer::sum) - 1;
    return n == 0 ? base : base + "_" + n;
  }

  /**
   * Keras' {@code to_snake_case}: an underscore before each capitalised word and between a lower
   * case letter and a capital, then lower case ({@code Conv1D} → {@code conv1d}); {@code layer}
   * when nothing is left.
   */
  static String snakeCase(String className) {
    String s = className == null ? "" : className.replaceAll("\\W+", "");
    if (s.isEmpty()) {
      return "layer";
    }
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
    return s.toLowerCase(Locale.ROOT);
  }
}
