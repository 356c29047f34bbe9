package dev.timestep.reproduce;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
import dev.timestep.models.ChapterModels;
import dev.timestep.nn.BatchNormalization;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Layer;
import dev.timestep.nn.LayerNormSimpleRNN;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The rows of the chapter's table that this version can run, by number. */
public final class ChapterRows {
  private ChapterRows() {}

  /** Every available row, in table order. */
  public static List<ChapterRow> all() {
    Map<Integer, ChapterRow> rows = new TreeMap<>();
    ModelRow five =
        new ModelRow(
            5,
            Task.ONE_STEP,
            "SimpleRNN(20, rs) -> SimpleRNN(20) -> Dense(1)",
            1e-3,
            0.0026,
            0.00258,
            0.00268,
            () ->
                new Sequential(
                    new SimpleRNN(20).returnSequences(true), new SimpleRNN(20), new Dense(1)));
    for (ChapterRow r :
        List.of(
            new NaiveRow(1, 1, 0.0202, 0.0202, 0.0202),
            new LinearRow(2, 1, 0.0042, 0.00415, 0.00417),
            new ModelRow(
                3,
                Task.ONE_STEP,
                "SimpleRNN(1), Adam lr 0.005",
                0.005,
                0.0109,
                0.01085,
                0.01089,
                () -> new Sequential(new SimpleRNN(1))),
            new ModelRow(
                4,
                Task.ONE_STEP,
                "SimpleRNN(20, rs) x2 -> SimpleRNN(1)",
                1e-3,
                0.0029,
                0.00289,
                0.00293,
                () ->
                    new Sequential(
                        new SimpleRNN(20).returnSequences(true),
                        new SimpleRNN(20).returnSequences(true),
                        new SimpleRNN(1))),
            five,
            new IterativeRow(6, five, 0.0275, 0.0273, 0.0285),
            new NaiveRow(7, 10, 0.257, 0.223, 0.257),
            new LinearRow(8, 10, 0.0187, 0.0187, 0.0188),
            new ModelRow(
                9,
                Task.TEN_STEPS_VECTOR,
                "SimpleRNN(20, rs) -> SimpleRNN(20) -> Dense(10)",
                1e-3,
                0.0085,
                0.0081,
                0.0085,
                () ->
                    new Sequential(
                        new SimpleRNN(20).returnSequences(true), new SimpleRNN(20), new Dense(10))),
            new ModelRow(
                10,
                Task.TEN_STEPS_SEQUENCE,
                "SimpleRNN(20, rs) x2 -> TD(Dense(10)), lr 0.01",
                0.01,
                0.0096,
                0.0078,
                0.0096,
                () ->
                    sequenceModel(
                        new SimpleRNN(20).returnSequences(true),
                        new SimpleRNN(20).returnSequences(true))),
            new ModelRow(
                11,
                Task.TEN_STEPS_SEQUENCE,
                "LN-SimpleRNN(20, rs) x2 -> TD(Dense(10))",
                1e-3,
                0.0121,
                0.0121,
                0.0149,
                () ->
                    sequenceModel(
                        new LayerNormSimpleRNN(20).returnSequences(true),
                        new LayerNormSimpleRNN(20).returnSequences(true))),
            new ModelRow(
                12,
                Task.TEN_STEPS_SEQUENCE,
                "LSTM(20, rs) x2 -> TD(Dense(10))",
                1e-3,
                0.0086,
                0.00852,
                0.00856,
                () ->
                    sequenceModel(
                        new LSTM(20).returnSequences(true), new LSTM(20).returnSequences(true))),
            new ModelRow(
                13,
                Task.TEN_STEPS_SEQUENCE,
                "GRU(20, rs) x2 -> TD(Dense(10))",
                1e-3,
                0.0103,
                0.0103,
                0.0111,
                () ->
                    sequenceModel(
                        new GRU(20).returnSequences(true), new GRU(20).returnSequences(true))),
            new ModelRow(
                14,
                Task.TEN_STEPS_SEQUENCE_FROM_3_EVERY_2,
                "Conv1D(20, 4, s2, valid) -> GRU(20, rs) x2 -> TD",
                1e-3,
                0.0080,
                0.0067,
                0.0081,
                () ->
                    new Sequential(
                        new Conv1D(20, 4).strides(2).padding(ConvPadding.VALID),
                        new GRU(20).returnSequences(true),
                        new GRU(20).returnSequences(true),
                        new TimeDistributed(new Dense(10)))),
            new ModelRow(
                15,
                Task.TEN_STEPS_SEQUENCE,
                "WaveNet: Conv1D(20, 2, causal, d=1-8) x2 -> Conv1D(10, 1)",
                1e-3,
                0.0072,
                0.0072,
                0.0095,
                ChapterRows::waveNet),
            // Not in the chapter's table but in its text: batch normalization between the recurrent
            // layers helps little (the book: 0.0164, worse than without it).
            new ModelRow(
                ChapterModels.BATCH_NORM_ROW,
                Task.TEN_STEPS_SEQUENCE,
                "extra: SimpleRNN(20, rs) + BN x2 -> TD(Dense(10))",
                1e-3,
                0.0164,
                0.0164,
                0.0164,
                () ->
                    new Sequential(
                        new SimpleRNN(20).returnSequences(true),
                        new BatchNormalization(),
                        new SimpleRNN(20).returnSequences(true),
                        new BatchNormalization(),
                        new TimeDistributed(new Dense(10)))))) {
      rows.put(r.number(), r);
    }
    return new ArrayList<>(rows.values());
  }

  /**
   * The chapter's WaveNet: causal dilated Conv1D(20, 2, relu) with rates 1, 2, 4, 8 twice, then
   * Conv1D(10, 1).
   */
  private static Sequential waveNet() {
    Sequential m = new Sequential();
    for (int repeat = 0; repeat < 2; repeat++) {
      for (int rate : new int[] {1, 2, 4, 8}) {
        m.add(
            new Conv1D(20, 2)
                .padding(ConvPadding.CAUSAL)
                .activation(Activation.RELU)
                .dilationRate(rate));
      }
    }
    return m.add(new Conv1D(10, 1));
  }

  /** Two recurrent layers then TimeDistributed(Dense(10)): the seq-to-seq models. */
  private static Sequential sequenceModel(Layer first, Layer second) {
    return new Sequential(first, second, new TimeDistributed(new Dense(10)));
  }

  /**
   * The rows with these numbers, in table order.
   *
   * @throws IllegalArgumentException for a number outside 1..15 or a row not available yet
   */
  public static List<ChapterRow> select(List<Integer> numbers) {
    if (numbers == null || numbers.isEmpty()) {
      return all();
    }
    Map<Integer, ChapterRow> byNumber = new TreeMap<>();
    for (ChapterRow r : all()) {
      byNumber.put(r.number(), r);
    }
    List<ChapterRow> out = new ArrayList<>();
    for (int n : new java.util.TreeSet<>(numbers)) {
      ChapterRow r = byNumber.get(n);
      if (r == null) {
        String why =
            "there is no row "
                + n
                + " in the chapter's table (rows are 1 to 15, and 16 for the extra "
                + "batch-normalization model)";
        throw new IllegalArgumentException(why + "; available rows: " + byNumber.keySet());
      }
      out.add(r);
    }
    return out;
  }
}
