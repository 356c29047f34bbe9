package dev.timestep.benchmarks;

import java.util.Map;
import java.util.TreeMap;

/**
 * One JMH result as the report needs it.
 *
 * @param benchmark the class and method, without the package: {@code
 *     ChapterModelBenchmark.trainStep}
 * @param params the JMH parameters of this run ({@code backend=cpu}, {@code row=12}, ...)
 * @param medianUs the median over the measured iterations, in microseconds per call
 * @param errorUs JMH's 99.9% confidence half-width, in microseconds (NaN with fewer than 2
 *     iterations)
 */
public record BenchResult(
    String benchmark, Map<String, String> params, double medianUs, double errorUs) {
  public BenchResult {
    if (benchmark == null || benchmark.isBlank()) {
      throw new IllegalArgumentException(
          "benchmark must name a class and method, got '" + benchmark + "'");
    }
    if (!(medianUs >= 0)) {
      throw new IllegalArgumentException(
          benchmark + ": medianUs must be a time >= 0, got " + medianUs);
    }
    params = Map.copyOf(params);
  }

  /** The method name: the part after the last dot. */
  public String method() {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  /** The class name: the part before the last dot. */
  public String benchmarkClass() {
    int dot = benchmark.lastIndexOf('.');
    return dot < 0 ? benchmark : benchmark.substring(0, dot);
  }

  /** A parameter's value, or {@code fallback} when this benchmark has no such parameter. */
  public String param(String name, String fallback) {
    return params.getOrDefault(name, fallback);
  }

  /** The parameters as {@code a=1 b=2}, sorted by name. */
  public String paramText() {
    StringBuilder s = new StringBuilder();
    new TreeMap<>(params)
        .forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return s.toString();
  }
}
