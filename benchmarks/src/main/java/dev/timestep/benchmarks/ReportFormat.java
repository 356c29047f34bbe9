package dev.timestep.benchmarks;

import dev.timestep.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the two reports share besides their {@link Provenance}: the CPU report ({@link
 * ReportMarkdown}) and the GPU speed table ({@link SpeedTableMarkdown}) print times, ratios and
 * verdicts the same way, and are written the same way.
 */
final class ReportFormat {
  private ReportFormat() {}

  /**
   * Writes a report's Markdown atomically as {@code dir/fileName}, creating the folder; returns the
   * file.
   */
  static Path writeMarkdown(Path dir, String fileName, String markdown) throws IOException {
    Files.createDirectories(dir);
    Path md = dir.resolve(fileName);
    byte[] text = markdown.getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(md, out -> out.write(text));
    return md;
  }

  /**
   * A time in µs with a unit that keeps it short: {@code 850 µs}, {@code 12.3 ms}, {@code 4.56 s};
   * "—" for NaN.
   */
  static String micros(double us) {
    if (Double.isNaN(us)) {
      return "—";
    }
    if (us < 10) {
      return String.format(Locale.ROOT, "%.3g µs", us);
    }
    if (us < 1000) {
      return String.format(Locale.ROOT, "%.0f µs", us);
    }
    if (us < 1e6) {
      return String.format(Locale.ROOT, "%.3g ms", us / 1e3);
    }
    return String.format(Locale.ROOT, "%.3g s", us / 1e6);
  }

  /** A ratio such as {@code 12.3x} or {@code 3,860x}; "—" when either side is missing. */
  static String ratio(double r) {
    if (Double.isNaN(r) || Double.isInfinite(r)) {
      return "—";
    }
    return r >= 100
        ? String.format(Locale.ROOT, "%,.0fx", r)
        : String.format(Locale.ROOT, "%.3gx", r);
  }

  /** "yes", "**no**", or "—" when a time is missing. */
  static String verdict(boolean met, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "—";
    }
    return met ? "yes" : "**no**";
  }

  /** A thread count as the tables print it: "all" for 0 (every core). */
  static String threads(int threads) {
    return threads == 0 ? "all" : Integer.toString(threads);
  }
}
