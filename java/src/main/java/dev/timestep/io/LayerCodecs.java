package dev.timestep.io;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
import dev.timestep.nn.BatchNormalization;
import dev.timestep.nn.Bidirectional;
import dev.timestep.nn.Concatenate;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Layer;
import dev.timestep.nn.LayerNormSimpleRNN;
import dev.timestep.nn.LayerNormalization;
import dev.timestep.nn.RNN;
import dev.timestep.nn.RecurrentLayer;
import dev.timestep.nn.RepeatVector;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * The layers a model file can hold: for each, its type name, its options, how to describe a layer
 * and how to rebuild one. Adding a layer type is one entry here (and a line in
 * docs/MODEL-FORMAT.md).
 *
 * <p>Options listed as optional may be left out (and are written only when they differ from their
 * default), so files without them, written before the option existed, still load.
 */
final class LayerCodecs {
  private record Codec(
      String type,
      Class<? extends Layer> layerClass,
      List<String> options,
      List<String> optional,
      boolean wraps,
      Function<Layer, LayerConfig> describe,
      Function<LayerConfig, Layer> create) {
    Codec(
        String type,
        Class<? extends Layer> layerClass,
        List<String> options,
        boolean wraps,
        Function<Layer, LayerConfig> describe,
        Function<LayerConfig, Layer> create) {
      this(type, layerClass, options, List.of(), wraps, describe, create);
    }
  }

  /**
   * The recurrent layers' optional options: the dropout rates (0 when absent) and the state flags
   * (false when absent; written only when true, so files without them read as before). A stateful
   * layer's states themselves are not saved, as in Keras.
   */
  private static final List<String> RECURRENT_OPTIONS =
      List.of("dropout", "recurrentDropout", "stateful", "returnState");

