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
 * @param weightBytes bytes of weights the call touches at a value (to relate step changes to
 *     caches)
 * @param shape what in the kernels shapes this curve (where time per FLOP changes, and why); the
 *     report prints it under the table
 */
public record ScalingSweep(
    String name,
    String method,
    String param,
    List<Integer> values,
    IntToDoubleFunction flops,
    IntToLongFunction weightBytes,
    String shape) {
  /** The parameters' values when they are not the one swept (the chapter's sizes). */
  static final Map<String, String> DEFAULTS =
      Map.of("batch", "32", "steps", "50", "hidden", "20", "length", "16000");

  private static final int LSTM_BATCH = 32;
  private static final int LSTM_STEPS = 50;
  private static final int LSTM_HIDDEN = 20;

  /** The four sweeps of the report: LSTM batch, length and hidden size, WaveNet length. */
  public static List<ScalingSweep> all() {
    return List.of(
        new ScalingSweep(
            "LSTM batch",
            "lstmTrainStep",
            "batch",
            List.of(1, 8, 32, 128, 512, 1024),
            b -> lstm(LSTM_STEPS, LSTM_HIDDEN).trainStepFlops(b),
            b -> 4 * lstm(LSTM_STEPS, LSTM_HIDDEN).parameters(),
            BATCH_SHAPE),
        new ScalingSweep(
            "LSTM length",
            "lstmTrainStep",
            "steps",
            List.of(50, 100, 200, 500, 1000),
            t -> lstm(t, LSTM_HIDDEN).trainStepFlops(LSTM_BATCH),
            t -> 4 * lstm(t, LSTM_HIDDEN).parameters(),
            LENGTH_SHAPE),
        new ScalingSweep(
            "LSTM hidden",
            "lstmTrainStep",
            "hidden",
            List.of(20, 64, 128, 256, 512),
            h -> lstm(LSTM_STEPS, h).trainStepFlops(LSTM_BATCH),
            h -> 4 * lstm(LSTM_STEPS, h).parameters(),
            HIDDEN_SHAPE),
        new ScalingSweep(
            "WaveNet length",
            "waveNetInfer",
            "length",
            List.of(50, 500, 2000, 8000, 16000),
            t -> ChapterWorkload.row(15).flops().apply(t).inferenceFlops(),
            t -> 4 * ChapterWorkload.row(15).flops().apply(t).parameters(),
            WAVENET_SHAPE));
  }

  // What the kernels do at each size (native/cpu/recurrent.cpp, matmul.cpp, conv1d_direct.cpp)
  // and the caches of the machine the report was written on (1 MB L2 per core, 32 MB L3).
  // Activation buffers of the LSTM step: per row, step and layer about 1.25 KB (x.W for every
  // step, the cell cache, the output and their gradients), 2.5 KB for the two layers.
  private static final String BATCH_SHAPE =
      "a recurrent layer splits the batch into at most 4 slices of at least "
          + "4 rows (a single slice when the call has under 4e5 FLOPs) and runs each slice's whole sequence on one "
          + "thread. Batch 1 is one slice on one thread, and each of its steps is a one-row product and a one-row cell "
          + "update: chains of dependent instructions, timed by their latency rather than by the FMA rate, hence the "
          + "highest time per FLOP. From batch 8 both cores work and the slices fill the products' 8-row tiles. The "
          + "step's activation buffers (about 2.5 KB per row and step for the two layers) fit the 32 MB L3 up to "
          + "batch 128 (16 MB) and not at 512 (64 MB): from there the steps stream from memory and time per FLOP "
          + "rises by about a third.";
  private static final String LENGTH_SHAPE =
      "work per step does not change with the length; the activation "
          + "buffers grow with it (32 rows x 2.5 KB per step: 16 MB at 200 steps, 40 MB at 500, past the 32 MB L3), "
          + "which puts the longer sequences 1.2-1.4x above 50 steps in time per FLOP. Which point first shows the "
          + "rise varies between runs by as much as the rise itself (the VM's second core, see the JMH settings).";
  private static final String HIDDEN_SHAPE =
      "at 20 units a step's products are short (20 multiply-adds per "
          + "output between loading and storing the accumulators) and the cell math (a sigmoid or tanh per gate, not "
          + "counted as FLOPs: a quarter of the step in a profile) weighs as much as they do; from 64 units the "
          + "products dominate and run near half the two cores' FMA peak, so the time per FLOP drops. At 512 units "
          + "the weights (12 MB) are far beyond the 1 MB L2 of each core and it rises again by about a fifth. From "
          + "256 units a layer's U (over 512 KB) is streamed from L3 by every batch slice at every step, so the batch "
          + "of 32 runs as 2 slices of 16 rows, one per core, rather than 4 of 8.";
  private static final String WAVENET_SHAPE =
      "a convolution hands out its output in chunks of 256 steps, one to "
          + "each free thread, once a call has at least 2e5 FLOPs. At 50 steps every layer is one chunk on one "
          + "thread; from 500 steps both cores work, and time then grows with the work. A step that comes and goes "
          + "between runs (2000 steps has measured 233 and 512 µs) is the VM's second core running slow for "
          + "seconds at a time, not the kernel.";

  /** The LSTM seq-to-seq model of {@link ScalingBenchmark.LstmWork}. */
  static ModelFlops lstm(int steps, int hidden) {
    return ModelFlops.input(steps, 1).lstm(hidden, true).lstm(hidden, true).dense(10);
  }

  /** The JMH include pattern of this sweep's method. */
  public String include() {
    return ScalingBenchmark.class.getSimpleName() + "\\." + method + "$";
  }
}
