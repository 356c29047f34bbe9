package dev.timestep.benchmarks;

import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The CPU speed round-2 report in one command: the shape sweep against PyTorch (alternating, one
 * thread each), the chapter LSTM epoch with validation against PyTorch, every chapter model's
 * training step and the chapter LSTM's single-series inference (JMH, one thread) beside the chapter
 * peers, WaveNet 16k-step inference and the large LSTM (one thread), and the whole chapter ({@code
 * reproduce}) with its peak RSS, run with the JVM's defaults and again with a heap bounded from the
 * live set the first run measured; then {@code <date>-cpu-round2.md} and {@code
 * <date>-cpu-round2-sweep.png}, every target of the round marked met or not.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.timestep.benchmarks.Round2Report           # ~10 min
 * java -cp benchmarks/target/benchmarks.jar dev.timestep.benchmarks.Round2Report --quick   # smoke
 * </pre>
 */
public final class Round2Report {
  private static final String CHAPTER_JMH =
      "ChapterModelBenchmark\\.trainStep|ConvBenchmark\\.waveNetInfer16k|LargeLstmBenchmark";

  /** Waits for another JMH run's lock, at most. */
  static final int LOCK_WAITS = 20;

  /** Seconds of each wait. */
  static final int LOCK_WAIT_SECONDS = 30;

