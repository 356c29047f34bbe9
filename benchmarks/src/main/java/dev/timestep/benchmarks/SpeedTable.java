package dev.timestep.benchmarks;

import dev.timestep.backend.cuda.CudaProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The GPU speed table in one run: Timestep's training step and single-series inference for the
 * chapter's LN-RNN, LSTM, GRU, Conv-GRU and WaveNet (rows 11-15), and the large LSTM (256 in, 256
 * units, batch 64, 100 steps), beside PyTorch on the same device (cuDNN on a GPU), each target
 * marked met or not. Writes {@code <date>-<device>-<backend>.md} and prints it.
 *
 * <pre>
 * java -cp timestep.jar:benchmarks.jar dev.timestep.benchmarks.SpeedTable --out DIR          # on the GPU host
 * java -cp benchmarks/target/benchmarks.jar dev.timestep.benchmarks.SpeedTable --backend cpu # rehearsal here
 * </pre>
 */
public final class SpeedTable {
  private SpeedTable() {}

  /**
   * JMH settings of the table: 1 fork, 3 warm-up and 5 measured half-second iterations, so the
   * eleven benchmarks fit in about a minute and a half of a time-limited GPU session.
   */
  static final JmhSuite SETTINGS = new JmhSuite(1, 3, 5, 500);

  public static void main(String[] args) throws Exception {
    SpeedTableOptions options;
    try {
      options = SpeedTableOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    String device = deviceOf(options.backend());
    if (device == null) {
      System.exit(1);
      return;
    }
    Path table = run(options, device, String.join(" ", args));
    System.out.println(Files.readString(table, StandardCharsets.UTF_8));
    System.out.println("wrote " + table);
  }

  /**
   * The card (cuda) or CPU model (cpu); null, with the reason on stderr, when cuda cannot run here.
   */
  static String deviceOf(String backend) {
    if (!backend.equals("cuda")) {
      return Machine.cpuModel();
    }
    CudaProbe.Result probe = CudaProbe.probe();
    if (!probe.usable()) {
      System.err.println(
          "error: the cuda backend cannot run here: "
              + probe.reason()
              + " (use --backend cpu to rehearse the table on the CPU)");
      return null;
    }
    return probe.deviceName();
  }

  /** Times everything, runs the peers and writes the table; returns the Markdown file. */
  static Path run(SpeedTableOptions o, String device, String argLine) throws Exception {
    JmhSuite suite = o.quick() ? JmhSuite.quick() : SETTINGS;
    List<String> rows = SpeedTableData.ROWS.stream().map(String::valueOf).toList();
    List<BenchResult> results =
        new ArrayList<>(
            suite.run(
                "\\.ChapterModelBenchmark\\.",
                Map.of("backend", List.of(o.backend()), "threads", List.of("0"), "row", rows)));
    results.addAll(
        suite.run(
            "\\.LargeLstmBenchmark\\.",
            Map.of("backend", List.of(o.backend()), "threads", List.of("0"))));

    PeerTimings peer = null;
    String peerNote = "not run (--no-peer)";
    if (o.peer()) {
      if (PeerRunner.torchAvailable(o.python())) {
        List<String> failures = new ArrayList<>();
        peer =
            new PeerRunner(o.peerDir(), o.quick() ? 0.2 : 1.0, o.python())
                .runSpeedTable(o.peerDevice(), failures);
        peerNote =
            String.join("; ", peer.versions())
                + "; float32 (TF32 off); median of >= 10 calls"
                + (o.peerDevice().equals("cpu") ? "; `torch.set_num_threads(1)`" : "")
                + (failures.isEmpty() ? "" : "; FAILED: " + String.join(" | ", failures));
      } else {
        peerNote = "not run: '" + o.python() + "' does not start or cannot import torch";
      }
    }
    String commit = o.commit() != null ? o.commit() : Machine.commit();
    Provenance run = Provenance.today(commit, "SpeedTable " + argLine, suite, o.quick(), peerNote);
    SpeedTableData data = new SpeedTableData(run, device, o.backend(), results, peer);
    return ReportFormat.writeMarkdown(
        o.out(),
        run.date() + "-" + fileSafe(device) + "-" + o.backend() + ".md",
        SpeedTableMarkdown.render(data));
  }

  /** A device name as part of a file name: "NVIDIA H200" -> "NVIDIA-H200". */
  static String fileSafe(String device) {
    String safe = device.trim().replaceAll("[^A-Za-z0-9_]+", "-").replaceAll("^-+|-+$", "");
    return safe.isEmpty() ? "unknown" : safe;
  }
}
