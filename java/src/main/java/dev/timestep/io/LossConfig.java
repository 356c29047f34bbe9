package dev.timestep.io;

import java.util.List;
import java.util.Map;

/**
 * A loss as a model file's header holds it: its name and its parameters ({@code delta}, a number;
 * {@code quantiles}, a list of numbers). A loss without parameters is written as its bare name, as
 * files did before losses had parameters.
 */
record LossConfig(String name, Map<String, Object> options) {
  LossConfig {
    options = Map.copyOf(options);
  }

  static LossConfig named(String name) {
    return new LossConfig(name, Map.of());
  }

  /** A number option. */
  double number(String key) {
    if (!(options.get(key) instanceof Number n)) {
      throw new IllegalArgumentException(
          "loss '" + name + "': '" + key + "' must be a number, got " + options.get(key));
    }
    return n.doubleValue();
  }

  /** A list-of-numbers option. */
  List<Double> numbers(String key) {
    if (!(options.get(key) instanceof List<?> list)
        || !list.stream().allMatch(v -> v instanceof Number)) {
      throw new IllegalArgumentException(
          "loss '"
              + name
              + "': '"
              + key
              + "' must be an array of numbers, got "
              + options.get(key));
    }
    return list.stream().map(v -> ((Number) v).doubleValue()).toList();
  }
}
