package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The functional {@link Model}'s summary as Keras prints a functional model's: input rows, one row
 * per layer with its output shapes, parameters and "Connected to" ({@code name[call][tensor]}).
 * Counts by hand with Keras' formulas: LSTM 4h·(f + h + 1), Dense (in + 1)·units.
 */
class FunctionalSummaryTest {

  /**
   * The encoder-decoder: LSTM(20) on 1 feature 4·20·(1 + 20 + 1) = 1,760 giving [output, h, c];
   * RepeatVector 0; the decoder LSTM(20) on 20 features 4·20·(20 + 20 + 1) = 3,280 reading the
   * repeated output and the encoder's h and c; TimeDistributed(Dense(1)) 20 + 1 = 21. 5,061 in all,
   * 20,244 B = 19.77 KB.
   */
  @Test
  void encoderDecoderShowsTheStatesAndWhereTheyGo() {
    Symbolic in = Input.of(50, 1);
    List<Symbolic> enc = new LSTM(20).returnState(true).applyAll(in);
    Symbolic repeated = new RepeatVector(10).apply(enc.get(0));
    Symbolic dec = new LSTM(20).returnSequences(true).apply(repeated, enc.get(1), enc.get(2));
    Symbolic out = new TimeDistributed(new Dense(1)).apply(dec);
    try (Model m = new Model(List.of(in), List.of(out))) {
      assertEquals(
          """
        Model: "functional"
        +------------------------------------+--------------------------------------+------------+----------------------+
        | Layer (type)                       | Output Shape                         |    Param # | Connected to         |
        +====================================+======================================+============+======================+
        | input_layer (InputLayer)           | (None, 50, 1)                        |          0 | -                    |
        +------------------------------------+--------------------------------------+------------+----------------------+
        | lstm (LSTM)                        | [(None, 20), (None, 20), (None, 20)] |      1,760 | input_layer[0][0]    |
        +------------------------------------+--------------------------------------+------------+----------------------+
        | repeat_vector (RepeatVector)       | (None, 10, 20)                       |          0 | lstm[0][0]           |
        +------------------------------------+--------------------------------------+------------+----------------------+
        | lstm_1 (LSTM)                      | (None, 10, 20)                       |      3,280 | repeat_vector[0][0]  |
        |                                    |                                      |            | lstm[0][1]           |
        |                                    |                                      |            | lstm[0][2]           |
        +------------------------------------+--------------------------------------+------------+----------------------+
        | time_distributed (TimeDistributed) | (None, 10, 1)                        |         21 | lstm_1[0][0]         |
        +------------------------------------+--------------------------------------+------------+----------------------+
         Total params: 5,061 (19.77 KB)
         Trainable params: 5,061 (19.77 KB)
         Non-trainable params: 0 (0.00 B)
        """,
          m.summary());
      assertFalse(m.isBuilt(), "the summary counts from the declarations, allocating nothing");
    }
  }

  /**
   * A Dense(2) shared by two inputs of different shapes, (4 + 1)·2 = 10 parameters once: its calls
   * are dense[0] and dense[1] (numbered in the order the model runs them), and their shapes differ,
   * so Keras shows "multiple".
   */
  @Test
  void aSharedLayerIsOneRowWithEachCallsConnections() {
    Symbolic a = Input.of(4);
    Symbolic b = Input.of(3, 4);
    Dense shared = new Dense(2);
    Symbolic flat = new Flatten().apply(shared.apply(b));
    Symbolic out = new Concatenate().apply(shared.apply(a), flat);
    try (Model m = new Model(List.of(a, b), List.of(out))) {
      String s = m.summary();
      assertTrue(s.contains("| input_layer_1 (InputLayer)     | (None, 3, 4)"), s);
      // calls are numbered per layer in the order they run: dense[0] reads input 1, dense[1] input
      // 2
      assertTrue(
          s.contains(
              "| dense (Dense)                  | multiple             |         10 |"
                  + " input_layer[0][0]    |\n"
                  + "|                                |                      |            |"
                  + " input_layer_1[0][0]  |\n"),
          s);
      assertTrue(
          s.contains(
              "| flatten (Flatten)              | (None, 6)            |          0 | dense[1][0]"),
          s);
      assertTrue(
          s.contains(
              "| concatenate (Concatenate)      | (None, 8)            |          0 | dense[0][0]  "),
          s);
      assertTrue(s.contains("|            | flatten[0][0]        |"), s);
      assertTrue(s.contains(" Total params: 10 (40.00 B)"), s);
    }
  }

  /**
   * Keras builds Bidirectional's layer first, so it takes its kind's name: the next LSTM is lstm_1.
   */
  @Test
  void bidirectionalsWrappedLayerTakesItsKindsName() {
    Symbolic in = Input.of(5, 1);
    Symbolic h = new Bidirectional(new LSTM(2).returnSequences(true)).apply(in);
    try (Model m = new Model(List.of(in), List.of(new LSTM(2).apply(h)))) {
      assertEquals(List.of("bidirectional", "lstm_1"), m.layerNames());
    }
  }
}
