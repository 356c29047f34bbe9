package dev.timestep.benchmarks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One answer of {@code peer/sweep_torch.py}: {@code point lstm 64 50 32 us 1234.5 runs 7}, or
 * {@code error lstm 64 50 32: why}.
 *
 * @param spec the point as the peer printed it ({@code lstm 64 50 32})
 * @param us the median µs of one training step, NaN for an error
 * @param runs timed calls, 0 for an error
 * @param error the peer's message, or null
 */
record SweepPeerLine(String spec, double us, int runs, String error) {
  private static final Pattern POINT =
      Pattern.compile(
          "^point ([a-z]+ \\d+ \\d+ \\d+) us ([0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?\\d+)?) runs (\\d+)$");
  private static final Pattern ERROR = Pattern.compile("^error ([^:]*): (.*)$");

  /** The answer on {@code line}, or null when the line is not one (the header, a warning). */
  static SweepPeerLine parse(String line) {
    String s = line.strip();
    Matcher m = POINT.matcher(s);
    if (m.matches()) {
      return new SweepPeerLine(
          m.group(1), Double.parseDouble(m.group(2)), Integer.parseInt(m.group(3)), null);
    }
    m = ERROR.matcher(s);
    if (m.matches()) {
      return new SweepPeerLine(m.group(1).strip(), Double.NaN, 0, m.group(2));
    }
    return null;
  }

  boolean failed() {
    return error != null;
  }
}
