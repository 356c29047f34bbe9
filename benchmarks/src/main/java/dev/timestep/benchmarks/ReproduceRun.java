package dev.timestep.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole chapter as a user runs it: {@code java [flags] -jar timestep.jar reproduce} in a child
 * process, its wall time, the total it prints, its peak resident memory (from {@code /usr/bin/time
 * -v} where that exists, else the child's {@code VmHWM} read from {@code /proc} until it exits),
 * and what the memory was made of: the child logs its collections to a file (the live set and the
 * heap come from there) and, when asked, tracks the JVM's own memory (Native Memory Tracking,
 * printed at exit). Neither changes how the JVM sizes its heap.
 *
 * @param jvmFlags the JVM flags before {@code -jar}, empty for the JVM's defaults
 * @param args the arguments after {@code reproduce}
 * @param wallSeconds the child's wall time, JVM start-up included
 * @param totalSeconds the time {@code reproduce} prints on its {@code total} line (training and
 *     evaluation of every row), NaN when it printed none
 * @param peakRssMb the child's peak resident set, MB (10^6 bytes), NaN when unknown
 * @param rssSource how the peak was read
 * @param liveSetMb the largest heap left after a collection, MB: at least the live data, NaN when
 *     the child logged no collection
 * @param heapMb the largest heap the JVM held (committed), MB, NaN when unknown
 * @param jvmOverheadMb the JVM's own memory outside the heap (GC structures, compiled code, class
 *     data, threads) as Native Memory Tracking counts it at exit, MB, NaN when not tracked
 * @param bounded the same command with a heap bounded from this run's live set, or null
 */
