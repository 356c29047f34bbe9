package dev.timestep.benchmarks;

import dev.timestep.backend.cpu.CpuBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the FMA floor, runs the chapter-model and scaling benchmarks through JMH and, with
 * {@code --peer}, the PyTorch peer, then writes {@code benchmarks/results/<date>-<host>.md} with
 * two PNG charts beside it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.timestep.benchmarks.BenchReport --peer
 * java -cp benchmarks/target/benchmarks.jar dev.timestep.benchmarks.BenchReport --quick --out /tmp/r
 * </pre>
 */
public final class BenchReport {
  private BenchReport() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true"); // charts render into images, never a window
    ReportOptions options;
    try {
      options = ReportOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path report = run(options, String.join(" ", args));
    System.out.println("wrote " + report);
  }

  /** Runs everything the options ask for and writes the report; returns the Markdown file. */
  static Path run(ReportOptions o, String argLine) throws Exception {
    JmhSuite suite = o.quick() ? JmhSuite.quick() : JmhSuite.standard();
    int cores = Runtime.getRuntime().availableProcessors();
    double seconds = o.quick() ? 0.2 : 1.0;
    double fma1 = CpuBackend.fmaPeakGflops(seconds, 1);
    double fmaAll = CpuBackend.fmaPeakGflops(seconds, cores);
    System.out.printf(
        Locale.ROOT, "FMA floor: %.1f GFLOP/s on 1 thread, %.1f on %d%n", fma1, fmaAll, cores);

    List<BenchResult> results =
        suite.run(o.include(), Map.of("backend", o.backends(), "threads", o.threads()));
    List<BenchResult> scaling = new ArrayList<>();
    if (o.scaling()) {
      for (ScalingSweep sweep : ScalingSweep.all()) {
        scaling.addAll(
            suite.run(
                sweep.include(),
                Map.of(sweep.param(), sweep.values().stream().map(String::valueOf).toList())));
      }
    }
    PeerTimings peer = null;
    String peerNote = "not run (add --peer)";
    if (o.peer()) {
      if (PeerRunner.torchAvailable()) {
        peer = new PeerRunner(o.peerDir(), o.quick() ? 0.2 : 1.0).run();
        peerNote =
            String.join("; ", peer.versions())
                + "; `torch.set_num_threads(1)`; median of >= 20 calls";
      } else {
        peerNote = "not run: " + PeerRunner.PYTHON + " with torch is not installed here";
      }
    }
    Provenance run =
        Provenance.today(Machine.commit(), "BenchReport " + argLine, suite, o.quick(), peerNote);
    String host = Machine.hostName();
    ReportData data =
        new ReportData(
            run, host, Machine.cpuModel(), cores, fma1, fmaAll, cores, results, scaling, peer);
    String base = run.date() + "-" + host;
    Files.createDirectories(o.out());
    ReportCharts.write(ReportCharts.models(data), o.out().resolve(base + ".png"));
    String scalingChart = null;
    if (!scaling.isEmpty()) {
      scalingChart = base + "-scaling.png";
      ReportCharts.write(ReportCharts.scaling(scaling), o.out().resolve(scalingChart));
    }
    return ReportFormat.writeMarkdown(
        o.out(), base + ".md", ReportMarkdown.render(data, base + ".png", scalingChart));
  }
}
