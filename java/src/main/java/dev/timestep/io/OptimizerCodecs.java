package dev.timestep.io;

import dev.timestep.optim.Adam;
import dev.timestep.optim.AdamW;
import dev.timestep.optim.ArenaOptimizer;
import dev.timestep.optim.Optimizer;
import dev.timestep.optim.RMSprop;
import dev.timestep.optim.SGD;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The optimizers a model file can hold: for each, its type name, its options (numbers and booleans)
 * in the order they are written, how to describe one and how to rebuild one. The state is the
 * optimizer's slots, stored as tensors named {@code <type in lower case>/<slot>} ({@code adam/m},
 * {@code rmsprop/velocity}). Adding an optimizer is one entry here (and a row in
 * docs/MODEL-FORMAT.md).
 *
 * <p>Options listed as optional may be left out (false when absent) and are written only when true,
 * so a model that does not use them is written exactly as before they existed.
 */
final class OptimizerCodecs {
  private record Codec(
      String type,
      Class<? extends ArenaOptimizer<?>> optimizerClass,
      List<String> numbers,
      List<String> flags,
      List<String> optionalFlags,
      Function<ArenaOptimizer<?>, Map<String, Object>> describe,
      Function<ModelHeader.OptimizerConfig, ArenaOptimizer<?>> create) {}

  private static final List<Codec> CODECS =
      List.of(
          new Codec(
              "Adam",
              Adam.class,
              List.of("learningRate", "beta1", "beta2", "epsilon"),
              List.of(),
              List.of("amsgrad"),
              o -> {
                Adam a = (Adam) o;
                return options(
                    "learningRate",
                    a.learningRate(),
                    "beta1",
                    a.beta1(),
                    "beta2",
                    a.beta2(),
                    "epsilon",
                    a.epsilon(),
                    "amsgrad",
                    a.amsgrad());
              },
              c ->
                  new Adam(
                      c.number("learningRate"),
                      c.number("beta1"),
                      c.number("beta2"),
                      c.number("epsilon"),
                      c.flag("amsgrad"))),
          new Codec(
              "AdamW",
              AdamW.class,
              List.of("learningRate", "weightDecay", "beta1", "beta2", "epsilon"),
              List.of("amsgrad"),
              List.of(),
              o -> {
                AdamW a = (AdamW) o;
                return options(
                    "learningRate",
                    a.learningRate(),
                    "weightDecay",
                    a.weightDecay(),
                    "beta1",
                    a.beta1(),
                    "beta2",
                    a.beta2(),
                    "epsilon",
                    a.epsilon(),
                    "amsgrad",
                    a.amsgrad());
              },
              c ->
                  new AdamW(
                      c.number("learningRate"),
                      c.number("weightDecay"),
                      c.number("beta1"),
                      c.number("beta2"),
                      c.number("epsilon"),
                      c.flag("amsgrad"))),
          new Codec(
              "SGD",
              SGD.class,
              List.of("learningRate", "momentum"),
              List.of("nesterov"),
              List.of(),
              o -> {
                SGD s = (SGD) o;
                return options(
                    "learningRate",
                    s.learningRate(),
                    "momentum",
                    s.momentum(),
                    "nesterov",
                    s.nesterov());
              },
              c -> new SGD(c.number("learningRate"), c.number("momentum"), c.flag("nesterov"))),
          new Codec(
              "RMSprop",
              RMSprop.class,
              List.of("learningRate", "rho", "momentum", "epsilon"),
              List.of("centered"),
              List.of(),
              o -> {
                RMSprop r = (RMSprop) o;
                return options(
                    "learningRate",
                    r.learningRate(),
                    "rho",
                    r.rho(),
                    "momentum",
                    r.momentum(),
                    "epsilon",
                    r.epsilon(),
                    "centered",
                    r.centered());
              },
              c ->
                  new RMSprop(
                      c.number("learningRate"),
                      c.number("rho"),
                      c.number("momentum"),
                      c.number("epsilon"),
                      c.flag("centered"))));

  private OptimizerCodecs() {}

  /** Keys, values, ...: in order, as they are written. */
  private static Map<String, Object> options(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  /**
   * The description of a built-in optimizer.
   *
   * @throws IllegalArgumentException for any other optimizer (a file cannot hold its code)
   */
  static ModelHeader.OptimizerConfig describe(Optimizer optimizer) {
    for (Codec c : CODECS) {
      if (optimizer.getClass() == c.optimizerClass()) {
        ArenaOptimizer<?> o = (ArenaOptimizer<?>) optimizer;
        Map<String, Object> options = c.describe().apply(o);
        for (String flag : c.optionalFlags()) {
          if (Boolean.FALSE.equals(options.get(flag))) {
            options.remove(flag); // written only when set: older readers still read the file
          }
        }
        return new ModelHeader.OptimizerConfig(c.type(), options, o.iterations());
      }
    }
    throw new IllegalArgumentException(
        "save: cannot save the optimizer "
            + optimizer
            + " ("
            + optimizer.getClass().getName()
            + "): model files hold only the built-in optimizers "
            + types());
  }

  /**
   * A new optimizer with {@code config}'s settings (its iteration count and slots are restored
   * separately).
   *
   * @throws IllegalArgumentException for an unknown type or values the optimizer refuses
   */
  static ArenaOptimizer<?> create(ModelHeader.OptimizerConfig config) {
    return codec(config.type(), "optimizer").create().apply(config);
  }

  /** The option keys of {@code type} as numbers, flags and optional flags. */
  static List<List<String>> keys(String type, String where) {
    Codec c = codec(type, where);
    return List.of(c.numbers(), c.flags(), c.optionalFlags());
  }

  /** The name of slot {@code slot}'s tensor in a file. */
  static String tensorName(String type, String slot) {
    return type.toLowerCase(Locale.ROOT) + "/" + slot;
  }

  private static Codec codec(String type, String where) {
    for (Codec c : CODECS) {
      if (c.type().equals(type)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        where + ": unknown optimizer type '" + type + "'; this build knows " + types());
  }

  private static List<String> types() {
    return CODECS.stream().map(Codec::type).toList();
  }
}