  private static final List<Codec> CODECS =
      List.of(
          new Codec(
              "Dense",
              Dense.class,
              List.of("units", "activation"),
              false,
              l -> {
                Dense d = (Dense) l;
                return config("Dense", "units", d.units(), "activation", lower(d.activation()));
              },
              c -> new Dense(c.intOption("units"), activation(c))),
          new Codec(
              "Flatten",
              Flatten.class,
              List.of(),
              false,
              l -> config("Flatten"),
              c -> new Flatten()),
          new Codec(
              "SimpleRNN",
              SimpleRNN.class,
              List.of("units", "activation", "returnSequences"),
              RECURRENT_OPTIONS,
              false,
              l -> {
                SimpleRNN r = (SimpleRNN) l;
                return withRecurrentOptions(
                    r,
                    config(
                        "SimpleRNN",
                        "units",
                        r.units(),
                        "activation",
                        lower(r.activation()),
                        "returnSequences",
                        r.returnsSequences()));
              },
              c ->
                  withRecurrentOptions(
                      c,
                      new SimpleRNN(c.intOption("units"))
                          .activation(activation(c))
                          .returnSequences(c.boolOption("returnSequences")))),
          new Codec(
              "LayerNormSimpleRNN",
              LayerNormSimpleRNN.class,
              List.of("units", "activation", "returnSequences"),
              RECURRENT_OPTIONS,
              false,
              l -> {
                LayerNormSimpleRNN r = (LayerNormSimpleRNN) l;
                return withRecurrentOptions(
                    r,
                    config(
                        "LayerNormSimpleRNN",
                        "units",
                        r.units(),
                        "activation",
                        lower(r.activation()),
                        "returnSequences",
                        r.returnsSequences()));
              },
              c ->
                  withRecurrentOptions(
                      c,
                      new LayerNormSimpleRNN(c.intOption("units"))
                          .activation(activation(c))
                          .returnSequences(c.boolOption("returnSequences")))),
          // LSTM and GRU keep Keras' fixed activations, so only their size and output mode vary.
          fixedActivation("LSTM", LSTM.class, LSTM::new),
          fixedActivation("GRU", GRU.class, GRU::new),
          new Codec(
              "Conv1D",
              Conv1D.class,
              List.of(
                  "filters",
                  "kernelSize",
                  "strides",
                  "dilationRate",
                  "padding",
                  "activation",
                  "useBias"),
              false,
              l -> {
                Conv1D k = (Conv1D) l;
                return config(
                    "Conv1D",
                    "filters",
                    k.filters(),
                    "kernelSize",
                    k.kernelSize(),
                    "strides",
                    k.strides(),
                    "dilationRate",
                    k.dilationRate(),
                    "padding",
                    k.padding().name().toLowerCase(Locale.ROOT),
                    "activation",
                    lower(k.activation()),
                    "useBias",
                    k.useBias());
              },
              c ->
                  new Conv1D(c.intOption("filters"), c.intOption("kernelSize"))
                      .strides(c.intOption("strides"))
                      .dilationRate(c.intOption("dilationRate"))
                      .padding(padding(c))
                      .activation(activation(c))
                      .useBias(c.boolOption("useBias"))),
          new Codec(
              "LayerNormalization",
              LayerNormalization.class,
              List.of(),
              false,
              l -> config("LayerNormalization"),
              c -> new LayerNormalization()),
          new Codec(
              "BatchNormalization",
              BatchNormalization.class,
              List.of(),
              false,
              l -> config("BatchNormalization"),
              c -> new BatchNormalization()),
          new Codec(
              "TimeDistributed",
              TimeDistributed.class,
              List.of(),
              true,
              l ->
                  new LayerConfig(
                      "TimeDistributed", Map.of(), describe(((TimeDistributed) l).layer())),
              c -> new TimeDistributed(create(c.inner()))),
          new Codec(
              "Dropout",
              Dropout.class,
              List.of("rate"),
              false,
              l -> config("Dropout", "rate", ((Dropout) l).rate()),
              c -> new Dropout(c.doubleOption("rate"))),
          new Codec(
              "RepeatVector",
              RepeatVector.class,
              List.of("n"),
              false,
              l -> config("RepeatVector", "n", ((RepeatVector) l).n()),
              c -> new RepeatVector(c.intOption("n"))),
          // The backward layer is a copy of the forward one's configuration, as in Keras.
          new Codec(
              "Bidirectional",
              Bidirectional.class,
              List.of("mergeMode"),
              true,
              l -> {
                Bidirectional b = (Bidirectional) l;
                return new LayerConfig(
                    "Bidirectional",
                    Map.of("mergeMode", b.mergeMode().kerasName()),
                    describe(b.forwardLayer()));
              },
              c -> {
                Layer inner = create(c.inner());
                if (!(inner instanceof RecurrentLayer r)) {
                  throw new IllegalArgumentException(
                      "Bidirectional wraps a recurrent layer, not " + c.inner().type());
                }
                return new Bidirectional(
                    r, Bidirectional.MergeMode.parse(c.stringOption("mergeMode")));
              }),
          new Codec(
              "Concatenate",
              Concatenate.class,
              List.of(),
              false,
              l -> config("Concatenate"),
              c -> new Concatenate()));

  private LayerCodecs() {}

  /** The type names a model file may use, in registry order. */
  static List<String> types() {
    return CODECS.stream().map(Codec::type).collect(Collectors.toList());
  }

  static LayerConfig describe(Layer layer) {
    if (layer == null) {
      throw new IllegalArgumentException("cannot describe a null layer");
    }
    if (layer instanceof RNN) {
      throw new IllegalArgumentException(
          "cannot save "
              + layer.name()
              + ": an RNN runs a user-written Cell, whose "
              + "code a model file cannot hold; use SimpleRNN, LSTM, GRU or LayerNormSimpleRNN to save the model");
    }
    for (Codec c : CODECS) {
      if (c.layerClass() == layer.getClass()) {
        return c.describe().apply(layer);
      }
    }
    throw new IllegalArgumentException(
        "cannot save layer "
            + layer.name()
            + " ("
            + layer.getClass().getName()
            + "): model files hold only the built-in layers "
            + types());
  }

