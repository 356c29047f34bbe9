package dev.timestep.backend;

import dev.timestep.tensor.Tensor;

/**
 * The weights of a fused recurrent op (or their gradients, same shapes): kernel [F, G·H], recurrent
 * kernel [H, G·H], bias [G·H], and {@code extra} as {@link RecurrentKind#extraSize} says (null when
 * that size is 0).
 */
public record RecurrentParams(Tensor kernel, Tensor recurrent, Tensor bias, Tensor extra) {}
