package dev.timestep.benchmarks;

import java.util.List;

/**
 * Everything the GPU speed table shows: where it was measured, Timestep's JMH results for the
 * chapter's rows 11-15 and the large LSTM, and the PyTorch peer's on the same device.
 *
 * @param run when and how it was measured (date, JVM, commit, command, JMH settings, peer)
 * @param device the card (or CPU, for a rehearsal on the cpu backend)
 * @param backend the Timestep backend measured: cuda, or cpu for a rehearsal
 * @param results JMH results of ChapterModelBenchmark and LargeLstmBenchmark
 * @param peer the PyTorch peer's medians, or null when it did not run
 */
record SpeedTableData(
    Provenance run, String device, String backend, List<BenchResult> results, PeerTimings peer) {
  /**
   * Rows of the chapter's table that the speed table times on the GPU: LN-RNN, LSTM, GRU, Conv-GRU,
   * WaveNet.
   */
  static final List<Integer> ROWS = List.of(11, 12, 13, 14, 15);

  /** A chapter model's training step must be at least this many times faster than PyTorch's. */
  static final double TRAIN_SPEEDUP_TARGET = 5.0;

  /** A single-series forecast, end to end (upload, layers, download), in at most this many µs. */
  static final double INFERENCE_TARGET_US = 30.0;

  /** The large LSTM's step may take at most this multiple of PyTorch + cuDNN's. */
  static final double LARGE_LSTM_RATIO_TARGET = 1.2;

  SpeedTableData {
    results = List.copyOf(results);
  }

  /** Median µs of LargeLstmBenchmark.trainStep, or NaN when it did not run. */
  double largeLstmUs() {
    return results.stream()
        .filter(r -> r.benchmark().equals(LargeLstmBenchmark.TRAIN_STEP))
        .mapToDouble(BenchResult::medianUs)
        .findFirst()
        .orElse(Double.NaN);
  }
}
