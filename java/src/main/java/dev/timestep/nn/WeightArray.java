package dev.timestep.nn;

import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.List;

/**
 * One array of a layer's weights as Keras shows it ({@code get_weights}): its name within the layer
 * (e.g. {@code "recurrent_kernel"}), its Keras shape, whether training updates it, and where its
 * values live in the model's memory. The values are the {@code parts} one after the other, in
 * row-major order: one whole tensor for most arrays; two for the GRU's bias [2, 3H] (input bias
 * row, recurrent bias row); a slice of one for the layer-normalized RNN's γ and β.
 *
 * @param name the array's name within its layer, as Keras names it
 * @param shape the array's shape in Keras' layout
 * @param trainable false for state the optimizer never touches (batch normalization's moving
 *     statistics)
 * @param parts the model's tensors (or views of them) holding the values, in order
 */
public record WeightArray(String name, Shape shape, boolean trainable, List<Tensor> parts) {

  /**
   * @throws IllegalArgumentException when a field is missing or the parts do not hold exactly the
   *     shape's number of values
   */
  public WeightArray {
    if (name == null || name.isBlank() || shape == null || parts == null || parts.isEmpty()) {
      throw new IllegalArgumentException(
          "WeightArray needs a name, a shape and at least one part, got "
              + name
              + ", "
              + shape
              + ", "
              + parts);
    }
    parts = List.copyOf(parts);
    long values = 0;
    for (Tensor t : parts) {
      values += t.size();
    }
    if (values != shape.size()) {
      throw new IllegalArgumentException(
          "WeightArray "
              + name
              + ": shape "
              + shape
              + " holds "
              + shape.size()
              + " values but its parts hold "
              + values);
    }
  }

  /** One whole tensor seen with the given Keras name, shape unchanged. */
  public static WeightArray of(String name, Tensor values, boolean trainable) {
    return new WeightArray(name, values.shape(), trainable, List.of(values));
  }

  /** The number of values (Keras' parameter count of this array). */
  public long size() {
    return shape.size();
  }
}
