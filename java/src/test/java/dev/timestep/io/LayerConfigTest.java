package dev.timestep.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
import dev.timestep.nn.BatchNormalization;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Layer;
import dev.timestep.nn.LayerNormSimpleRNN;
import dev.timestep.nn.LayerNormalization;
import dev.timestep.nn.RepeatVector;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each built-in layer is described by its type and hyper-parameters and rebuilt from them. */
class LayerConfigTest {

  static Stream<Layer> everyLayerType() {
    return Stream.of(
        new Dense(7, Activation.SIGMOID),
        new Flatten(),
        new SimpleRNN(5).activation(Activation.RELU).returnSequences(true),
        new LayerNormSimpleRNN(4).activation(Activation.LINEAR),
        new LSTM(3).returnSequences(true),
        new GRU(6),
        new Conv1D(8, 3)
            .strides(2)
            .dilationRate(3)
            .padding(ConvPadding.SAME)
            .activation(Activation.TANH)
            .useBias(false),
        new LayerNormalization(),
        new BatchNormalization(),
        new TimeDistributed(new TimeDistributed(new Dense(2))),
        new Dropout(0.35),
        new RepeatVector(12),
        new SimpleRNN(3).dropout(0.1).recurrentDropout(0.2),
        new LSTM(2).recurrentDropout(0.5),
        new GRU(4).dropout(0.3),
        new LayerNormSimpleRNN(2).dropout(0.05).recurrentDropout(0.15));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyLayerType")
  void describingThenRebuildingGivesTheSameLayer(Layer layer) {
    LayerConfig config = LayerConfig.of(layer);
    Layer rebuilt = config.newLayer();
    assertEquals(layer.getClass(), rebuilt.getClass());
    assertEquals(layer.name(), rebuilt.name());
    assertEquals(config, LayerConfig.of(rebuilt));
  }

  @Test
  void theOptionsAreTheKerasHyperParameters() {
    LayerConfig conv = LayerConfig.of(new Conv1D(20, 4).strides(2).padding(ConvPadding.CAUSAL));
    assertEquals("Conv1D", conv.type());
    assertEquals(
        Map.of(
            "filters",
            20,
            "kernelSize",
            4,
            "strides",
            2,
            "dilationRate",
            1,
            "padding",
            "causal",
            "activation",
            "linear",
            "useBias",
            true),
        conv.options());
    LayerConfig lstm = LayerConfig.of(new LSTM(20).returnSequences(true));
    assertEquals(Map.of("units", 20, "returnSequences", true), lstm.options());
    LayerConfig td = LayerConfig.of(new TimeDistributed(new Dense(10)));
    assertEquals(
        new LayerConfig("Dense", Map.of("units", 10, "activation", "linear"), null), td.inner());
  }

  private static void assertRefused(String expected, LayerConfig config) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, config::newLayer);
    assertTrue(
        e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }

  @Test
  void badConfigsAreRefusedWithTheReason() {
    assertRefused(
        "unknown layer type 'Attention'; this build knows [Dense, Flatten",
        new LayerConfig("Attention", Map.of("heads", 2), null));
    assertRefused(
        "Dropout: option 'rate' must be a number, got 0.5",
        new LayerConfig("Dropout", Map.of("rate", "0.5"), null));
    assertRefused(
        "Dropout: rate must be in [0, 1)", new LayerConfig("Dropout", Map.of("rate", 1.0), null));
    assertRefused(
        "GRU: recurrentDropout must be in [0, 1)",
        new LayerConfig(
            "GRU", Map.of("units", 3, "returnSequences", false, "recurrentDropout", 1.5), null));
    assertRefused(
        "RepeatVector: n (the number of output steps) must be at least 1",
        new LayerConfig("RepeatVector", Map.of("n", 0), null));
    assertRefused(
        "Dense takes the options [units, activation], got [units]",
        new LayerConfig("Dense", Map.of("units", 3), null));
    Map<String, Object> gruWithActivation = new LinkedHashMap<>();
    gruWithActivation.put("units", 3);
    gruWithActivation.put("returnSequences", false);
    gruWithActivation.put("activation", "relu");
    assertRefused(
        "GRU takes the options [units, returnSequences], got [units, returnSequences, activation]; "
            + "optional: [dropout, recurrentDropout, stateful, returnState]",
        new LayerConfig("GRU", gruWithActivation, null));
    assertRefused(
        "Dense: option 'units' must be an integer, got true",
        new LayerConfig("Dense", Map.of("units", true, "activation", "tanh"), null));
    assertRefused(
        "unknown activation 'swish'",
        new LayerConfig("Dense", Map.of("units", 3, "activation", "swish"), null));
    assertRefused(
        "Conv1D: unknown padding 'diagonal'",
        new LayerConfig(
            "Conv1D",
            Map.of(
                "filters",
                2,
                "kernelSize",
                2,
                "strides",
                1,
                "dilationRate",
                1,
                "padding",
                "diagonal",
                "activation",
                "linear",
                "useBias",
                true),
            null));
    assertRefused(
        "Dense: units must be at least 1, got 0",
        new LayerConfig("Dense", Map.of("units", 0, "activation", "linear"), null));
    assertRefused(
        "TimeDistributed needs the layer it wraps",
        new LayerConfig("TimeDistributed", Map.of(), null));
    assertRefused(
        "Flatten wraps no layer but one was given",
        new LayerConfig("Flatten", Map.of(), new LayerConfig("Flatten", Map.of(), null)));
  }

  @Test
  void dropoutRatesAreWrittenOnlyWhenSetAndMayBeLeftOut() {
    assertEquals(
        Map.of("units", 3, "returnSequences", false), LayerConfig.of(new GRU(3)).options());
    assertEquals(
        Map.of("units", 3, "returnSequences", false, "dropout", 0.2),
        LayerConfig.of(new GRU(3).dropout(0.2)).options());
    assertEquals(Map.of("rate", 0.5), LayerConfig.of(new Dropout(0.5)).options());
    assertEquals(Map.of("n", 10), LayerConfig.of(new RepeatVector(10)).options());
    // A hand-written integer rate is a number too.
    LSTM lstm =
        (LSTM)
            new LayerConfig("LSTM", Map.of("units", 2, "returnSequences", true, "dropout", 0), null)
                .newLayer();
    assertEquals(0.0, lstm.dropoutRate());
  }

  @Test
  void optionValuesMustBeIntegersFiniteDoublesBooleansOrStrings() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LayerConfig("Dense", Map.of("units", new StringBuilder("2")), null));
    assertTrue(
        e.getMessage()
            .contains(
                "option units must be an Integer, a finite Double, a Boolean or a String, "
                    + "got StringBuilder"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LayerConfig("Dropout", Map.of("rate", Double.NaN), null));
    assertTrue(e.getMessage().contains("got NaN"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LayerConfig(" ", Map.of(), null));
    assertEquals(
        List.of("units"),
        List.copyOf(new LayerConfig("Dense", Map.of("units", 1), null).options().keySet()));
  }
}
