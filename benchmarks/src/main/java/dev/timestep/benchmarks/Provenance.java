package dev.timestep.benchmarks;

import java.time.LocalDate;
import java.util.Locale;

/**
 * How and when a report was measured, the part the CPU report and the GPU speed table share:
 * printed as the lines under each report's title.
 *
 * @param date the day, {@code yyyy-MM-dd}
 * @param java the JVM's name and version
 * @param commit the source commit (and "dirty" when the tree was), or "unknown"
 * @param command the command line that made the report
 * @param settings the JMH settings in words
 * @param peerNote the torch versions the PyTorch peer printed, or why it did not run, and any
 *     script that failed
 */
record Provenance(
    String date, String java, String commit, String command, String settings, String peerNote) {

  /** A run measured today on this JVM with {@code suite}'s settings. */
  static Provenance today(
      String commit, String command, JmhSuite suite, boolean quick, String peerNote) {
    return new Provenance(
        LocalDate.now().toString(),
        Machine.java(),
        commit,
        command,
        settings(suite, quick),
        peerNote);
  }

  /** The JMH settings in words, as the reports print them. */
  static String settings(JmhSuite suite, boolean quick) {
    return String.format(
            Locale.ROOT,
            "%d fork, %d warm-up and %d measured iterations of %d ms",
            suite.forks(),
            suite.warmups(),
            suite.iterations(),
            suite.iterationMillis())
        + (quick ? " (--quick: NOT a measurement)" : "");
  }

  /**
   * The lines under a report's title: JVM and commit, the command, the JMH settings, the peer; then
   * a blank line.
   */
  void appendTo(StringBuilder s) {
    s.append("- Java: ").append(java).append("; commit ").append(commit).append('\n');
    s.append("- Command: `").append(command).append("`\n");
    s.append("- JMH: ")
        .append(settings)
        .append("; every time is the median of the measured iterations\n");
    s.append("- PyTorch peer: ").append(peerNote).append("\n\n");
  }
}
