package dev.timestep.nn;

import dev.timestep.tensor.Shape;

/**
 * Model inputs of a functional {@link Model}, Keras' {@code keras.Input(shape=...)}: the shape of
 * one sample, batch axis excluded, e.g. {@code Input.of(50, 1)} for series of 50 steps of one
 * feature.
 */
public final class Input {
  private Input() {}

  /**
   * A symbolic model input for samples of this shape.
   *
   * @throws IllegalArgumentException for no dimensions or a dimension below 1
   */
  public static Symbolic of(int... sampleShape) {
    if (sampleShape == null || sampleShape.length == 0) {
      throw new IllegalArgumentException(
          "Input.of needs the shape of one sample (batch axis excluded), e.g. Input.of(50, 1)");
    }
    for (int d : sampleShape) {
      if (d < 1) {
        throw new IllegalArgumentException(
            "Input.of: every dimension must be at least 1, got " + Shape.of(sampleShape));
      }
    }
    return Symbolic.input(Shape.of(sampleShape));
  }
}