  private Round2Report() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true"); // the chart renders into an image
    Round2Options options;
    try {
      options = Round2Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(
          e.getMessage().startsWith("usage") ? e.getMessage() : "error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path report = run(options, String.join(" ", args));
    System.out.println("wrote " + report);
  }

  static Path run(Round2Options o, String argLine) throws Exception {
    long start = System.nanoTime();
    String loadBefore = loadAverage();
    List<String> notes = new ArrayList<>();
    CpuBackend.setThreads(1);
    Backend cpu = BenchmarkBackends.resolve("cpu", "Round2Report");
    double fma1 = CpuBackend.fmaPeakGflops(o.quick() ? 0.2 : 1.0, 1);
    System.out.printf(Locale.ROOT, "FMA peak: %.1f GFLOP/s on 1 thread%n", fma1);
    boolean torch = PeerRunner.torchAvailable();
    if (!torch) {
      notes.add("PyTorch did not run: " + PeerRunner.PYTHON + " with torch is not installed here");
    }

    SweepTiming timing = o.quick() ? SweepTiming.quick() : SweepTiming.standard();
    List<ShapePoint> points = o.quick() ? ShapeSweep.quickPoints() : ShapeSweep.points();
    warmUp(cpu, o.quick() ? 0.3 : 2.0);
    long sweepStart = System.nanoTime();
    int sweepRounds = ShapeSweepRun.rounds(o.quick());
    List<SweepResult> sweep;
    String peerVersion = "not run";
    if (torch) {
      try (SweepPeer peer = SweepPeer.start(PeerRunner.PYTHON.toString(), o.peerDir(), timing)) {
        peerVersion = peer.version() + "; `torch.set_num_threads(1)`";
        sweep = ShapeSweepRun.run(points, cpu, peer, timing, fma1, sweepRounds);
      }
    } else {
      sweep = ShapeSweepRun.run(points, cpu, null, timing, fma1, sweepRounds);
    }

    notes.add(
        String.format(
            Locale.ROOT,
            "The sweep's %d points took %.1f minutes in %d rounds, both sides together.",
            points.size(),
            (System.nanoTime() - sweepStart) / 6e10,
            sweepRounds));

    int epochs = o.quick() ? 1 : 3;
    double epochUs = ChapterEpoch.timestepUs(cpu, epochs);
    System.out.println("chapter LSTM epoch: Timestep " + ReportFormat.micros(epochUs));
    double epochPeerUs = Double.NaN;
    if (torch) {
      try {
        epochPeerUs =
            ChapterEpoch.parsePeer(
                python(
                    o.peerDir(),
                    ChapterEpoch.PEER_SCRIPT,
                    "--threads",
                    "1",
                    "--epochs",
                    Integer.toString(epochs)));
      } catch (IOException | IllegalStateException e) {
        notes.add("The epoch peer failed: " + e.getMessage());
      }
    }

    JmhSuite suite = o.quick() ? JmhSuite.quick() : JmhSuite.standard();
    List<String> one = List.of("1");
    List<String> cpuOnly = List.of("cpu");
    List<BenchResult> jmh = new ArrayList<>();
    Map<String, List<String>> chapterParams =
        o.quick()
            ? Map.of("backend", cpuOnly, "threads", one, "row", List.of("12"))
            : Map.of("backend", cpuOnly, "threads", one);
    jmh.addAll(jmh(suite, CHAPTER_JMH, chapterParams, notes));
    jmh.addAll(
        jmh(
            suite,
            "ChapterModelBenchmark\\.inferOne",
            Map.of("backend", cpuOnly, "threads", one, "row", List.of("12")),
            notes));
    PeerTimings peer = null;
    if (torch) {
      try {
        peer = new PeerRunner(o.peerDir(), o.quick() ? 0.2 : 1.0).run();
      } catch (IOException | IllegalStateException e) {
        notes.add("The chapter peers failed: " + e.getMessage());
      }
    }

    List<String> reproduceArgs =
        o.quick() ? List.of("--rows", "2,12", "--epochs", "1") : List.<String>of();
    ReproduceRun reproduce = null;
    try {
      reproduce = ReproduceRun.run(o.cliJar(), List.of(), reproduceArgs, false);
    } catch (IllegalArgumentException | IllegalStateException e) {
      notes.add("`reproduce` did not run: " + e.getMessage());
    }
    if (reproduce != null) {
      reproduce = withBoundedHeap(o, reproduce, reproduceArgs, notes);
    }
    notes.add(
        String.format(
            Locale.ROOT,
            "The whole command took %.1f minutes.",
            (System.nanoTime() - start) / 6e10));

    Round2Data data =
        new Round2Data(
            LocalDate.now().toString(),
            Machine.hostName(),
            Machine.cpuModel(),
            Runtime.getRuntime().availableProcessors(),
            Machine.java(),
            Machine.commit(),
            "Round2Report " + argLine,
            o.quick(),
            loadBefore,
            loadAverage(),
            fma1,
            Provenance.settings(suite, o.quick()),
            peerVersion,
            sweep,
            epochUs,
            epochPeerUs,
            jmh,
            peer,
            reproduce,
            notes);
    String base = data.date() + "-cpu-round2";
    Files.createDirectories(o.out());
    String chart = base + "-sweep.png";
    Round2Chart.write(
        Round2Chart.sweep(sweep, "Shape sweep, 1 thread each (" + data.host() + ")"),
        o.out().resolve(chart));
    return ReportFormat.writeMarkdown(o.out(), base + ".md", Round2Markdown.render(data, chart));
  }

  /**
   * {@code defaults} with the same command run again under a heap bounded from its live set: with
   * its defaults the JVM starts with a heap of 1/64 of the machine's memory and G1 fills it before
   * collecting, so the default run's peak measures that policy more than the chapter's data.
   */
  private static ReproduceRun withBoundedHeap(
      Round2Options o, ReproduceRun defaults, List<String> args, List<String> notes)
      throws IOException, InterruptedException {
    if (Double.isNaN(defaults.liveSetMb())) {
      notes.add("The bounded-heap `reproduce` did not run: the default run logged no collection.");
      return defaults;
    }
    String bound = "-Xmx" + ReproduceRun.heapBoundMib(defaults.liveSetMb()) + "m";
    try {
      return defaults.withBounded(ReproduceRun.run(o.cliJar(), List.of(bound), args, true));
    } catch (IllegalStateException e) {
      notes.add("The bounded-heap `reproduce` (" + bound + ") did not run: " + e.getMessage());
      return defaults;
    }
  }

  /** Runs the sweep's centre LSTM for {@code seconds}, so the first points meet compiled code. */
  private static void warmUp(Backend cpu, double seconds) {
    ShapePoint centre =
        new ShapePoint(
            ShapeCell.LSTM, "centre", ShapeSweep.UNITS, ShapeSweep.STEPS, ShapeSweep.BATCH);
    try (SweepModel model = new SweepModel(centre, cpu)) {
      long end = System.nanoTime() + (long) (seconds * 1e9);
      do {
        model.trainStep();
      } while (System.nanoTime() < end);
    }
  }

  /**
   * Runs JMH; while another JMH run on this machine holds its lock, waits for it (up to {@link
   * #LOCK_WAITS} times {@link #LOCK_WAIT_SECONDS} s) rather than losing the sweep measured so far.
   * A failure that outlasts the waits becomes a note, and the report is written without those
   * results (their targets then read "not measured").
   */
  private static List<BenchResult> jmh(
      JmhSuite suite, String include, Map<String, List<String>> params, List<String> notes)
      throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        return suite.run(include, params);
      } catch (RunnerException e) {
        boolean locked = String.valueOf(e.getMessage()).contains("JMH lock");
        if (!locked || attempt >= LOCK_WAITS) {
          notes.add("JMH did not run `" + include + "`: " + e.getMessage());
          return List.of();
        }
        System.out.println(
            "another JMH run holds its lock; waiting " + LOCK_WAIT_SECONDS + " s and trying again");
        Thread.sleep(LOCK_WAIT_SECONDS * 1000L);
      }
    }
  }

  /** {@code /proc/loadavg}'s first three fields, or "unknown". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unknown";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String python(Path peerDir, String script, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(PeerRunner.PYTHON.toString(), peerDir.resolve(script).toString()));
    command.addAll(List.of(args));
    System.out.println("peer: " + String.join(" ", command));
    Process p = SweepPeer.oneThread(new ProcessBuilder(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(script + " failed: " + out.strip());
    }
    System.out.print(out);
    return out;
  }
}
