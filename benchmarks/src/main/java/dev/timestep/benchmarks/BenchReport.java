package dev.timestep.benchmarks;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.io.AtomicFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures the FMA floor, runs the chapter-model and scaling benchmarks through JMH and,
 * with {@code --peer}, the PyTorch peer, then writes {@code benchmarks/results/<date>-<host>.md}
 * with two PNG charts beside it.
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
    System.out.printf(Locale.ROOT, "FMA floor: %.1f GFLOP/s on 1 thread, %.1f on %d%n", fma1, fmaAll, cores);

    List<BenchResult> results = suite.run(o.include(), Map.of("backend", o.backends(), "threads", o.threads()));
    List<BenchResult> scaling = new ArrayList<>();
    if (o.scaling()) {
      for (ScalingSweep sweep : ScalingSweep.all()) {
        scaling.addAll(suite.run(sweep.include(), Map.of(sweep.param(),
            sweep.values().stream().map(String::valueOf).toList())));
      }
    }
    PeerTimings peer = null;
    String peerNote = "not run (add --peer)";
    if (o.peer()) {
      if (PeerRunner.torchAvailable()) {
        peer = new PeerRunner(o.peerDir(), o.quick() ? 0.2 : 1.0).run();
        peerNote = String.join("; ", peer.versions()) + "; `torch.set_num_threads(1)`; median of >= 20 calls";
      } else {
        peerNote = "not run: " + PeerRunner.PYTHON + " with torch is not installed here";
      }
    }
    String date = LocalDate.now().toString();
    String host = hostName();
    ReportData data = new ReportData(date, host, cpuModel(), cores, System.getProperty("java.vm.name") + " "
        + System.getProperty("java.version"), commit(), "BenchReport " + argLine,
        String.format(Locale.ROOT, "%d fork, %d warm-up and %d measured iterations of %d ms", suite.forks(),
            suite.warmups(), suite.iterations(), suite.iterationMillis()) + (o.quick() ? " (--quick: NOT a measurement)"
            : ""), fma1, fmaAll, cores, results, scaling, peer, peerNote);
    String base = date + "-" + host;
    Files.createDirectories(o.out());
    ReportCharts.write(ReportCharts.models(data), o.out().resolve(base + ".png"));
    String scalingChart = null;
    if (!scaling.isEmpty()) {
      scalingChart = base + "-scaling.png";
      ReportCharts.write(ReportCharts.scaling(scaling), o.out().resolve(scalingChart));
    }
    Path md = o.out().resolve(base + ".md");
    byte[] text = ReportMarkdown.render(data, base + ".png", scalingChart).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(md, out -> out.write(text));
    return md;
  }

  /** The short host name, safe in a file name. */
  static String hostName() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      name = System.getenv().getOrDefault("HOSTNAME", "unknown");
    }
    String shortName = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    String safe = shortName.replaceAll("[^A-Za-z0-9_-]", "-");
    return safe.isEmpty() ? "unknown" : safe;
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through to the JVM's description
    }
    return System.getProperty("os.arch");
  }

  static String commit() {
    try {
      String head = command("git", "rev-parse", "--short", "HEAD");
      String dirty = command("git", "status", "--porcelain", "--untracked-files=no");
      return head.isEmpty() ? "unknown" : head + (dirty.isEmpty() ? "" : " (dirty)");
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String command(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
  }
}
