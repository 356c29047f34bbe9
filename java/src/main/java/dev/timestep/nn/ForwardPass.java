package dev.timestep.nn;

import java.util.SplittableRandom;

/**
 * How one forward pass runs: in training mode or not, whether dropout is active, and the seed its
 * random masks come from. Dropout is active while training and in Monte Carlo (MC) dropout
 * prediction; MC passes are otherwise inference passes (batch normalization keeps its moving
 * averages). A {@link Sequential} gives each layer {@link #forLayer its own} seed, so two dropout
 * layers never share a mask, and a pass with the same seed draws the same masks.
 *
 * @param training whether layers run in training mode (batch statistics, dropout)
 * @param dropout whether dropout layers and the recurrent layers' dropout drop units
 * @param maskSeed the seed the masks of this pass are drawn from
 */
public record ForwardPass(boolean training, boolean dropout, long maskSeed) {

  /** Prediction: no dropout, no training behaviour. */
  public static ForwardPass inference() {
    return new ForwardPass(false, false, 0L);
  }

  /** A training pass whose dropout masks come from {@code maskSeed}. */
  public static ForwardPass training(long maskSeed) {
    return new ForwardPass(true, true, maskSeed);
  }

  /** MC dropout: inference except that dropout stays active, with masks from {@code maskSeed}. */
  public static ForwardPass monteCarlo(long maskSeed) {
    return new ForwardPass(false, true, maskSeed);
  }

  /** The same pass with a seed of its own for the layer at {@code index} of a model. */
  public ForwardPass forLayer(int index) {
    return new ForwardPass(training, dropout, mix(maskSeed, index));
  }

  /**
   * The random source of one kind of mask inside a layer (a recurrent layer draws its input mask
   * from stream 0 and its state mask from stream 1), so masks do not depend on each other.
   */
  public SplittableRandom masks(int stream) {
    return new SplittableRandom(mix(maskSeed, 1_000_003L + stream));
  }

  /**
   * A well-spread seed from two numbers (a splitmix64 finaliser over their combination), so nearby
   * model seeds and step numbers give unrelated masks.
   */
  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
