package dev.timestep.models;

import dev.timestep.nn.Dense;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.Input;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Model;
import dev.timestep.nn.RepeatVector;
import dev.timestep.nn.Symbolic;
import dev.timestep.nn.TimeDistributed;
import java.util.List;

/**
 * The chapter's encoder-decoder for forecasting several steps, as a functional {@link Model}: an
 * encoder LSTM reads the series and hands its final states [h, c] to a decoder LSTM, which starts
 * from them and emits one state per step ahead; a Dense layer on each step gives that step's value.
 * The decoder's input at every step is the encoder's output, repeated ({@link RepeatVector}).
 *
 * <pre>{@code
 * try (Model m = EncoderDecoder.build(50, 20, 10)) {   // [batch, 50, 1] -> [batch, 10]
 *   m.compile(Loss.mse(), new Adam());
 *   ...
 * }
 * }</pre>
 */
public final class EncoderDecoder {
  private EncoderDecoder() {}

  /**
   * An encoder-decoder of {@code units} LSTM units per side for series of {@code steps} values of
   * one feature, forecasting the next {@code horizon} values: input [batch, steps, 1], output
   * [batch, horizon].
   *
   * @param steps the input series' length (the chapter's 50)
   * @throws IllegalArgumentException for units, steps or a horizon below 1
   */
  public static Model build(int steps, int units, int horizon) {
    if (steps < 1 || units < 1 || horizon < 1) {
      throw new IllegalArgumentException(
          "EncoderDecoder: steps, units and horizon must each be at least 1, got steps "
              + steps
              + ", units "
              + units
              + " and horizon "
              + horizon);
    }
    Symbolic series = Input.of(steps, 1);
    List<Symbolic> encoder = new LSTM(units).returnState(true).applyAll(series); // [out, h, c]
    Symbolic decoderInput = new RepeatVector(horizon).apply(encoder.get(0));
    Symbolic decoded =
        new LSTM(units)
            .returnSequences(true)
            .apply(decoderInput, encoder.get(1), encoder.get(2)); // starts from [h, c]
    Symbolic perStep = new TimeDistributed(new Dense(1)).apply(decoded); // [horizon, 1]
    return new Model(List.of(series), List.of(new Flatten().apply(perStep)));
  }
}
