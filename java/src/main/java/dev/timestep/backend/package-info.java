/**
 * Where ops run: the {@link dev.timestep.backend.Backend} interface (checked once, in {@link
 * dev.timestep.backend.AbstractBackend}), the native seam every compiled backend shares ({@link
 * dev.timestep.backend.NativeBackend}), and how one backend is chosen ({@link
 * dev.timestep.backend.Backends}). May import {@code tensor}, and its own subpackages only to
 * construct them.
 */
package dev.timestep.backend;
