package dev.timestep.nn;

import static dev.timestep.testing.JsonFixture.list;
import static dev.timestep.testing.JsonFixture.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.JsonFixture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Weights in Keras' layouts mean what Keras and PyTorch mean by them: fixtures/keras-layout.json
 * (written by benchmarks/peer/keras_layout_fixture.py) holds PyTorch models' weights converted to
 * Keras' layouts (LSTM and SimpleRNN transposed with summed biases, GRU gates reordered r, z, n →
 * z, r, h with a [2, 3H] bias, Conv1d [out, in, k] → [k, in, out]) and PyTorch's outputs for one
 * input; the same models here, given those arrays with setWeights, must predict the same.
 */
class KerasLayoutFixtureTest {
  /** Normwise: max |ours − PyTorch's| / max |PyTorch's|. */
  private static final double TOLERANCE = 1e-5;

  /** The Timestep twin of each fixture model, by name. */
  private static final Map<String, Supplier<Sequential>> MODELS =
      Map.of(
          "lstm", () -> new Sequential(new LSTM(4).returnSequences(true), new Dense(2)),
          "rnn-gru",
              () ->
                  new Sequential(new SimpleRNN(4).returnSequences(true), new GRU(3), new Dense(1)),
          "conv1d",
              () ->
                  new Sequential(
                      new Conv1D(4, 3)
                          .padding(ConvPadding.CAUSAL)
                          .dilationRate(2)
                          .activation(Activation.RELU),
                      new Conv1D(2, 2).strides(2)));

  static Stream<Arguments> modelsOnBackends() throws IOException {
    Map<String, Object> fixture = fixture();
    List<Arguments> out = new ArrayList<>();
    for (String backend : List.of("reference", "cpu", "cuda")) {
      for (Object m : list(fixture.get("models"))) {
        out.add(Arguments.of(backend, map(m).get("name")));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("modelsOnBackends")
  void predictsWhatPyTorchComputes(String backend, String name) throws IOException {
    Map<String, Object> fixture = fixture();
    Map<String, Object> model = null;
    for (Object m : list(fixture.get("models"))) {
      if (name.equals(map(m).get("name"))) {
        model = map(m);
      }
    }
    assertNotNull(model);
    NDArray x = array(fixture.get("input"));
    List<NDArray> weights = new ArrayList<>();
    for (Object w : list(model.get("weights"))) {
      weights.add(array(w));
    }
    NDArray expected = array(model.get("expected"));
    try (Sequential m = MODELS.get(name).get().backend(WeightsRoundTripTest.backend(backend))) {
      m.build(x.shape().dropFirst());
      m.setWeights(weights);
      NDArray actual = m.predict(x);
      assertEquals(expected.shape(), actual.shape());
      double scale = 0;
      double worst = 0;
      for (int i = 0; i < expected.data().length; i++) {
        scale = Math.max(scale, Math.abs(expected.data()[i]));
        worst = Math.max(worst, Math.abs(actual.data()[i] - expected.data()[i]));
      }
      assertTrue(
          worst <= TOLERANCE * scale,
          name
              + " on "
              + backend
              + ": max |difference| "
              + worst
              + " exceeds "
              + TOLERANCE
              + " × max |expected| "
              + scale
              + " (fixture from torch "
              + fixture.get("torch")
              + ")");
      assertTrue(scale > 0.1, "the fixture's outputs are not all near zero");
    }
  }

  private static Map<String, Object> fixture() throws IOException {
    return JsonFixture.resource("/fixtures/keras-layout.json");
  }

  /** {"shape": [...], "values": [...]} as an array (float32 values; float64 ones rounded). */
  private static NDArray array(Object json) {
    return JsonFixture.array(json, "values");
  }
}
