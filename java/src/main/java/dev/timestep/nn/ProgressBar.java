package dev.timestep.nn;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Training progress in Keras' (2.x) format, a callback. {@link Style#BAR} redraws one line in place
 * while an epoch runs, then leaves its summary:
 *
 * <pre>
 * Epoch 2/10
 * 12/32 [==========&gt;...................] - ETA: 3s - loss: 0.1234
 * 32/32 [==============================] - 5s 156ms/step - loss: 0.1187 - val_loss: 0.1302
 * </pre>
 *
 * {@link Style#LINES} (for logs and pipes, Keras' verbose 2) prints only the summary, {@code 32/32
 * - 5s - loss: 0.1187 - val_loss: 0.1302 - 5s/epoch - 156ms/step}; {@link Style#SILENT} prints
 * nothing. The "Epoch i/n" line shows when fit runs more than one epoch. Values print as {@code
 * %.4f}, or {@code %.4e} when their magnitude is 0.001 or less.
 */
public final class ProgressBar extends Callback {
  /** How progress is shown. */
  public enum Style {
    /** A bar redrawn in place (needs a terminal), then one summary line per epoch. */
    BAR,
    /** One summary line per epoch. */
    LINES,
    /** Nothing. */
    SILENT
  }

  private static final int WIDTH = 30;

  /** A terminal redraws at most this often (the last batch of an epoch always draws). */
  private static final long REDRAW_NANOS = 50_000_000L;

  private final PrintWriter out;
  private final Style style;
  private final LongSupplier clock;
  private long epochStart;
  private long lastDraw;
  private int shownWidth;
  private int seen;

  /** Progress to {@code out} in {@code style}. */
  public ProgressBar(Writer out, Style style) {
    this(out, style, System::nanoTime);
  }

  /** Progress to {@code out} in {@code style}. */
  public ProgressBar(PrintStream out, Style style) {
    this(new PrintWriter(requireStream(out)), style, System::nanoTime);
  }

  ProgressBar(Writer out, Style style, LongSupplier clock) {
    if (out == null || style == null) {
      throw new IllegalArgumentException("ProgressBar needs an output and a style");
    }
    this.out = out instanceof PrintWriter p ? p : new PrintWriter(out);
    this.style = style;
    this.clock = clock;
  }

  /**
   * The progress of {@code fit}'s {@code verbose} level on standard output: 0 silent; 1 a bar when
   * standard output is a terminal ({@code System.console()} is present), else one line per epoch; 2
   * one line per epoch.
   *
   * @throws IllegalArgumentException unless 0, 1 or 2
   */
  public static ProgressBar forVerbose(int verbose) {
    Style style =
        switch (verbose) {
          case 0 -> Style.SILENT;
          case 1 -> System.console() != null ? Style.BAR : Style.LINES;
          case 2 -> Style.LINES;
          default ->
              throw new IllegalArgumentException("verbose must be 0, 1 or 2, got " + verbose);
        };
    return new ProgressBar(System.out, style);
  }

  /** The style this bar prints in. */
  public Style style() {
    return style;
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    epochStart = clock.getAsLong();
    lastDraw = Long.MIN_VALUE;
    shownWidth = 0;
    seen = 0;
    if (style != Style.SILENT && params().epochs() > 1) {
      out.printf(Locale.ROOT, "Epoch %d/%d%n", epoch + 1, params().epochs());
      out.flush();
    }
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    seen = batch + 1;
    if (style != Style.BAR) {
      return;
    }
    long now = clock.getAsLong();
    int steps = params().steps();
    if (seen < steps && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    double elapsed = (now - epochStart) / 1e9;
    double eta = elapsed / seen * (steps - seen);
    redraw(counter() + " " + bar() + " - ETA: " + eta(eta) + values(logs), false);
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (style == Style.SILENT) {
      return;
    }
    double elapsed = (clock.getAsLong() - epochStart) / 1e9;
    double perStep = seen == 0 ? 0 : elapsed / seen;
    if (style == Style.BAR) {
      redraw(
          counter()
              + " "
              + bar()
              + String.format(Locale.ROOT, " - %.0fs ", elapsed)
              + duration(perStep)
              + "/step"
              + values(logs),
          true);
    } else {
      out.println(
          counter()
              + String.format(Locale.ROOT, " - %.0fs", elapsed)
              + values(logs)
              + " - "
              + duration(elapsed)
              + "/epoch - "
              + duration(perStep)
              + "/step");
      out.flush();
    }
  }

  /** Draws over the line shown, padding with spaces where the new one is shorter. */
  private void redraw(String line, boolean last) {
    int pad = Math.max(0, shownWidth - line.length());
    out.print("\r" + line + " ".repeat(pad));
    shownWidth = line.length();
    if (last) {
      out.println();
    }
    out.flush();
  }

  private String counter() {
    int steps = params().steps();
    int digits = String.valueOf(steps).length();
    return String.format(Locale.ROOT, "%" + digits + "d/%d", seen, steps);
  }

  private String bar() {
    int steps = params().steps();
    int filled = (int) (WIDTH * (double) seen / steps);
    StringBuilder sb = new StringBuilder("[");
    if (filled > 0) {
      sb.append("=".repeat(filled - 1)).append(seen < steps ? '>' : '=');
    }
    return sb.append(".".repeat(WIDTH - filled)).append(']').toString();
  }

  private static String values(Map<String, Double> logs) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      double v = e.getValue();
      sb.append(" - ")
          .append(e.getKey())
          .append(": ")
          .append(String.format(Locale.ROOT, Math.abs(v) > 1e-3 ? "%.4f" : "%.4e", v));
    }
    return sb.toString();
  }

  /** Keras' ETA: seconds under a minute, then m:ss, then h:mm:ss. */
  static String eta(double seconds) {
    long s = (long) seconds;
    if (s > 3600) {
      return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }
    if (s > 60) {
      return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
    return s + "s";
  }

  /** A time per step or epoch: whole seconds, milliseconds or microseconds. */
  static String duration(double seconds) {
    if (seconds >= 1 || seconds == 0) {
      return String.format(Locale.ROOT, "%.0fs", seconds);
    }
    if (seconds >= 1e-3) {
      return String.format(Locale.ROOT, "%.0fms", seconds * 1e3);
    }
    return String.format(Locale.ROOT, "%.0fus", seconds * 1e6);
  }

  private static PrintStream requireStream(PrintStream out) {
    if (out == null) {
      throw new IllegalArgumentException("ProgressBar needs an output and a style");
    }
    return out;
  }
}
