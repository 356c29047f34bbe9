package dev.timestep.nn;

import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.SplittableRandom;

/**
 * Inverted-dropout masks, drawn on the host so every backend sees the same masks for the same seed:
 * each value is 0 (dropped, with probability {@code rate}) or {@code 1 / (1 - rate)} (kept and
 * scaled, so the expected output equals the input and inference needs no scaling). Values are drawn
 * row by row, so each sample of a batch gets masks of its own.
 */
final class DropoutMasks {
  private DropoutMasks() {}

  /** Checks a rate for {@code owner}'s {@code what} option: a number in [0, 1). */
  static double checkRate(String owner, String what, double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException(
          owner
              + ": "
              + what
              + " must be in [0, 1) (the fraction of units "
              + "dropped), got "
              + rate);
    }
    return rate;
  }

  /** {@code count} mask values. */
  static float[] draw(SplittableRandom random, double rate, int count) {
    float keep = (float) (1.0 / (1.0 - rate));
    float[] mask = new float[count];
    for (int i = 0; i < count; i++) {
      mask[i] = random.nextDouble() < rate ? 0f : keep;
    }
    return mask;
  }

  /**
   * A [batch, steps, features] mask holding one [batch, features] draw at every step: Keras'
   * recurrent input dropout, one mask per sequence reused at every time step.
   */
  static NDArray overTime(
      SplittableRandom random, double rate, int batch, int steps, int features) {
    float[] perSequence = draw(random, rate, batch * features);
    float[] mask = new float[batch * steps * features];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        System.arraycopy(perSequence, b * features, mask, (b * steps + t) * features, features);
      }
    }
    return NDArray.of(mask, batch, steps, features);
  }

  /** A mask drawn on the host, uploaded as a constant (no gradient) owned by the tape. */
  static Variable constant(Tape tape, NDArray mask) {
    return tape.constant(tape.backend().upload(mask, tape.scope()));
  }

  /** A mask of {@code shape}, one independent value per element, as a constant on the tape. */
  static Variable elementwise(Tape tape, SplittableRandom random, double rate, Shape shape) {
    return constant(tape, new NDArray(shape, draw(random, rate, Math.toIntExact(shape.size()))));
  }
}
