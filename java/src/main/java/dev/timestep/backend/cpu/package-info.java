/**
 * The native CPU backend: native memory, the block cache, and the one JavaCPP binding of the C ABI
 * ({@code native/include/timestep/ops.h}) that every native backend calls through. May import
 * {@code backend}, {@code tensor} and JavaCPP.
 */
package dev.timestep.backend.cpu;
