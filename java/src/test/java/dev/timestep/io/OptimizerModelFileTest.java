package dev.timestep.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.optim.Adam;
import dev.timestep.optim.AdamW;
import dev.timestep.optim.ArenaOptimizer;
import dev.timestep.optim.RMSprop;
import dev.timestep.optim.SGD;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model files hold every built-in optimizer with its settings, step count and full state (moments,
 * velocities, vhat), so a loaded model's next steps are exactly the original's; a plain Adam is
 * written as before AMSGrad existed.
 */
class OptimizerModelFileTest {
  @TempDir Path dir;

  private static final Backend REFERENCE = ModelFixtures.backend("reference");

  static Stream<Arguments> optimizers() {
    return Stream.of(
        a("SGD", () -> new SGD(0.05)),
        a("SGD(momentum, nesterov)", () -> new SGD(0.05, 0.9, true)),
        a("RMSprop", () -> new RMSprop(0.01)),
        a("RMSprop(centered, momentum)", () -> new RMSprop(0.01, 0.8, 0.5, 1e-6, true)),
        a("Adam", () -> new Adam(0.02)),
        a("Adam(amsgrad)", () -> new Adam(0.02, 0.8, 0.99, 1e-6, true)),
        a("AdamW", () -> new AdamW(0.02, 0.1)),
        a("AdamW(amsgrad)", () -> new AdamW(0.02, 0.1, 0.8, 0.99, 1e-6, true)));
  }

  private static Arguments a(String name, Supplier<ArenaOptimizer<?>> optimizer) {
    return Arguments.of(name, optimizer);
  }

  /** SimpleRNN(3) -> Dense(1) on [6, 1] samples, compiled with {@code optimizer}, built. */
  private static Sequential model(ArenaOptimizer<?> optimizer) {
    Sequential m = new Sequential(new SimpleRNN(3), new Dense(1)).seed(11).backend(REFERENCE);
    m.compile(Loss.mse(), optimizer);
    m.build(Shape.of(6, 1));
    return m;
  }

