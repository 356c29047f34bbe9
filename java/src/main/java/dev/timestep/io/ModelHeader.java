package dev.timestep.io;

import dev.timestep.nn.Model;
import dev.timestep.tensor.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a model file says besides the tensor values: the architecture and input shape, how the
 * model was compiled (loss, metrics, optimizer with its step count), the user's metadata, and the
 * table of tensors in the payload. Loss, metrics and optimizer are absent (null, empty, null) for a
 * model saved before {@code compile}. A functional model has a {@code graph} and no {@code
 * inputShape}; a Sequential the reverse.
 */
record ModelHeader(
    Shape inputShape,
    long seed,
    List<LayerConfig> layers,
    LossConfig loss,
    List<String> metrics,
    OptimizerConfig optimizer,
    ModelMetadata metadata,
    List<TensorEntry> tensors,
    Graph graph) {

  /**
   * A functional model's graph: its inputs' sample shapes, its layer calls (indices into {@code
   * layers}) with their inbound connections, its outputs, and the loss weights it was compiled with
   * (null when not compiled).
   */
  record Graph(
      List<Shape> inputs,
      List<Model.Node> nodes,
      List<Model.Connection> outputs,
      double[] lossWeights) {}

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
