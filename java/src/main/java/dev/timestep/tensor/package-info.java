/**
 * Tensors and their memory: host arrays ({@link dev.timestep.tensor.NDArray}), shapes, backend
 * tensors with their {@link dev.timestep.tensor.Storage}, and the {@link dev.timestep.tensor.Scope}
 * that owns and frees them. The bottom of the library: it imports no other Timestep package, only
 * the JDK.
 */
package dev.timestep.tensor;
