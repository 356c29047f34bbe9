package dev.timestep.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntToLongFunction;

/**
 * One size swept in {@link ScalingBenchmark} with the others held at the chapter's values.
 *
 * @param name what grows, e.g. {@code "LSTM batch"}
 * @param method the benchmark method measured
 * @param param the JMH parameter swept
 * @param values its values, smallest first
 * @param flops FLOPs of one call at a value
 * @param weightBytes bytes of weights the call touches at a value (to relate step changes to caches)
 */
public record ScalingSweep(String name, String method, String param, List<Integer> values, IntToDoubleFunction flops,
    IntToLongFunction weightBytes) {
  /** The parameters' values when they are not the one swept (the chapter's sizes). */
  static final Map<String, String> DEFAULTS = Map.of("batch", "32", "steps", "50", "hidden", "20",
      "length", "16000");
  private static final int LSTM_BATCH = 32;
  private static final int LSTM_STEPS = 50;
  private static final int LSTM_HIDDEN = 20;

  /** The four sweeps of the report: LSTM batch, length and hidden size, WaveNet length. */
  public static List<ScalingSweep> all() {
    return List.of(
        new ScalingSweep("LSTM batch", "lstmTrainStep", "batch", List.of(1, 8, 32, 128, 512, 1024),
            b -> lstm(LSTM_STEPS, LSTM_HIDDEN).trainStepFlops(b), b -> 4 * lstm(LSTM_STEPS, LSTM_HIDDEN).parameters()),
        new ScalingSweep("LSTM length", "lstmTrainStep", "steps", List.of(50, 100, 200, 500, 1000),
            t -> lstm(t, LSTM_HIDDEN).trainStepFlops(LSTM_BATCH), t -> 4 * lstm(t, LSTM_HIDDEN).parameters()),
        new ScalingSweep("LSTM hidden", "lstmTrainStep", "hidden", List.of(20, 64, 128, 256, 512),
            h -> lstm(LSTM_STEPS, h).trainStepFlops(LSTM_BATCH), h -> 4 * lstm(LSTM_STEPS, h).parameters()),
        new ScalingSweep("WaveNet length", "waveNetInfer", "length", List.of(50, 500, 2000, 8000, 16000),
            t -> ChapterWorkload.row(15).flops().apply(t).inferenceFlops(),
            t -> 4 * ChapterWorkload.row(15).flops().apply(t).parameters()));
  }

  /** The LSTM seq-to-seq model of {@link ScalingBenchmark.LstmWork}. */
  static ModelFlops lstm(int steps, int hidden) {
    return ModelFlops.input(steps, 1).lstm(hidden, true).lstm(hidden, true).dense(10);
  }

  /** The JMH include pattern of this sweep's method. */
  public String include() {
    return ScalingBenchmark.class.getSimpleName() + "\\." + method + "$";
  }
}
