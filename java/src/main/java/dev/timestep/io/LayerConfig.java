package dev.timestep.io;

import dev.timestep.nn.Layer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A layer's description: its type name (e.g. "LSTM") and hyper-parameters (e.g. units 20,
 * returnSequences true), enough to build an identical, untrained layer. A wrapper layer
 * (TimeDistributed) holds the layer it wraps in {@code inner}. Option values are Integer, Double
 * (finite: dropout rates), Boolean or String (activations and paddings by their lower-case Keras
 * names).
 *
 * <pre>{@code
 * LayerConfig c = LayerConfig.of(new LSTM(20).returnSequences(true));
 * Layer copy = c.newLayer();   // LSTM(20, return_sequences), fresh weights once built
 * }</pre>
 */
public record LayerConfig(String type, Map<String, Object> options, LayerConfig inner) {

  public LayerConfig {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException(
          "layer config: the type must be a non-blank name, got "
              + (type == null ? "null" : "'" + type + "'"));
    }
    if (options == null) {
      throw new IllegalArgumentException(
          "layer config " + type + ": options must not be null (use Map.of())");
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : options.entrySet()) {
      Object v = e.getValue();
      if (e.getKey() == null
          || !(v instanceof Integer
              || v instanceof Boolean
              || v instanceof String
              || v instanceof Double d && Double.isFinite(d))) {
        throw new IllegalArgumentException(
            "layer config "
                + type
                + ": option "
                + e.getKey()
                + " must be an Integer, a finite Double, a Boolean or a String, got "
                + (v == null ? "null" : v instanceof Double ? v : v.getClass().getSimpleName()));
      }
      copy.put(e.getKey(), v);
    }
    options = Collections.unmodifiableMap(copy);
  }

  /**
   * The description of a built-in layer.
   *
   * @throws IllegalArgumentException for an {@code RNN} over a user-written cell, or a layer class
   *     the model file format does not know
   */
  public static LayerConfig of(Layer layer) {
    return LayerCodecs.describe(layer);
  }

  /**
   * A new, unbuilt layer with this configuration.
   *
   * @throws IllegalArgumentException for an unknown type, missing or unknown options, or values the
   *     layer refuses
   */
  public Layer newLayer() {
    return LayerCodecs.create(this);
  }

  int intOption(String key) {
    return (Integer) option(key, Integer.class, "an integer");
  }

  /** A number option; an integer (a hand-written {@code 0}) counts as a number too. */
  double doubleOption(String key) {
    return ((Number) option(key, Number.class, "a number")).doubleValue();
  }

  /** A number option that may be left out, with its default. */
  double doubleOption(String key, double absent) {
    return options.containsKey(key) ? doubleOption(key) : absent;
  }

  boolean boolOption(String key) {
    return (Boolean) option(key, Boolean.class, "true or false");
  }

  /** A true-or-false option that may be left out, with its default. */
  boolean boolOption(String key, boolean absent) {
    return options.containsKey(key) ? boolOption(key) : absent;
  }

  String stringOption(String key) {
    return (String) option(key, String.class, "a string");
  }

  private Object option(String key, Class<?> expected, String what) {
    Object v = options.get(key);
    if (v == null) {
      throw new IllegalArgumentException(type + ": option '" + key + "' is missing");
    }
    if (!expected.isInstance(v)) {
      throw new IllegalArgumentException(
          type + ": option '" + key + "' must be " + what + ", got " + v);
    }
    return v;
  }
}
