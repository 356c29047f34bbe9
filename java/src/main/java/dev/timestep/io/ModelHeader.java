package dev.timestep.io;

import dev.timestep.tensor.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a model file says besides the tensor values: the architecture and input shape, how the
 * model was compiled (loss, metrics, optimizer with its step count), the user's metadata, and the
 * table of tensors in the payload. Loss, metrics and optimizer are absent (null, empty, null) for a
 * model saved before {@code compile}.
 */
record ModelHeader(
    Shape inputShape,
    long seed,
    List<LayerConfig> layers,
    LossConfig loss,
    List<String> metrics,
    OptimizerConfig optimizer,
    ModelMetadata metadata,
    List<TensorEntry> tensors) {

  /**
   * An optimizer's type ("Adam", "SGD", ...), its hyper-parameters (Double or Boolean values, in
   * the order they are written; see {@link OptimizerCodecs}) and how many steps it took (its slots
   * are tensors).
   */
  record OptimizerConfig(String type, Map<String, Object> options, long iterations) {
    OptimizerConfig {
      options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    double number(String key) {
      return (Double) options.get(key);
    }

    /** A flag; false when absent (an optional flag left out). */
    boolean flag(String key) {
      return Boolean.TRUE.equals(options.get(key));
    }
  }
}
