package dev.timestep.io;

import dev.timestep.tensor.Shape;
import java.util.List;

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
    AdamConfig optimizer,
    ModelMetadata metadata,
    List<TensorEntry> tensors) {

  /** Adam's hyper-parameters and how many steps it took (its moments are tensors). */
  record AdamConfig(
      double learningRate, double beta1, double beta2, double epsilon, long iterations) {}
}
