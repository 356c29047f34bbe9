package dev.timestep.spark.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The benchmark's command line: {@code bench --series N --master M --json FILE [--model NAME]
 * [--train-series S] [--partitions P]}.
 *
 * @param series windows scored
 * @param master Spark's master URL (local[K] for a local run)
 * @param json where the results are written
 * @param model the chapter model scored and trained
 * @param trainSeries series trained one model each (a sample)
 * @param partitions partitions of the scored windows; 0 for Spark's default parallelism
 */
record BenchArgs(
    int series, String master, Path json, String model, int trainSeries, int partitions) {
  static final String USAGE =
      "usage: bench --series N --master local[K] --json FILE [--model linear] [--train-series 16]"
          + " [--partitions P]";

  /**
   * @throws IllegalArgumentException naming a missing or bad option, with the usage
   */
  static BenchArgs parse(List<String> args) {
    if (args.isEmpty() || !args.get(0).equals("bench")) {
      throw new IllegalArgumentException("expected the command 'bench'; " + USAGE);
    }
    Integer series = null;
    String master = null;
    Path json = null;
    String model = "linear";
    int train = 16;
    int partitions = 0;
    for (int i = 1; i < args.size(); i += 2) {
      String name = args.get(i);
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException("option " + name + " needs a value; " + USAGE);
      }
      String v = args.get(i + 1);
      switch (name) {
        case "--series" -> series = positive(name, v);
        case "--master" -> master = v;
        case "--json" -> json = Path.of(v);
        case "--model" -> model = v;
        case "--train-series" -> train = positive(name, v);
        case "--partitions" -> partitions = positive(name, v);
        default -> throw new IllegalArgumentException("unknown option " + name + "; " + USAGE);
      }
    }
    if (series == null || master == null || json == null) {
      throw new IllegalArgumentException("--series, --master and --json are required; " + USAGE);
    }
    return new BenchArgs(series, master, json, model, train, partitions);
  }

  private static int positive(String name, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below says what was expected
    }
    throw new IllegalArgumentException(name + " must be a whole number of at least 1, got " + v);
  }
}
