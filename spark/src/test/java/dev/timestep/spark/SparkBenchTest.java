package dev.timestep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.spark.bench.SparkBenchProbe;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkBenchTest {
  @Test
  void benchmarkScoresLikeOneProcessAndReportsItsThroughputs() throws Exception {
    Map<String, Object> out = SparkBenchProbe.run(LocalSpark.get(), 300, 2);
    assertEquals(0.0, (Double) out.get("max_abs_diff_vs_local"), 0);
    assertEquals(300, out.get("series"));
    assertEquals(2, out.get("train_series"));
    for (String key :
        List.of(
            "series_per_second",
            "local_series_per_second",
            "train_series_per_second",
            "overhead_seconds_per_partition")) {
      assertTrue((Double) out.get(key) > 0, key);
    }
  }

  @Test
  void badArgumentsAreNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkBenchProbe.parse("bench", "--series", "0", "--master", "local[1]"));
    assertTrue(e.getMessage().startsWith("--series must be a whole number of at least 1, got 0"));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> SparkBenchProbe.parse("bench", "--series", "5"));
    assertTrue(e.getMessage().startsWith("--series, --master and --json are required"));
  }
}
