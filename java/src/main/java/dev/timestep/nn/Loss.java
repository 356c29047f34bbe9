package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.ElementwiseLoss;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A training objective: a scalar variable computed from predictions and targets. The built-in
 * losses are the records below, made by the factories ({@link #mse()}, {@link #mae()}, {@link
 * #huber(double)}, {@link #logCosh()}, {@link #quantile(double...)}); each is the mean over every
 * element of the batch (Keras' "sum_over_batch_size" reduction), and a model file saves them with
 * their parameters. A loss of your own implements this interface (it cannot be saved).
 */
public interface Loss {
  String name();

  Variable compute(Tape tape, Variable prediction, Variable target);

  /**
   * How many predictions the model makes per target value, adjacent along the last axis: 1 (the
   * output has the target's shape) for every loss but {@link #quantile(double...)}. {@code fit} and
   * {@code evaluate} check the targets' shape against it.
   */
  default int predictionsPerTarget() {
    return 1;
  }

  /** Mean squared error over every element, Keras' "mse". */
  static Loss mse() {
    return new MeanSquaredError();
  }

  /** Mean absolute error, mean(|prediction - target|): Keras' "mae". */
  static Loss mae() {
    return new MeanAbsoluteError();
  }

  /** {@link #huber(double)} with Keras' default delta, 1.0. */
  static Loss huber() {
    return huber(1.0);
  }

  /**
   * Keras' Huber loss: for each error e = prediction - target, e²/2 where |e| ≤ delta and
   * delta·(|e| - delta/2) beyond, averaged: squared near zero, linear (less swayed by outliers) far
   * away.
   *
   * @throws IllegalArgumentException unless delta is positive and finite in float
   */
  static Loss huber(double delta) {
    return new Huber(delta);
  }

  /**
   * Keras' log-cosh loss, mean(log(cosh(prediction - target))): about e²/2 for small errors and |e|
   * - log 2 for large ones, computed without overflow for any error.
   */
  static Loss logCosh() {
    return new LogCosh();
  }

  /**
   * The quantile (pinball) loss, for probabilistic forecasts (Keras has no built-in one). With k
   * quantiles q₀ &lt; q₁ &lt; … the model predicts k values per target value, adjacent along the
   * last axis: for targets of shape [..., m] it outputs [..., m·k], where output j·k + i is the
   * q_i-quantile forecast of target value j (a Dense(m·k) output layer, reshaped by you to [..., m,
   * k] to read). Each prediction p of quantile q against its target y costs q·(y - p) when it is
   * below (y ≥ p) and (1 - q)·(p - y) when above; the loss is the mean over every quantile and
   * element. With the single quantile 0.5 it is half the mean absolute error. The built-in metrics
   * compare outputs and targets of one shape, so compile such a model without them (or with a
   * {@link Metric#of} of your own).
   *
   * @param quantiles 1 to 256 values strictly between 0 and 1, strictly increasing
   * @throws IllegalArgumentException for none, more than 256, one outside (0, 1), or values not
   *     strictly increasing (unsorted or repeated: the output layout follows their order)
   */
  static Loss quantile(double... quantiles) {
    if (quantiles == null) {
      throw new IllegalArgumentException("quantile loss: quantiles must not be null");
    }
    return new Quantile(Arrays.stream(quantiles).boxed().toList());
  }

  /** Mean squared error ({@link #mse()}). */
  record MeanSquaredError() implements Loss {
    @Override
    public String name() {
      return "mse";
    }

    @Override
    public Variable compute(Tape tape, Variable prediction, Variable target) {
      return Ops.mse(tape, prediction, target);
    }
  }

  /** Mean absolute error ({@link #mae()}). */
  record MeanAbsoluteError() implements Loss {
    @Override
    public String name() {
      return "mae";
    }

    @Override
    public Variable compute(Tape tape, Variable prediction, Variable target) {
      return Ops.elementwiseLoss(
          tape, ElementwiseLoss.ABSOLUTE, new float[] {0f}, prediction, target);
    }
  }

  /** Huber loss with its delta ({@link #huber(double)}). */
  record Huber(double delta) implements Loss {
    public Huber {
      if (!(delta > 0) || !Float.isFinite((float) delta) || (float) delta == 0f) {
        throw new IllegalArgumentException(
            "huber loss: delta must be positive and finite (within float range), got " + delta);
      }
    }

    @Override
    public String name() {
      return "huber";
    }

    @Override
    public Variable compute(Tape tape, Variable prediction, Variable target) {
      return Ops.elementwiseLoss(
          tape, ElementwiseLoss.HUBER, new float[] {(float) delta}, prediction, target);
    }
  }

  /** Log-cosh loss ({@link #logCosh()}). */
  record LogCosh() implements Loss {
    @Override
    public String name() {
      return "log_cosh";
    }

    @Override
    public Variable compute(Tape tape, Variable prediction, Variable target) {
      return Ops.elementwiseLoss(
          tape, ElementwiseLoss.LOG_COSH, new float[] {0f}, prediction, target);
    }
  }

  /** Quantile (pinball) loss with its quantiles, in output order ({@link #quantile(double...)}). */
  record Quantile(List<Double> quantiles) implements Loss {
    public Quantile {
      if (quantiles == null || quantiles.isEmpty()) {
        throw new IllegalArgumentException("quantile loss: give at least one quantile");
      }
      if (quantiles.stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException("quantile loss: a quantile is null in " + quantiles);
      }
      quantiles = List.copyOf(quantiles);
      if (quantiles.size() > ElementwiseLoss.MAX_PARAMETERS) {
        throw new IllegalArgumentException(
            "quantile loss: at most "
                + ElementwiseLoss.MAX_PARAMETERS
                + " quantiles, got "
                + quantiles.size());
      }
      for (int i = 0; i < quantiles.size(); i++) {
        double q = quantiles.get(i);
        if (!(q > 0 && q < 1) || !((float) q > 0f && (float) q < 1f)) {
          throw new IllegalArgumentException(
              "quantile loss: quantile " + i + " is " + q + "; each must be strictly in (0, 1)");
        }
        if (i > 0 && !(q > quantiles.get(i - 1))) {
          throw new IllegalArgumentException(
              "quantile loss: quantiles must be strictly increasing (they fix the order of the"
                  + " model's outputs), got "
                  + quantiles);
        }
      }
    }

    @Override
    public String name() {
      return "quantile";
    }

    @Override
    public int predictionsPerTarget() {
      return quantiles.size();
    }

    @Override
    public Variable compute(Tape tape, Variable prediction, Variable target) {
      float[] q = new float[quantiles.size()];
      for (int i = 0; i < q.length; i++) {
        q[i] = quantiles.get(i).floatValue();
      }
      return Ops.elementwiseLoss(tape, ElementwiseLoss.PINBALL, q, prediction, target);
    }
  }
}
