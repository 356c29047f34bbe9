package dev.timestep.io;

import dev.timestep.nn.Loss;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The losses a model file can hold: the built-in records of {@link Loss}, by name, with their
 * parameters. Adding one is a case in each method here and a line in docs/MODEL-FORMAT.md.
 */
final class LossCodecs {
  /** Every name this build reads, sorted, for messages. */
  static final Set<String> NAMES =
      new TreeSet<>(List.of("mse", "mae", "huber", "log_cosh", "quantile"));

  private LossCodecs() {}

  /**
   * The header form of a built-in loss.
   *
   * @throws IllegalArgumentException for a loss of another class (a user's), which a file cannot
   *     rebuild
   */
  static LossConfig describe(Loss loss) {
    if (loss instanceof Loss.MeanSquaredError) {
      return LossConfig.named("mse");
    }
    if (loss instanceof Loss.MeanAbsoluteError) {
      return LossConfig.named("mae");
    }
    if (loss instanceof Loss.LogCosh) {
      return LossConfig.named("log_cosh");
    }
    if (loss instanceof Loss.Huber h) {
      return new LossConfig("huber", Map.of("delta", h.delta()));
    }
    if (loss instanceof Loss.Quantile q) {
      return new LossConfig("quantile", Map.of("quantiles", q.quantiles()));
    }
    throw new IllegalArgumentException(
        "save: cannot save the loss '"
            + loss.name()
            + "' ("
            + loss.getClass().getName()
            + "): model files hold only the built-in losses "
            + NAMES);
  }

  /** The loss a header describes; refuses unknown names and missing, extra or bad parameters. */
  static Loss rebuild(LossConfig c) {
    return switch (c.name()) {
      case "mse" -> withOptions(c, List.of(), Loss::mse);
      case "mae" -> withOptions(c, List.of(), Loss::mae);
      case "log_cosh" -> withOptions(c, List.of(), Loss::logCosh);
      case "huber" -> withOptions(c, List.of("delta"), () -> Loss.huber(c.number("delta")));
      // The record checks the quantiles as Loss.quantile does.
      case "quantile" ->
          withOptions(c, List.of("quantiles"), () -> new Loss.Quantile(c.numbers("quantiles")));
      default ->
          throw new IllegalArgumentException(
              "unknown loss '" + c.name() + "'; this build knows " + NAMES);
    };
  }

  private static Loss withOptions(LossConfig c, List<String> expected, Supplier<Loss> loss) {
    if (!c.options().keySet().equals(Set.copyOf(expected))) {
      throw new IllegalArgumentException(
          "loss '"
              + c.name()
              + "' takes "
              + (expected.isEmpty() ? "no parameters" : "exactly the parameters " + expected)
              + ", got "
              + new TreeSet<>(c.options().keySet()));
    }
    return loss.get();
  }
}
