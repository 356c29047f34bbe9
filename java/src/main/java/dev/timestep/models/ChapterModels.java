package dev.timestep.models;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.nn.BatchNormalization;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.LayerNormSimpleRNN;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every trainable model of the chapter's table by a short name, built for any horizon: the
 * architectures of rows 2-5 and 8-16 with the output sized to the horizon (the book's models
 * forecast 1 or 10 steps). Row 6 is row 5 forecasting past its horizon, which any one-step model
 * does by feeding its predictions back; rows 1 and 7 are the naive baseline.
 *
 * <pre>{@code
 * try (Sequential m = ChapterModels.named("lstm").build(4)) { ... }   // forecasts 4 steps
 * }</pre>
 */
public final class ChapterModels {
  /** The extra row: the seq-to-seq SimpleRNN with batch normalization, from the chapter's text. */
  public static final int BATCH_NORM_ROW = 16;

  private static final Map<String, ChapterModel> BY_NAME = new LinkedHashMap<>();

  static {
    add(
        new ChapterModel(
            "linear",
            List.of(2, 8),
            "Flatten -> Dense(h)",
            WindowSpec.Layout.VECTOR,
            0,
            1,
            1e-3,
            h -> new Sequential(new Flatten(), new Dense(h))));
    add(
        new ChapterModel(
            "simple-rnn",
            List.of(3),
            "SimpleRNN(h), Adam lr 0.005",
            WindowSpec.Layout.VECTOR,
            0,
            1,
            0.005,
            h -> new Sequential(new SimpleRNN(h))));
    add(
        new ChapterModel(
            "stacked-rnn",
            List.of(4),
            "SimpleRNN(20, rs) x2 -> SimpleRNN(h)",
            WindowSpec.Layout.VECTOR,
            0,
            1,
            1e-3,
            h ->
                new Sequential(
                    new SimpleRNN(20).returnSequences(true),
                    new SimpleRNN(20).returnSequences(true),
                    new SimpleRNN(h))));
    add(
        new ChapterModel(
            "deep-rnn",
            List.of(5, 6, 9),
            "SimpleRNN(20, rs) -> SimpleRNN(20) -> Dense(h)",
            WindowSpec.Layout.VECTOR,
            0,
            1,
            1e-3,
            h ->
                new Sequential(
                    new SimpleRNN(20).returnSequences(true), new SimpleRNN(20), new Dense(h))));
    add(
        new ChapterModel(
            "seq-rnn",
            List.of(10),
            "SimpleRNN(20, rs) x2 -> TD(Dense(h)), Adam lr 0.01",
            WindowSpec.Layout.SEQUENCE,
            0,
            1,
            0.01,
            h ->
                new Sequential(
                    new SimpleRNN(20).returnSequences(true),
                    new SimpleRNN(20).returnSequences(true),
                    new TimeDistributed(new Dense(h)))));
    add(
        new ChapterModel(
            "ln-rnn",
            List.of(11),
            "LN-SimpleRNN(20, rs) x2 -> TD(Dense(h))",
            WindowSpec.Layout.SEQUENCE,
            0,
            1,
            1e-3,
            h ->
                new Sequential(
                    new LayerNormSimpleRNN(20).returnSequences(true),
                    new LayerNormSimpleRNN(20).returnSequences(true),
                    new TimeDistributed(new Dense(h)))));
    add(
        new ChapterModel(
            "lstm",
            List.of(12),
            "LSTM(20, rs) x2 -> TD(Dense(h))",
            WindowSpec.Layout.SEQUENCE,
            0,
            1,
            1e-3,
            h ->
                new Sequential(
                    new LSTM(20).returnSequences(true),
                    new LSTM(20).returnSequences(true),
                    new TimeDistributed(new Dense(h)))));
    add(
        new ChapterModel(
            "gru",
            List.of(13),
            "GRU(20, rs) x2 -> TD(Dense(h))",
            WindowSpec.Layout.SEQUENCE,
            0,
            1,
            1e-3,
            h ->
                new Sequential(
                    new GRU(20).returnSequences(true),
                    new GRU(20).returnSequences(true),
                    new TimeDistributed(new Dense(h)))));
    // Kernel 4, stride 2, valid: output step j sees inputs 2j..2j+3, so it forecasts from step 3 +
    // 2j.
    add(
        new ChapterModel(
            "conv-gru",
            List.of(14),
            "Conv1D(20, 4, s2, valid) -> GRU(20, rs) x2 -> TD",
            WindowSpec.Layout.SEQUENCE,
            3,
            2,
            1e-3,
            h ->
                new Sequential(
                    new Conv1D(20, 4).strides(2).padding(ConvPadding.VALID),
                    new GRU(20).returnSequences(true),
                    new GRU(20).returnSequences(true),
                    new TimeDistributed(new Dense(h)))));
    add(
        new ChapterModel(
            "wavenet",
            List.of(15),
            "Conv1D(20, 2, causal, d=1-8) x2 -> Conv1D(h, 1)",
            WindowSpec.Layout.SEQUENCE,
            0,
            1,
            1e-3,
            ChapterModels::waveNet));
    add(
        new ChapterModel(
            "bn-rnn",
            List.of(BATCH_NORM_ROW),
            "SimpleRNN(20, rs) + BN x2 -> TD(Dense(h))",
            WindowSpec.Layout.SEQUENCE,
            0,
            1,
            1e-3,
            h ->
                new Sequential(
                    new SimpleRNN(20).returnSequences(true),
                    new BatchNormalization(),
                    new SimpleRNN(20).returnSequences(true),
                    new BatchNormalization(),
                    new TimeDistributed(new Dense(h)))));
  }

  private ChapterModels() {}

  private static void add(ChapterModel m) {
    BY_NAME.put(m.name(), m);
  }

  /** Every model, in table order. */
  public static List<ChapterModel> all() {
    return new ArrayList<>(BY_NAME.values());
  }

  /** The short names, in table order. */
  public static List<String> names() {
    return new ArrayList<>(BY_NAME.keySet());
  }

  /**
   * The model called {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static ChapterModel named(String name) {
    ChapterModel m = name == null ? null : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
    if (m == null) {
      throw new IllegalArgumentException(
          "unknown model '" + name + "'; choose one of " + String.join(", ", names()));
    }
    return m;
  }

  /**
   * One line per model: name, chapter rows and architecture (under 72 characters), for help texts.
   */
  public static List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (ChapterModel m : BY_NAME.values()) {
      String rows = m.rows().toString().replace("[", "").replace("]", "");
      lines.add(String.format(Locale.ROOT, "%-11s %-7s %s", m.name(), rows, m.description()));
    }
    return lines;
  }

  /**
   * The chapter's WaveNet with {@code h} output channels: causal dilated Conv1D(20, 2) x8, then
   * Conv1D(h, 1).
   */
  private static Sequential waveNet(int h) {
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
    return m.add(new Conv1D(h, 1));
  }
}
