package dev.timestep.benchmarks;

import java.nio.file.Path;

/**
 * The command line of {@link SpeedTable}.
 *
 * @param backend the Timestep backend to time: cuda, or cpu to rehearse the table without a GPU
 * @param quick short iterations, to check the table's shape (not a measurement)
 * @param peer whether to run the PyTorch peer scripts
 * @param python the interpreter that runs them (a path or a name on PATH)
 * @param out folder of the report
 * @param peerDir folder of the peer scripts
 * @param commit the source commit to print, or null to ask git
 */
record SpeedTableOptions(
    String backend,
    boolean quick,
    boolean peer,
    String python,
    Path out,
    Path peerDir,
    String commit) {
  static final String USAGE =
      String.join(
          "\n",
          "usage: java -cp timestep.jar:benchmarks.jar dev.timestep.benchmarks.SpeedTable [options]",
          "  --backend NAME     cuda (default) or cpu (a rehearsal of the table without a GPU)",
          "  --quick            1 warm-up + 1 measured iteration of 200 ms (checks the table; not a measurement)",
          "  --no-peer          skip the PyTorch peer scripts",
          "  --python CMD       interpreter with torch for the peers (default python3)",
          "  --out DIR          folder of <date>-<device>-<backend>.md (default benchmarks/results)",
          "  --peer-dir DIR     folder of the peer scripts (default benchmarks/peer)",
          "  --commit TEXT      the source commit to print (default: asked of git, else unknown)");

  /**
   * Parses the arguments.
   *
   * @throws IllegalArgumentException for an unknown option, a missing value or an unknown backend
   */
  static SpeedTableOptions parse(String... args) {
    String backend = "cuda";
    boolean quick = false;
    boolean peer = true;
    String python = "python3";
    Path out = Path.of("benchmarks", "results");
    Path peerDir = Path.of("benchmarks", "peer");
    String commit = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--no-peer" -> peer = false;
        case "--backend" -> backend = value(args, ++i, "--backend");
        case "--python" -> python = value(args, ++i, "--python");
        case "--out" -> out = Path.of(value(args, ++i, "--out"));
        case "--peer-dir" -> peerDir = Path.of(value(args, ++i, "--peer-dir"));
        case "--commit" -> commit = value(args, ++i, "--commit");
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'\n" + USAGE);
      }
    }
    if (!backend.equals("cuda") && !backend.equals("cpu")) {
      throw new IllegalArgumentException("--backend takes cuda or cpu, got '" + backend + "'");
    }
    return new SpeedTableOptions(backend, quick, peer, python, out, peerDir, commit);
  }

  /** The torch device of the peers: the same kind of processor as the backend. */
  String peerDevice() {
    return backend.equals("cuda") ? "cuda" : "cpu";
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args[i];
  }
}
