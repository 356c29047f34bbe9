package dev.timestep.spark.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Runs the benchmark's steps on a test's session (its package-private parts, for the tests). */
public final class SparkBenchProbe {
  private SparkBenchProbe() {}

  public static Map<String, Object> run(SparkSession spark, int series, int trainSeries)
      throws Exception {
    return SparkBench.run(
        spark, new BenchArgs(series, "local[2]", Path.of("unused.json"), "linear", trainSeries, 0));
  }

  public static void parse(String... args) {
    BenchArgs.parse(List.of(args));
  }
}