record ReproduceRun(
    List<String> jvmFlags,
    List<String> args,
    double wallSeconds,
    double totalSeconds,
    double peakRssMb,
    String rssSource,
    double liveSetMb,
    double heapMb,
    double jvmOverheadMb,
    ReproduceRun bounded) {
  static final Path TIME = Path.of("/usr/bin/time");
  private static final long TIMEOUT_MINUTES = 20;
  private static final Pattern MAX_RSS =
      Pattern.compile("(?m)^\\s*Maximum resident set size \\(kbytes\\): (\\d+)\\s*$");
  private static final Pattern TOTAL = Pattern.compile("(?m)^total ([0-9.]+) s\\b");
  private static final Pattern VM_HWM = Pattern.compile("(?m)^VmHWM:\\s+(\\d+) kB\\s*$");
  // "GC(5) Pause Young (Normal) (G1 Evacuation Pause) 280M->36M(388M) 2.464ms"
  private static final Pattern GC_PAUSE =
      Pattern.compile("Pause .*?(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
  // Native Memory Tracking at exit: "Total: reserved=1601885542, committed=203924838"
  private static final Pattern NMT_TOTAL =
      Pattern.compile("(?m)^Total: reserved=\\d+[KMG]?B?, committed=(\\d+)([KMG]?)B?");
  private static final Pattern NMT_HEAP =
      Pattern.compile("(?m)^-\\s+Java Heap \\(reserved=\\d+[KMG]?B?, committed=(\\d+)([KMG]?)B?");
  private static final List<String> TRACK_NATIVE =
      List.of(
          "-XX:NativeMemoryTracking=summary",
          "-XX:+UnlockDiagnosticVMOptions",
          "-XX:+PrintNMTStatistics");

  /** The bounded run's heap: twice the live set, rounded up to 16 MiB. */
  static final double HEAP_PER_LIVE = 2;

  ReproduceRun {
    jvmFlags = List.copyOf(jvmFlags);
    args = List.copyOf(args);
  }

  /**
   * Runs {@code java jvmFlags -jar cliJar reproduce args} with this JVM's {@code java}; with {@code
   * trackNative} the JVM also counts its own memory (Native Memory Tracking).
   *
   * @throws IllegalArgumentException when {@code cliJar} does not exist
   * @throws IllegalStateException when the child fails or times out
   */
  static ReproduceRun run(
      Path cliJar, List<String> jvmFlags, List<String> args, boolean trackNative)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(cliJar)) {
      throw new IllegalArgumentException(
          "--cli-jar must be the library's timestep.jar (build it with mvn -B -q -DskipTests"
              + " package), got "
              + cliJar);
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    boolean timed = Files.isExecutable(TIME);
    if (timed) {
      command.addAll(List.of(TIME.toString(), "-v"));
    }
    Path err = Files.createTempFile("ts-reproduce", ".err");
    Path gcLog = Files.createTempFile("ts-reproduce", ".gc.log");
    command.add(java);
    command.addAll(jvmFlags);
    command.add("-Xlog:gc:file=" + gcLog);
    if (trackNative) {
      command.addAll(TRACK_NATIVE);
    }
    command.addAll(List.of("-jar", cliJar.toString(), "reproduce"));
    command.addAll(args);
    System.out.println("reproduce: " + String.join(" ", command));
    try {
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.to(err.toFile()))
              .start();
      // read stdout on another thread, so that the VmHWM poll below is not blocked by it
      StringBuilder out = new StringBuilder();
      Thread reader =
          new Thread(
              () -> {
                try {
                  out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  out.append("(stdout lost: ").append(e.getMessage()).append(')');
                }
              });
      reader.start();
      long hwmKb = 0;
      long deadline = t0 + TimeUnit.MINUTES.toNanos(TIMEOUT_MINUTES);
      while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
        if (!timed) {
          hwmKb = Math.max(hwmKb, vmHwmKb(p.pid()).orElse(0));
        }
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException(
              "reproduce did not finish within " + TIMEOUT_MINUTES + " minutes");
        }
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      reader.join();
      String stderr = Files.readString(err);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "reproduce failed with exit status " + p.exitValue() + ": " + (out + stderr).strip());
      }
      System.out.print(out);
      double rssMb;
      String source;
      if (timed) {
        OptionalLong kb = maxRssKb(stderr);
        rssMb = kb.isPresent() ? kb.getAsLong() * 1024 / 1e6 : Double.NaN;
        source = "/usr/bin/time -v";
      } else {
        rssMb = hwmKb > 0 ? hwmKb * 1024 / 1e6 : Double.NaN;
        source = "VmHWM polled every 50 ms";
      }
      double[] heap = heapAfterGcMb(Files.readString(gcLog));
      return new ReproduceRun(
          jvmFlags,
          args,
          wall,
          total(out.toString()),
          rssMb,
          source,
          heap[0],
          heap[1],
          trackNative ? jvmOverheadMb(out.toString()) : Double.NaN,
          null);
    } finally {
      Files.deleteIfExists(err);
      Files.deleteIfExists(gcLog);
    }
  }

  /** This run with {@code other}, the run with a bounded heap. */
  ReproduceRun withBounded(ReproduceRun other) {
    return new ReproduceRun(
        jvmFlags,
        args,
        wallSeconds,
        totalSeconds,
        peakRssMb,
        rssSource,
        liveSetMb,
        heapMb,
        jvmOverheadMb,
        other);
  }

  /**
   * The heap bound, MiB, for a live set of {@code liveSetMb} MB: {@link #HEAP_PER_LIVE} times it,
   * rounded up to 16 MiB.
   *
   * @throws IllegalArgumentException when the live set is not a positive number
   */
  static int heapBoundMib(double liveSetMb) {
    if (!(liveSetMb > 0) || Double.isInfinite(liveSetMb)) {
      throw new IllegalArgumentException(
          "the heap bound needs a measured live set, got " + liveSetMb + " MB");
    }
    double mib = HEAP_PER_LIVE * liveSetMb * 1e6 / (1 << 20);
    return (int) Math.ceil(mib / 16) * 16;
  }

  /**
   * The peak RSS less the heap and the JVM's own memory: native tensors, malloc's arenas and the
   * shared libraries, MB; NaN when either part is unknown.
   */
  double restMb() {
    return peakRssMb - heapMb - jvmOverheadMb;
  }

  /** The JVM flags as a user types them, or "JVM defaults". */
  String flagsText() {
    return jvmFlags.isEmpty() ? "JVM defaults" : String.join(" ", jvmFlags);
  }

  /**
   * The largest heap after a collection and the largest committed heap in a {@code -Xlog:gc} log,
   * MB (10^6 bytes); NaN for both when it holds no collection.
   */
  static double[] heapAfterGcMb(String gcLog) {
    double after = Double.NaN;
    double committed = Double.NaN;
    Matcher m = GC_PAUSE.matcher(gcLog);
    while (m.find()) {
      double a = mb(m.group(3), m.group(4));
      double c = mb(m.group(5), m.group(6));
      after = Double.isNaN(after) ? a : Math.max(after, a);
      committed = Double.isNaN(committed) ? c : Math.max(committed, c);
    }
    return new double[] {after, committed};
  }

  /**
   * Native Memory Tracking's committed total less the Java heap, MB, from the statistics the JVM
   * prints at exit; NaN when they are missing.
   */
  static double jvmOverheadMb(String output) {
    Matcher total = NMT_TOTAL.matcher(output);
    Matcher heap = NMT_HEAP.matcher(output);
    if (!total.find() || !heap.find()) {
      return Double.NaN;
    }
    return mb(total.group(1), total.group(2)) - mb(heap.group(1), heap.group(2));
  }

  /** A count in bytes (no unit) or K, M or G (binary), as MB (10^6 bytes). */
  private static double mb(String count, String unit) {
    long bytes =
        switch (unit) {
          case "K" -> 1L << 10;
          case "M" -> 1L << 20;
          case "G" -> 1L << 30;
          default -> 1L;
        };
    return Long.parseLong(count) * (double) bytes / 1e6;
  }

  /**
   * The command as a user types it after {@code java -jar timestep.jar}: {@code reproduce --rows
   * 2}.
   */
  String commandLine() {
    return args.isEmpty() ? "reproduce" : "reproduce " + String.join(" ", args);
  }

  /** The kilobytes of {@code /usr/bin/time -v}'s "Maximum resident set size" line. */
  static OptionalLong maxRssKb(String timeOutput) {
    Matcher m = MAX_RSS.matcher(timeOutput);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /** The seconds of reproduce's {@code total 19.8 s on ...} line, or NaN. */
  static double total(String reproduceOutput) {
    Matcher m = TOTAL.matcher(reproduceOutput);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private static OptionalLong vmHwmKb(long pid) {
    try {
      Matcher m = VM_HWM.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty(); // gone already, or not Linux
    }
  }
}
