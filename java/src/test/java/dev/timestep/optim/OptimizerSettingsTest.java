package dev.timestep.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Keras' defaults, the refusal of bad hyper-parameters, slots, and restoring a state. */
class OptimizerSettingsTest {

  private static void refused(String fragment, Executable create) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, create);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void defaultsAreKeras() {
    try (SGD sgd = new SGD();
        RMSprop rmsprop = new RMSprop();
        Adam adam = new Adam();
        AdamW adamw = new AdamW()) {
      assertEquals(0.01, sgd.learningRate());
      assertEquals(0.0, sgd.momentum());
      assertFalse(sgd.nesterov());
      assertEquals(1e-3, rmsprop.learningRate());
      assertEquals(0.9, rmsprop.rho());
      assertEquals(0.0, rmsprop.momentum());
      assertEquals(1e-7, rmsprop.epsilon());
      assertFalse(rmsprop.centered());
      assertFalse(adam.amsgrad());
      assertEquals(1e-3, adamw.learningRate());
      assertEquals(0.004, adamw.weightDecay());
      assertEquals(0.9, adamw.beta1());
      assertEquals(0.999, adamw.beta2());
      assertEquals(1e-7, adamw.epsilon());
      assertFalse(adamw.amsgrad());
    }
  }

  @Test
  void slotsExistOnlyForTheSettingsThatUseThem() {
    assertEquals(List.of(), new SGD(0.1).slotNames());
    assertEquals(List.of("velocity"), new SGD(0.1, 0.9).slotNames());
    assertEquals(List.of("velocity"), new RMSprop().slotNames());
    assertEquals(
        List.of("velocity", "momentum", "averageGradient"),
        new RMSprop(1e-3, 0.9, 0.5, 1e-7, true).slotNames());
    assertEquals(List.of("m", "v"), new Adam().slotNames());
    assertEquals(List.of("m", "v", "vhat"), new Adam(1e-3, 0.9, 0.999, 1e-7, true).slotNames());
    assertEquals(List.of("m", "v"), new AdamW().slotNames());
  }

  @Test
  void toStringNamesTheSettings() {
    assertEquals("SGD(lr=0.1, momentum=0.9, nesterov=true)", new SGD(0.1, 0.9, true).toString());
    assertEquals(
        "RMSprop(lr=0.001, rho=0.9, momentum=0.0, epsilon=1.0E-7, centered=true, clipnorm=1.0)",
        new RMSprop(1e-3, 0.9, 0, 1e-7, true).clipNorm(1).toString());
    assertEquals("Adam(lr=0.001, amsgrad=true)", new Adam(1e-3, 0.9, 0.999, 1e-7, true).toString());
    assertEquals("AdamW(lr=0.001, weight_decay=0.004)", new AdamW().toString());
  }

  @Test
  void badHyperParametersAreRefusedNamingThem() {
    for (double lr : new double[] {0, -1e-3, Double.NaN, Double.POSITIVE_INFINITY}) {
      refused("SGD: learning rate", () -> new SGD(lr));
      refused("RMSprop: learning rate", () -> new RMSprop(lr));
      refused("AdamW: learning rate", () -> new AdamW(lr));
    }
    refused("SGD: momentum must be in [0, 1]", () -> new SGD(0.1, -0.1));
    refused("SGD: momentum must be in [0, 1]", () -> new SGD(0.1, 1.5));
    refused("SGD: momentum must be in [0, 1]", () -> new SGD(0.1, Double.NaN));
    refused("RMSprop: rho must be in [0, 1)", () -> new RMSprop(1e-3, 1, 0, 1e-7, false));
    refused("RMSprop: rho must be in [0, 1)", () -> new RMSprop(1e-3, -0.1, 0, 1e-7, false));
    refused("RMSprop: momentum must be in [0, 1]", () -> new RMSprop(1e-3, 0.9, 2, 1e-7, false));
    refused("RMSprop: epsilon", () -> new RMSprop(1e-3, 0.9, 0, 0, false));
    refused("RMSprop: epsilon", () -> new RMSprop(1e-3, 0.9, 0, Double.NaN, false));
    refused("Adam: beta1 and beta2", () -> new Adam(1e-3, 1, 0.999, 1e-7, true));
    refused("Adam: epsilon", () -> new Adam(1e-3, 0.9, 0.999, 0, true));
    refused("AdamW: weight decay", () -> new AdamW(1e-3, -0.1));
    refused("AdamW: weight decay", () -> new AdamW(1e-3, Double.NaN));
    refused("AdamW: beta1 and beta2", () -> new AdamW(1e-3, 0.004, 0.9, 1, 1e-7, false));
    refused("AdamW: epsilon", () -> new AdamW(1e-3, 0.004, 0.9, 0.999, -1, false));
    refused("learning rate × weight decay must be < 1", () -> new AdamW(0.5, 2));
    try (AdamW adamw = new AdamW(0.1, 2)) {
      refused("learning rate × weight decay must be < 1", () -> adamw.setLearningRate(0.5));
      assertEquals(0.1, adamw.learningRate(), "a refused rate leaves the old one");
    }
    for (ArenaOptimizer<?> o : List.of(new SGD(), new RMSprop(), new AdamW())) {
      refused("learning rate must be finite and > 0", () -> o.setLearningRate(0));
    }
  }

  @Test
  void restoreTakesEveryNamedSlotAndRefusesOthers() {
    Backend b = ReferenceBackend.float32();
    NDArray three = NDArray.of(new float[] {0.5f, -0.25f, 2f}, 3);
    NDArray two = NDArray.of(new float[] {1f, 2f}, 2);
    try (ParameterStore store = new ParameterStore();
        RMSprop rmsprop = new RMSprop(1e-3, 0.9, 0.5, 1e-7, true)) {
      store.declare("w", Shape.of(3), Initializer.constant(1f));
      store.allocate(b, 0);
      refused("expected the slots", () -> rmsprop.restore(store, 2, Map.of("velocity", three)));
      refused(
          "parameter arena's shape [3], got [2] for momentum",
          () ->
              rmsprop.restore(
                  store, 2, Map.of("velocity", three, "momentum", two, "averageGradient", three)));
      refused(
          "slot values were given for 0 iterations",
          () -> rmsprop.restore(store, 0, Map.of("velocity", three)));
      refused("has no slot 'm'", () -> rmsprop.slot("m"));
      assertNull(rmsprop.slot("velocity"), "no state before the first step");

      rmsprop.restore(
          store, 2, Map.of("velocity", three, "momentum", three, "averageGradient", three));
      assertEquals(2, rmsprop.iterations());
      assertEquals(three.data()[2], rmsprop.slot("averageGradient").data()[2]);
      rmsprop.restore(store, 0, Map.of());
      assertEquals(0f, rmsprop.slot("momentum").data()[1], "iterations 0 zeroes the slots");
    }
  }

  @Test
  void anSgdWithoutMomentumKeepsNoStateButCountsSteps() {
    Backend b = ReferenceBackend.float32();
    try (ParameterStore store = new ParameterStore();
        SGD sgd = new SGD(0.5)) {
      store.declare("w", Shape.of(2), Initializer.constant(1f));
      store.allocate(b, 0);
      sgd.restore(store, 7, Map.of());
      assertEquals(7, sgd.iterations());
      assertEquals(List.of(), sgd.state());
    }
  }
}
