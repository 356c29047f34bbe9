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
 * The whole chapter as a user runs it: {@code java -jar timestep.jar reproduce} in a child process,
 * its wall time, the total it prints, and its peak resident memory (from {@code /usr/bin/time -v}
 * where that exists, else the child's {@code VmHWM} read from {@code /proc} until it exits).
 *
 * @param args the arguments after {@code reproduce}
 * @param wallSeconds the child's wall time, JVM start-up included
 * @param totalSeconds the time {@code reproduce} prints on its {@code total} line (training and
 *     evaluation of every row), NaN when it printed none
 * @param peakRssMb the child's peak resident set, MB (10^6 bytes), NaN when unknown
 * @param rssSource how the peak was read
 */
record ReproduceRun(
    List<String> args,
    double wallSeconds,
    double totalSeconds,
    double peakRssMb,
    String rssSource) {
  static final Path TIME = Path.of("/usr/bin/time");
  private static final long TIMEOUT_MINUTES = 20;
  private static final Pattern MAX_RSS =
      Pattern.compile("(?m)^\\s*Maximum resident set size \\(kbytes\\): (\\d+)\\s*$");
  private static final Pattern TOTAL = Pattern.compile("(?m)^total ([0-9.]+) s\\b");
  private static final Pattern VM_HWM = Pattern.compile("(?m)^VmHWM:\\s+(\\d+) kB\\s*$");

  /**
   * Runs {@code java -jar cliJar reproduce args} with this JVM's {@code java}.
   *
   * @throws IllegalArgumentException when {@code cliJar} does not exist
   * @throws IllegalStateException when the child fails or times out
   */
  static ReproduceRun run(Path cliJar, List<String> args) throws IOException, InterruptedException {
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
    command.addAll(List.of(java, "-jar", cliJar.toString(), "reproduce"));
    command.addAll(args);
    System.out.println("reproduce: " + String.join(" ", command));
    Path err = Files.createTempFile("ts-reproduce", ".err");
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
      return new ReproduceRun(List.copyOf(args), wall, total(out.toString()), rssMb, source);
    } finally {
      Files.deleteIfExists(err);
    }
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
