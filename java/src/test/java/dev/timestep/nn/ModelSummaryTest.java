package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * summary() as Keras prints it, for models of the chapter. Every count is worked out by hand in the
 * comments (Keras' formulas: SimpleRNN h·(f + h + 1), GRU 3h·(f + h + 2) with reset_after, Dense
 * (in + 1)·units, Conv1D k·in·filters + filters, BatchNormalization 4 per feature of which 2 are
 * moving statistics), and each size is 4 bytes per parameter in Keras' units (1 KB = 1024 B).
 */
class ModelSummaryTest {

  /**
   * The chapter's deep RNN on [50, 1]: 20·(1 + 20 + 1) = 440, 20·(20 + 20 + 1) = 820, 20 + 1 = 21;
   * 1,281 in all, 5,124 B = 5.00 KB.
   */
  @Test
  void deepRnn() {
    try (Sequential m =
        new Sequential(new SimpleRNN(20).returnSequences(true), new SimpleRNN(20), new Dense(1))
            .backend(ReferenceBackend.float32())) {
      m.build(Shape.of(50, 1));
      assertEquals(
          """
        Model: "sequential"
        +------------------------------------------+--------------------------+----------------+
        | Layer (type)                             | Output Shape             |        Param # |
        +==========================================+==========================+================+
        | simple_rnn (SimpleRNN)                   | (None, 50, 20)           |            440 |
        +------------------------------------------+--------------------------+----------------+
        | simple_rnn_1 (SimpleRNN)                 | (None, 20)               |            820 |
        +------------------------------------------+--------------------------+----------------+
        | dense (Dense)                            | (None, 1)                |             21 |
        +------------------------------------------+--------------------------+----------------+
         Total params: 1,281 (5.00 KB)
         Trainable params: 1,281 (5.00 KB)
         Non-trainable params: 0 (0.00 B)
        """,
          m.summary());
    }
  }

  /**
   * Conv1D(20, 4, stride 2) on [50, 1]: (50 − 4) / 2 + 1 = 24 steps, 4·1·20 + 20 = 100; each
   * GRU(20) 3·20·(20 + 20 + 2) = 2,520; TimeDistributed(Dense(10)) 20·10 + 10 = 210 in the
   * wrapper's row; 5,350 in all, 21,400 B = 20.90 KB.
   */
  @Test
  void convGruWithTimeDistributedHead() {
    try (Sequential m =
        new Sequential(
                new Conv1D(20, 4).strides(2).padding(ConvPadding.VALID),
                new GRU(20).returnSequences(true),
                new GRU(20).returnSequences(true),
                new TimeDistributed(new Dense(10)))
            .backend(ReferenceBackend.float32())) {
      m.build(Shape.of(50, 1));
      assertEquals(
          """
        Model: "sequential"
        +------------------------------------------+--------------------------+----------------+
        | Layer (type)                             | Output Shape             |        Param # |
        +==========================================+==========================+================+
        | conv1d (Conv1D)                          | (None, 24, 20)           |            100 |
        +------------------------------------------+--------------------------+----------------+
        | gru (GRU)                                | (None, 24, 20)           |          2,520 |
        +------------------------------------------+--------------------------+----------------+
        | gru_1 (GRU)                              | (None, 24, 20)           |          2,520 |
        +------------------------------------------+--------------------------+----------------+
        | time_distributed (TimeDistributed)       | (None, 24, 10)           |            210 |
        +------------------------------------------+--------------------------+----------------+
         Total params: 5,350 (20.90 KB)
         Trainable params: 5,350 (20.90 KB)
         Non-trainable params: 0 (0.00 B)
        """,
          m.summary());
    }
  }

  /**
   * Batch normalization's moving mean and variance (20 + 20) are non-trainable: 730 in all (2,920 B
   * = 2.85 KB), 690 trainable (2,760 B = 2.70 KB), 40 non-trainable (160 B).
   */
  @Test
  void batchNormStatisticsAreNonTrainable() {
    try (Sequential m =
        new Sequential(
                new SimpleRNN(20).returnSequences(true),
                new BatchNormalization(),
                new TimeDistributed(new Dense(10)))
            .backend(ReferenceBackend.float32())) {
      m.build(Shape.of(50, 1));
      assertEquals(
          """
        Model: "sequential"
        +------------------------------------------+--------------------------+----------------+
        | Layer (type)                             | Output Shape             |        Param # |
        +==========================================+==========================+================+
        | simple_rnn (SimpleRNN)                   | (None, 50, 20)           |            440 |
        +------------------------------------------+--------------------------+----------------+
        | batch_normalization (BatchNormalization) | (None, 50, 20)           |             80 |
        +------------------------------------------+--------------------------+----------------+
        | time_distributed (TimeDistributed)       | (None, 50, 10)           |            210 |
        +------------------------------------------+--------------------------+----------------+
         Total params: 730 (2.85 KB)
         Trainable params: 690 (2.70 KB)
         Non-trainable params: 40 (160.00 B)
        """,
          m.summary());
    }
  }

  @Test
  void beforeTheModelIsBuiltItSaysSo() {
    try (Sequential m = new Sequential(new LSTM(32).returnSequences(true), new Dense(1))) {
      assertEquals(
          """
        Model: "sequential"
        +------------------------------------------+--------------------------+----------------+
        | Layer (type)                             | Output Shape             |        Param # |
        +==========================================+==========================+================+
        | lstm (LSTM)                              | ?                        |      (unbuilt) |
        +------------------------------------------+--------------------------+----------------+
        | dense (Dense)                            | ?                        |      (unbuilt) |
        +------------------------------------------+--------------------------+----------------+
         The model is not built yet: call build(shape) or fit first.
        """,
          m.summary());
    }
  }

  /**
   * Keras numbers a kind's second layer _1, and names a wrapped layer before its wrapper (it is
   * constructed first), so the Dense after TimeDistributed(Dense) is dense_2.
   */
  @Test
  void layerNamesAreKerasNames() {
    try (Sequential m =
        new Sequential(
            new Dense(3),
            new TimeDistributed(new Dense(2, Activation.TANH)),
            new LayerNormSimpleRNN(4).returnSequences(true),
            new Conv1D(2, 1),
            new Dense(1))) {
      assertEquals(
          List.of("dense", "time_distributed", "layer_norm_simple_rnn", "conv1d", "dense_2"),
          m.layerNames());
    }
  }

  @Test
  void snakeCaseFollowsKeras() {
    assertEquals("simple_rnn", LayerNames.snakeCase("SimpleRNN"));
    assertEquals("conv1d", LayerNames.snakeCase("Conv1D"));
    assertEquals("batch_normalization", LayerNames.snakeCase("BatchNormalization"));
    assertEquals("lstm", LayerNames.snakeCase("LSTM"));
    assertEquals("layer", LayerNames.snakeCase(""));
  }

  /** Keras' readable sizes: two decimals of the largest unit below 1024. */
  @Test
  void sizesAndCounts() {
    assertEquals("0.00 B", ModelSummary.size(0));
    assertEquals("1023.00 B", ModelSummary.size(1023));
    assertEquals("1.00 KB", ModelSummary.size(1024));
    assertEquals("1.00 MB", ModelSummary.size(1024 * 1024));
    assertEquals("1,234,567", ModelSummary.count(1_234_567));
  }
}
