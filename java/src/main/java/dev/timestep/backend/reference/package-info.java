/**
 * The reference backend: plain Java in float32 or float64, the oracle every native kernel is tested
 * against. May import {@code backend} and {@code tensor}.
 */
package dev.timestep.backend.reference;
