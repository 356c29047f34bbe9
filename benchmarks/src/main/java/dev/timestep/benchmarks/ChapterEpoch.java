package dev.timestep.benchmarks;

import dev.timestep.backend.Backend;
import dev.timestep.models.ChapterModel;
import dev.timestep.models.ChapterModels;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One epoch of the chapter's LSTM seq-to-seq (row 12) with validation, as a user runs it: {@code
 * fit} over 7000 series of 50 steps in batches of 32, then the validation loss over 2000 series.
 * The peer is {@code peer/chapter_epoch_torch.py}.
 */
final class ChapterEpoch {
  /** The chapter's training series. */
  static final int TRAIN = ChapterWorkload.TRAIN_SERIES;

  /** The chapter's validation series. */
  static final int VALID = 2000;

  /** The peer script. */
  static final String PEER_SCRIPT = "chapter_epoch_torch.py";

  private static final Pattern PEER_MEDIAN = Pattern.compile("(?m)^epoch us: ([0-9.]+)\\s*$");

  private ChapterEpoch() {}

  /**
   * The median µs of {@code epochs} one-epoch {@code fit} calls after one untimed epoch, on {@code
   * backend} (the caller sets its threads).
   */
  static double timestepUs(Backend backend, int epochs) {
    ChapterWorkload w = ChapterWorkload.row(12);
    ChapterModel model = ChapterModels.named(w.model());
    try (Sequential net = model.build(w.horizon()).backend(backend).seed(1)) {
      net.compile(Loss.mse(), new Adam());
      int steps = ChapterWorkload.STEPS;
      NDArray x = BenchmarkData.seeded(1, TRAIN, steps, 1);
      NDArray y = BenchmarkData.seeded(2, TRAIN, steps, w.horizon());
      NDArray xv = BenchmarkData.seeded(3, VALID, steps, 1);
      NDArray yv = BenchmarkData.seeded(4, VALID, steps, w.horizon());
      FitOptions options =
          FitOptions.defaults().epochs(1).batchSize(ChapterWorkload.BATCH).validation(xv, yv);
      net.fit(x, y, options);
      List<Double> times = new ArrayList<>();
      for (int i = 0; i < Math.max(1, epochs); i++) {
        long t0 = System.nanoTime();
        net.fit(x, y, options);
        times.add((System.nanoTime() - t0) / 1e3);
      }
      return SweepTiming.median(times);
    }
  }

  /** The median the peer printed ({@code epoch us: X}), or NaN when it printed none. */
  static double parsePeer(String output) {
    Matcher m = PEER_MEDIAN.matcher(output);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }
}