  static Layer create(LayerConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("cannot create a layer from a null config");
    }
    Codec codec = null;
    for (Codec c : CODECS) {
      if (c.type().equals(config.type())) {
        codec = c;
      }
    }
    if (codec == null) {
      throw new IllegalArgumentException(
          "unknown layer type '" + config.type() + "'; this build knows " + types());
    }
    Set<String> given = new LinkedHashSet<>(config.options().keySet());
    Set<String> allowed = new LinkedHashSet<>(codec.options());
    allowed.addAll(codec.optional());
    if (!given.containsAll(codec.options()) || !allowed.containsAll(given)) {
      throw new IllegalArgumentException(
          config.type()
              + " takes the options "
              + codec.options()
              + ", got "
              + config.options().keySet()
              + (codec.optional().isEmpty() ? "" : "; optional: " + codec.optional()));
    }
    if (codec.wraps() != (config.inner() != null)) {
      throw new IllegalArgumentException(
          config.type()
              + (codec.wraps()
                  ? " needs the layer it wraps ('layer')"
                  : " wraps no layer but one was given"));
    }
    return codec.create().apply(config);
  }

  private static LayerConfig config(String type, Object... keyValues) {
    Map<String, Object> options = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      options.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new LayerConfig(type, options, null);
  }

  /**
   * Adds a recurrent layer's dropout rates (each only when non-zero) and state flags (each only
   * when true) to its description.
   */
  /** The codec of a recurrent layer whose only options are its size, output mode and flags. */
  private static Codec fixedActivation(
      String type, Class<? extends RecurrentLayer> layerClass, IntFunction<RecurrentLayer> make) {
    return new Codec(
        type,
        layerClass,
        List.of("units", "returnSequences"),
        RECURRENT_OPTIONS,
        false,
        l -> {
          RecurrentLayer r = (RecurrentLayer) l;
          return withRecurrentOptions(
              r, config(type, "units", r.units(), "returnSequences", r.returnsSequences()));
        },
        c ->
            withRecurrentOptions(
                c,
                make.apply(c.intOption("units")).returnSequences(c.boolOption("returnSequences"))));
  }

  private static LayerConfig withRecurrentOptions(RecurrentLayer r, LayerConfig c) {
    Map<String, Object> options = new LinkedHashMap<>(c.options());
    if (r.dropoutRate() > 0) {
      options.put("dropout", r.dropoutRate());
    }
    if (r.recurrentDropoutRate() > 0) {
      options.put("recurrentDropout", r.recurrentDropoutRate());
    }
    if (r.isStateful()) {
      options.put("stateful", true);
    }
    if (r.returnsState()) {
      options.put("returnState", true);
    }
    return new LayerConfig(c.type(), options, null);
  }

  /**
   * Sets the dropout rates (absent: 0) and state flags (absent: false) a description gives on a new
   * recurrent layer.
   */
  private static RecurrentLayer withRecurrentOptions(LayerConfig c, RecurrentLayer r) {
    return r.dropout(c.doubleOption("dropout", 0))
        .recurrentDropout(c.doubleOption("recurrentDropout", 0))
        .stateful(c.boolOption("stateful", false))
        .returnState(c.boolOption("returnState", false));
  }

  private static String lower(Activation a) {
    return a.name().toLowerCase(Locale.ROOT);
  }

  private static Activation activation(LayerConfig c) {
    return Activation.parse(c.stringOption("activation"));
  }

  private static ConvPadding padding(LayerConfig c) {
    String name = c.stringOption("padding");
    for (ConvPadding p : ConvPadding.values()) {
      if (p.name().toLowerCase(Locale.ROOT).equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "Conv1D: unknown padding '" + name + "'; expected valid, same or causal");
  }
}
