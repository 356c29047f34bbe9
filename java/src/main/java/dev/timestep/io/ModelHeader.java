package dev.timestep.io;

import dev.timestep.nn.Model;
import dev.timestep.tensor.Shape;
import java.util.List;

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
    String loss,
    List<String> metrics,
    AdamConfig optimizer,
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

  /** Adam's hyper-parameters and how many steps it took (its moments are tensors). */
  record AdamConfig(
      double learningRate, double beta1, double beta2, double epsilon, long iterations) {}
}
