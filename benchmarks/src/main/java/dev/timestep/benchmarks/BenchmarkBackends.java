package dev.timestep.benchmarks;

import dev.timestep.backend.Backend;
import dev.timestep.backend.Backends;

/**
 * Resolves the {@code backend} parameter of a benchmark, failing with a message a user can act on.
 */
final class BenchmarkBackends {
  private BenchmarkBackends() {}

  /**
   * The backend named by a JMH {@code -p backend=...} value.
   *
   * @throws IllegalStateException when that backend cannot run on this machine (e.g. cuda without a
   *     GPU or without CUDA kernels in the build), naming the reason
   */
  static Backend resolve(String name, String benchmark) {
    try {
      return Backends.named(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(benchmark + ": " + e.getMessage(), e);
    } catch (RuntimeException | LinkageError e) {
      throw new IllegalStateException(
          benchmark
              + ": backend '"
              + name
              + "' is not available on this machine, "
              + "so this parameter combination cannot run ("
              + e.getMessage()
              + "); choose another with "
              + "-p backend=...",
          e);
    }
  }
}
