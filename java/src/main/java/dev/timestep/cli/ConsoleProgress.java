package dev.timestep.cli;

import dev.timestep.nn.Callback;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * A progress bar per epoch on stderr: redrawn in place while the epoch runs (when stderr is a
 * terminal), then one line per epoch with the loss, the validation loss and the time.
 */
final class ConsoleProgress extends Callback {
  private static final int WIDTH = 24;
  private final PrintWriter out;
  private final boolean interactive;
  private final String label;
  private int epoch;
  private long epochStart;

  ConsoleProgress(PrintStream out, boolean interactive, String label) {
    this(new PrintWriter(out, true), interactive, label);
  }

  ConsoleProgress(PrintWriter out, boolean interactive, String label) {
    this.out = out;
    this.interactive = interactive;
    this.label = label;
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    this.epoch = epoch;
    epochStart = System.nanoTime();
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    int batches = params().steps();
    if (!Double.isFinite(logs.get("loss"))) {
      return; // a diverged batch: fit throws next, and the error says where
    }
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
        logs.get("loss"));
    out.flush();
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> values) {
    int epochs = params().epochs();
    double seconds = (System.nanoTime() - epochStart) / 1e9;
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
