package dev.timestep.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Where a report was measured: the host, the CPU model, the JVM and the source commit. */
final class Machine {
  private Machine() {}

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

  /** The JVM's name and version, as both reports print it. */
  static String java() {
    return System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
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
