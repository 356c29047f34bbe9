package dev.timestep.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The command line of {@link BenchReport}.
 *
 * @param quick short iterations, to check the report's shape (not a measurement)
 * @param include regular expression of the JMH benchmarks to run
 * @param backends values of the benchmarks' {@code backend} parameter
 * @param threads values of the benchmarks' {@code threads} parameter (native CPU threads, 0 = every
 *     core)
 * @param peer whether to run the PyTorch peer scripts
 * @param scaling whether to run the scaling sweeps
 * @param out folder of the report
 * @param peerDir folder of the peer scripts
 */
record ReportOptions(
    boolean quick,
    String include,
    List<String> backends,
    List<String> threads,
    boolean peer,
    boolean scaling,
    Path out,
    Path peerDir) {
  static final String DEFAULT_INCLUDE =
      "ChapterModelBenchmark|ConvBenchmark\\.waveNetInfer16k|LargeLstmBenchmark";
  static final String USAGE =
      String.join(
          "\n",
          "usage: java -cp benchmarks/target/benchmarks.jar dev.timestep.benchmarks.BenchReport [options]",
          "  --quick            1 warm-up + 1 measured iteration of 200 ms (checks the report; not a measurement)",
          "  --include REGEX    JMH benchmarks to run (default " + DEFAULT_INCLUDE + ")",
          "  --backend LIST     backends, comma-separated: reference, cpu, cuda (default cpu)",
          "  --threads LIST     CPU kernel threads, comma-separated, 0 = every core (default 1,0: one thread,",
          "                     beside the one-thread PyTorch peer, and every core)",
          "  --peer             also run the PyTorch peer scripts (needs /usr/bin/python3 with torch)",
          "  --no-scaling       skip the ScalingBenchmark sweeps (batch, length, hidden size)",
          "  --out DIR          folder of <date>-<host>.md and its charts (default benchmarks/results)",
          "  --peer-dir DIR     folder of the peer scripts (default benchmarks/peer)");

  /**
   * Parses the arguments.
   *
   * @throws IllegalArgumentException for an unknown option, a missing value or a bad regex
   */
  static ReportOptions parse(String... args) {
    boolean quick = false;
    boolean peer = false;
    boolean scaling = true;
    String include = DEFAULT_INCLUDE;
    List<String> backends = List.of("cpu");
    List<String> threads = List.of("1", "0");
    Path out = Path.of("benchmarks", "results");
    Path peerDir = Path.of("benchmarks", "peer");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--peer" -> peer = true;
        case "--no-scaling" -> scaling = false;
        case "--include" -> include = value(args, ++i, "--include");
        case "--backend" -> backends = List.of(value(args, ++i, "--backend").split(","));
        case "--threads" -> threads = List.of(value(args, ++i, "--threads").split(","));
        case "--out" -> out = Path.of(value(args, ++i, "--out"));
        case "--peer-dir" -> peerDir = Path.of(value(args, ++i, "--peer-dir"));
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'\n" + USAGE);
      }
    }
    try {
      Pattern.compile(include);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "--include must be a regular expression, got '" + include + "': " + e.getDescription(),
          e);
    }
    for (String b : backends) {
      if (!List.of("reference", "cpu", "cuda").contains(b)) {
        throw new IllegalArgumentException(
            "--backend takes reference, cpu or cuda, comma-separated, got '" + b + "'");
      }
    }
    for (String t : threads) {
      if (!t.matches("\\d{1,3}")) {
        throw new IllegalArgumentException(
            "--threads takes thread counts (0 = every core), comma-separated, got '" + t + "'");
      }
    }
    return new ReportOptions(quick, include, backends, threads, peer, scaling, out, peerDir);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args[i];
  }
}
