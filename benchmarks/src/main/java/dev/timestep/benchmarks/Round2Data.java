package dev.timestep.benchmarks;

import java.util.List;

/**
 * Everything the round-2 report shows.
 *
 * @param date the day, {@code yyyy-MM-dd}
 * @param host the machine's short name
 * @param cpu the CPU model
 * @param cores logical CPUs
 * @param java the JVM's name and version
 * @param commit the source commit, with "(dirty)" when the tree was
 * @param command the command line that made the report
 * @param quick whether this was a {@code --quick} smoke run (not a measurement)
 * @param loadBefore {@code /proc/loadavg}'s three load averages before the run
 * @param loadAfter the same after the run
 * @param fmaGflops1 the measured one-thread FMA peak, GFLOP/s
 * @param jmhSettings the JMH settings of the chapter-model benchmarks, in words
 * @param peerVersion the torch line the sweep peer printed, or why the peer did not run
 * @param sweep the shape sweep's points
 * @param epochUs Timestep's chapter LSTM epoch with validation, 1 thread, µs (NaN: not run)
 * @param epochPeerUs PyTorch's, 1 thread, µs (NaN: not run)
 * @param jmh the JMH results (chapter models, WaveNet 16k inference, large LSTM; 1 thread)
 * @param peer the chapter peers' medians (recurrent_torch, conv_torch, large_lstm_torch), or null
 * @param reproduce the whole chapter run, or null when it did not run
 * @param notes lines about what did not run and why
 */
record Round2Data(
    String date,
    String host,
    String cpu,
    int cores,
    String java,
    String commit,
    String command,
    boolean quick,
    String loadBefore,
    String loadAfter,
    double fmaGflops1,
    String jmhSettings,
    String peerVersion,
    List<SweepResult> sweep,
    double epochUs,
    double epochPeerUs,
    List<BenchResult> jmh,
    PeerTimings peer,
    ReproduceRun reproduce,
    List<String> notes) {
  Round2Data {
    if (!(fmaGflops1 > 0)) {
      throw new IllegalArgumentException("the FMA rate must be positive, got " + fmaGflops1);
    }
    sweep = List.copyOf(sweep);
    jmh = List.copyOf(jmh);
    notes = List.copyOf(notes);
  }

  /** The same results as the CPU report's data, so its chapter-model tables can render them. */
  ReportData asReportData() {
    Provenance run = new Provenance(date, java, commit, command, jmhSettings, peerVersion);
    return new ReportData(run, host, cpu, cores, fmaGflops1, fmaGflops1, 1, jmh, List.of(), peer);
  }
}
