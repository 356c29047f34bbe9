package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The progress bar's output for a fit of 2 epochs of 4 batches, on a clock that moves one second
 * per reading (epoch start, each batch, epoch end), so every time printed is known.
 */
class ProgressBarTest {
  private static final SplittableRandom RANDOM = new SplittableRandom(5);
  private static final NDArray X = TestArrays.uniform(RANDOM, -1, 1, 16, 3, 1);
  private static final NDArray Y = TestArrays.uniform(RANDOM, -1, 1, 16, 1);

  /** Keeps each batch's running loss, for the expected text. */
  private static final class BatchLosses extends Callback {
    final List<Double> losses = new ArrayList<>();

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
      losses.add(logs.get("loss"));
    }
  }

  private record Run(String text, List<Double> batchLosses, History history) {}

  private static Run run(ProgressBar.Style style, FitOptions options) {
    StringWriter out = new StringWriter();
    long[] now = {0};
    ProgressBar bar = new ProgressBar(out, style, () -> now[0] += 1_000_000_000L);
    BatchLosses losses = new BatchLosses();
    try (Sequential m =
        new Sequential(new SimpleRNN(2), new Dense(1))
            .backend(ReferenceBackend.float32())
            .seed(3)) {
      m.compile(Loss.mse(), new Adam(0.01));
      History h = m.fit(X, Y, options.batchSize(4).shuffle(false).callbacks(losses, bar));
      return new Run(out.toString(), losses.losses, h);
    }
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  @Test
  void aTerminalBarIsRedrawnInPlaceThenSummarized() {
    Run r = run(ProgressBar.Style.BAR, FitOptions.defaults().epochs(2));
    String[] bars = {
      "[======>.......................]",
      "[==============>...............]",
      "[=====================>........]",
      "[==============================]"
    };
    StringBuilder expected = new StringBuilder();
    for (int e = 0; e < 2; e++) {
      expected.append("Epoch ").append(e + 1).append("/2\n");
      for (int b = 0; b < 4; b++) {
        expected
            .append('\r')
            .append(b + 1)
            .append("/4 ")
            .append(bars[b])
            .append(" - ETA: ")
            .append(3 - b)
            .append("s - loss: ")
            .append(f(r.batchLosses().get(4 * e + b)));
      }
      expected
          .append("\r4/4 ")
          .append(bars[3])
          .append(" - 5s 1s/step - loss: ")
          .append(f(r.history().get("loss")[e]))
          .append('\n');
    }
    assertEquals(expected.toString(), r.text());
  }

  @Test
  void linesModePrintsOneSummaryPerEpoch() {
    Run r = run(ProgressBar.Style.LINES, FitOptions.defaults().epochs(2).validation(X, Y));
    StringBuilder expected = new StringBuilder();
    for (int e = 0; e < 2; e++) {
      expected
          .append("Epoch ")
          .append(e + 1)
          .append("/2\n4/4 - 1s - loss: ")
          .append(f(r.history().get("loss")[e]))
          .append(" - val_loss: ")
          .append(f(r.history().get("val_loss")[e]))
          .append(" - 1s/epoch - 250ms/step\n");
    }
    assertEquals(expected.toString(), r.text());
  }

  @Test
  void oneEpochHasNoEpochHeaderAndSilentPrintsNothing() {
    assertEquals("", run(ProgressBar.Style.SILENT, FitOptions.defaults().epochs(2)).text());
    Run r = run(ProgressBar.Style.LINES, FitOptions.defaults().epochs(1));
    assertEquals(
        "4/4 - 1s - loss: " + f(r.history().last("loss")) + " - 1s/epoch - 250ms/step\n", r.text());
  }

  @Test
  void timesAndSmallValuesFormatAsKerasDoes() {
    assertEquals("45s", ProgressBar.eta(45.7));
    assertEquals("1:05", ProgressBar.eta(65));
    assertEquals("1:01:01", ProgressBar.eta(3661));
    assertEquals("3s", ProgressBar.duration(3.2));
    assertEquals("31ms", ProgressBar.duration(0.031));
    assertEquals("250us", ProgressBar.duration(0.00025));
  }

  @Test
  void verboseLevelsPickAStyle() {
    assertEquals(ProgressBar.Style.SILENT, ProgressBar.forVerbose(0).style());
    assertEquals(
        System.console() != null ? ProgressBar.Style.BAR : ProgressBar.Style.LINES,
        ProgressBar.forVerbose(1).style());
    assertEquals(ProgressBar.Style.LINES, ProgressBar.forVerbose(2).style());
    assertThrows(IllegalArgumentException.class, () -> ProgressBar.forVerbose(3));
  }
}