  private static void assertSameOptimizer(ArenaOptimizer<?> x, ArenaOptimizer<?> y) {
    assertSame(x.getClass(), y.getClass());
    assertEquals(x.toString(), y.toString(), "settings");
    assertEquals(x.iterations(), y.iterations(), "steps");
    assertEquals(x.slotNames(), y.slotNames());
    for (String slot : x.slotNames()) {
      NDArray a = x.slot(slot);
      NDArray b = y.slot(slot);
      assertTrue((a == null) == (b == null), slot);
      if (a != null) {
        assertArrayEquals(a.data(), b.data(), "slot " + slot);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void aLoadedModelResumesTrainingExactly(String name, Supplier<ArenaOptimizer<?>> optimizer)
      throws Exception {
    Path file = dir.resolve("resume.tsm");
    NDArray x = ModelFixtures.inputs(5, 6, 1);
    try (Sequential original = model(optimizer.get())) {
      NDArray y = ModelFixtures.targetsFor(original, x, 6);
      for (int i = 0; i < 3; i++) {
        original.trainOnBatch(x, y);
      }
      ModelFile.save(original, file);
      try (SavedModel saved = ModelFile.load(file, REFERENCE)) {
        Sequential loaded = saved.model();
        ArenaOptimizer<?> a = (ArenaOptimizer<?>) original.optimizer();
        ArenaOptimizer<?> b = (ArenaOptimizer<?>) loaded.optimizer();
        assertEquals(3, b.iterations());
        assertEquals(a.slotNames().size(), b.state().size(), name + ": every slot restored");
        assertSameOptimizer(a, b);
        for (int i = 0; i < 2; i++) {
          original.trainOnBatch(x, y);
          loaded.trainOnBatch(x, y);
        }
        assertArrayEquals(
            ModelFixtures.weights(original), ModelFixtures.weights(loaded), name + " weights");
        assertSameOptimizer(a, b);
      }
    }
  }

  @Test
  void aModelSavedBeforeItsFirstStepHoldsNoOptimizerTensors() throws Exception {
    Path file = dir.resolve("fresh.tsm");
    try (Sequential m = model(new RMSprop(0.01, 0.9, 0.5, 1e-7, true))) {
      ModelFile.save(m, file);
    }
    assertFalse(header(file).contains("rmsprop/"), "no slot tensors before a step");
    try (SavedModel saved = ModelFile.load(file, REFERENCE)) {
      RMSprop r = (RMSprop) saved.model().optimizer();
      assertEquals(0, r.iterations());
      assertTrue(r.centered());
      assertEquals(0.5, r.momentum());
    }
  }

  @Test
  void aPlainAdamIsWrittenWithTheKeysOlderReadersKnow() throws Exception {
    Path plain = dir.resolve("plain.tsm");
    Path ams = dir.resolve("amsgrad.tsm");
    NDArray x = ModelFixtures.inputs(5, 6, 1);
    try (Sequential m = model(new Adam(0.02));
        Sequential n = model(new Adam(0.02, 0.9, 0.999, 1e-7, true))) {
      m.trainOnBatch(x, ModelFixtures.targetsFor(m, x, 6));
      n.trainOnBatch(x, ModelFixtures.targetsFor(n, x, 6));
      ModelFile.save(m, plain);
      ModelFile.save(n, ams);
    }
    String h = header(plain);
    assertTrue(
        h.replaceAll("\\s", "")
            .contains(
                "\"optimizer\":{\"type\":\"Adam\",\"learningRate\":0.02,\"beta1\":0.9,"
                    + "\"beta2\":0.999,\"epsilon\":1.0E-7,\"iterations\":1}"),
        h);
    assertTrue(h.contains("\"adam/m\"") && h.contains("\"adam/v\""), h);
    String g = header(ams);
    assertTrue(g.contains("\"amsgrad\" : true") && g.contains("\"adam/vhat\""), g);
  }

  private static String header(Path file) throws Exception {
    return new String(ModelContainer.read(file).header(), StandardCharsets.UTF_8);
  }

  /** Saves a trained model with {@code optimizer}, edits its header, and expects the message. */
  private void refusedAfterEdit(
      ArenaOptimizer<?> optimizer, UnaryOperator<String> edit, String expected) throws Exception {
    Path good = dir.resolve("good.tsm");
    NDArray x = ModelFixtures.inputs(5, 6, 1);
    try (Sequential m = model(optimizer)) {
      m.trainOnBatch(x, ModelFixtures.targetsFor(m, x, 6));
      ModelFile.save(m, good);
    }
    ModelContainer.Contents c = ModelContainer.read(good);
    String header = new String(c.header(), StandardCharsets.UTF_8).stripTrailing();
    String edited = edit.apply(header);
    assertFalse(edited.equals(header), "the edit must change the header");
    float[] payload = new float[c.payload().capacity() / 4];
    c.payload().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(payload);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelContainer.write(out, edited.getBytes(StandardCharsets.UTF_8), List.of(payload));
    Path bad = dir.resolve("bad.tsm");
    Files.write(bad, out.toByteArray());
    ModelFileException e =
        assertThrows(ModelFileException.class, () -> ModelFile.load(bad, REFERENCE));
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e);
  }

  @Test
  void headersThatDoNotDescribeTheOptimizerAreRefused() throws Exception {
    refusedAfterEdit(
        new SGD(0.05),
        h -> h.replace("\"type\" : \"SGD\"", "\"type\" : \"Adagrad\""),
        "unknown optimizer type 'Adagrad'; this build knows [Adam, AdamW, SGD, RMSprop]");
    refusedAfterEdit(
        new AdamW(0.02), h -> h.replaceFirst("\"weightDecay\" : [0-9.E-]+,", ""), "'weightDecay'");
    refusedAfterEdit(
        new Adam(0.02),
        h -> h.replace("\"beta1\"", "\"momentum\" : 0.5, \"beta1\""),
        "unknown keys [momentum]");
    // a centered RMSprop's file with the flag turned off describes two slots but holds three
    refusedAfterEdit(
        new RMSprop(0.01, 0.9, 0.5, 1e-7, true),
        h -> h.replace("\"centered\" : true", "\"centered\" : false"),
        "the file has 3 optimizer tensors but the model it describes needs 2");
    refusedAfterEdit(
        new SGD(0.05, 0.5),
        h -> h.replace("\"momentum\" : 0.5", "\"momentum\" : 1.5"),
        "SGD: momentum must be in [0, 1], got 1.5");
  }
}
