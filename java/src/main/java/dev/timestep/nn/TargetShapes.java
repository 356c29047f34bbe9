package dev.timestep.nn;

import dev.timestep.tensor.Shape;

/**
 * The targets' shape a loss needs, for both models: the outputs' shape, or for a loss with k
 * predictions per target value ({@link Loss#predictionsPerTarget}, the quantile loss) the outputs'
 * shape with the last axis k times shorter.
 */
final class TargetShapes {
  private TargetShapes() {}

  /**
   * Checks targets of sample shape {@code target} against outputs of sample shape {@code output}.
   *
   * @param outputs how the message names the outputs ("the model outputs", "the model's output 2
   *     has")
   * @param targets how it names the targets ("Y", "fit target 2")
   * @throws IllegalArgumentException naming both shapes, and for k > 1 the one expected
   */
  static void check(
      String what, Loss loss, Shape output, Shape target, String outputs, String targets) {
    int k = loss == null ? 1 : loss.predictionsPerTarget();
    if (k == 1) {
      if (!output.equals(target)) {
        throw new IllegalArgumentException(
            what
                + ": "
                + outputs
                + " samples of shape "
                + output
                + " but "
                + targets
                + " has samples of shape "
                + target);
      }
      return;
    }
    int[] dims = output.dims();
    boolean divisible = dims.length > 0 && dims[dims.length - 1] % k == 0;
    if (divisible) {
      dims[dims.length - 1] /= k;
      if (Shape.of(dims).equals(target)) {
        return;
      }
    }
    throw new IllegalArgumentException(
        what
            + ": the "
            + loss.name()
            + " loss scores "
            + k
            + " predictions per target value (adjacent along the last axis), so the model's"
            + " output must be the targets' shape with the last axis "
            + k
            + " times longer; "
            + outputs
            + " samples of shape "
            + output
            + " but "
            + targets
            + " has samples of shape "
            + target
            + (divisible
                ? " (expected " + Shape.of(dims) + ")"
                : " (give the output layer " + k + " units per target value)"));
  }
}
