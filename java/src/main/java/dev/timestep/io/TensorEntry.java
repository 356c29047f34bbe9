package dev.timestep.io;

import dev.timestep.tensor.Shape;

/**
 * One row of a model file's tensor table: a float32 tensor stored in the payload at byte {@code
 * offset} (from the payload's start), {@code length} bytes long (4 per value). {@code role} says
 * what it is: a trainable parameter, non-trainable layer state, or optimizer state (each slot
 * aligned with the whole parameter arena, named by {@link OptimizerCodecs#tensorName}); within a
 * role, tensors are in the model's declaration order.
 */
record TensorEntry(String name, String role, Shape shape, long offset, long length) {
  static final String PARAMETER = "parameter";
  static final String STATE = "state";
  static final String OPTIMIZER = "optimizer";

  /** Values in the tensor. */
  int count() {
    return Math.toIntExact(shape.size());
  }
}
