/**
 * The backend conformance suite, like ggml's {@code test-backend-ops}: {@link
 * dev.timestep.backend.conformance.OpCheck} runs every {@link dev.timestep.backend.Backend} op on a
 * candidate and on the float32 reference with the same seeded inputs, judged by the one tolerance
 * table ({@link dev.timestep.backend.conformance.Tolerance}) that the JUnit native-vs-reference
 * tests use too. May import {@code backend}, {@code backend.reference} and {@code tensor}; nothing
 * above the backends.
 */
package dev.timestep.backend.conformance;
