package dev.timestep.benchmarks;

import java.nio.file.Path;

/**
 * The command line of {@link Round2Report}.
 *
 * @param quick a smoke run of every part (about a minute; not a measurement)
 * @param out folder of the report and its chart
 * @param peerDir folder of the PyTorch peer scripts
 * @param cliJar the library jar whose {@code reproduce} is timed
 */
record Round2Options(boolean quick, Path out, Path peerDir, Path cliJar) {
  /** Where a quick run writes unless told: never beside the committed reports. */
  static final Path QUICK_OUT =
      Path.of(System.getProperty("java.io.tmpdir"), "timestep-round2-quick");

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -cp benchmarks/target/benchmarks.jar dev.timestep.benchmarks.Round2Report [options]",
          "  --quick          smoke run: a few sweep points, capped timings, short JMH iterations,",
          "                   reproduce --rows 2,12 --epochs 1 (about a minute; NOT a measurement)",
          "  --out DIR        folder of <date>-cpu-round2.md and its chart (default benchmarks/results;",
          "                   with --quick " + QUICK_OUT + ")",
          "  --peer-dir DIR   folder of the PyTorch peer scripts (default benchmarks/peer)",
          "  --cli-jar FILE   the library jar whose reproduce is timed (default java/target/timestep.jar)");

  /**
   * Parses the arguments.
   *
   * @throws IllegalArgumentException for an unknown option or a missing value
   */
  static Round2Options parse(String... args) {
    boolean quick = false;
    Path out = null;
    Path peerDir = Path.of("benchmarks", "peer");
    Path cliJar = Path.of("java", "target", "timestep.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> out = Path.of(value(args, ++i, "--out"));
        case "--peer-dir" -> peerDir = Path.of(value(args, ++i, "--peer-dir"));
        case "--cli-jar" -> cliJar = Path.of(value(args, ++i, "--cli-jar"));
        case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'\n" + USAGE);
      }
    }
    if (out == null) {
      out = quick ? QUICK_OUT : Path.of("benchmarks", "results");
    }
    return new Round2Options(quick, out, peerDir, cliJar);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args[i];
  }
}
