package dev.timestep.cli;

import dev.timestep.nn.TrainingListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * A progress bar per epoch on stderr: redrawn in place while the epoch runs (when stderr is a
 * terminal), then one line per epoch with the loss, the validation loss and the time.
 */
final class ConsoleProgress implements TrainingListener {
  private static final int WIDTH = 24;
  private final PrintWriter out;
  private final boolean interactive;
  private final String label;

  ConsoleProgress(PrintStream out, boolean interactive, String label) {
    this(new PrintWriter(out, true), interactive, label);
  }

  ConsoleProgress(PrintWriter out, boolean interactive, String label) {
    this.out = out;
    this.interactive = interactive;
    this.label = label;
  }

  @Override
  public void onBatchEnd(int epoch, int batch, int batches, double meanLoss) {
    // Redraw about 20 times per epoch: enough to see motion, cheap on a slow terminal.
    if (!interactive || (batch % Math.max(1, batches / 20) != 0 && batch != batches - 1)) {
      return;
    }
    out.printf(
        Locale.ROOT,
        "\r%s epoch %d %s loss %.5f",
        label,
        epoch + 1,
        bar(batch + 1, batches),
        meanLoss);
    out.flush();
  }

  @Override
  public void onEpochEnd(int epoch, int epochs, Map<String, Double> values, double seconds) {
    StringBuilder sb = new StringBuilder();
    sb.append(interactive ? "\r" : "")
        .append(
            String.format(
                Locale.ROOT,
                "%s epoch %2d/%d %s",
                label,
                epoch + 1,
                epochs,
                bar(epoch + 1, epochs)));
    for (Map.Entry<String, Double> e : values.entrySet()) {
      sb.append(String.format(Locale.ROOT, " %s %.5f", e.getKey(), e.getValue()));
    }
    sb.append(String.format(Locale.ROOT, " %.2fs", seconds));
    out.println(sb);
    out.flush();
  }

  private static String bar(int done, int total) {
    int filled = (int) Math.round(WIDTH * (double) done / Math.max(1, total));
    return "[" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "]";
  }
}
