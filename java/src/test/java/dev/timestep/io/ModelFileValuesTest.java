package dev.timestep.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Loss;
import dev.timestep.nn.RepeatVector;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.Shape;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file whose checksum is right but whose values cannot make a working model is refused at
 * load with one line naming the file and the tensor or layer: NaN or infinite weights (which would
 * print NaN forecasts with exit 0) and layer sizes whose outputs no array can hold (which would end
 * in an OutOfMemoryError at the first prediction).
 */
class ModelFileValuesTest {
  private static final Backend REFERENCE = ModelFixtures.backend("reference");

  @TempDir Path dir;

  private ModelFileException loadFails(Path file) {
    ModelFileException e =
        assertThrows(ModelFileException.class, () -> ModelFile.load(file, REFERENCE));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    return e;
  }

  private static void assertContains(String expected, Exception e) {
    assertTrue(
        e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }

  /** {@code good} rewritten with its header and payload edited, under a fresh checksum. */
  private Path rewritten(Path good, UnaryOperator<String> header, int payloadIndex, float value)
      throws Exception {
    ModelContainer.Contents c = ModelContainer.read(good);
    float[] payload = new float[c.payload().capacity() / 4];
    c.payload().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(payload);
    if (payloadIndex >= 0) {
      payload[payloadIndex < payload.length ? payloadIndex : payload.length - 1] = value;
    }
    String text = header.apply(new String(c.header(), StandardCharsets.UTF_8).stripTrailing());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelContainer.write(out, text.getBytes(StandardCharsets.UTF_8), List.of(payload));
    Path bad = dir.resolve("bad.tsm");
    Files.write(bad, out.toByteArray());
    return bad;
  }

  private Path savedSmallModel() throws Exception {
    Path good = dir.resolve("good.tsm");
    try (Sequential m = ModelFixtures.smallTrained(3, 2)) {
      ModelFile.save(m, good);
    }
    return good;
  }

  @Test
  void aNonFiniteWeightIsRefusedNamingTheTensor() throws Exception {
    Path good = savedSmallModel();
    // payload order: simplernn/kernel [1, 3] first
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      ModelFileException e = loadFails(rewritten(good, h -> h, 1, bad));
      assertContains(
          "parameter 1 (simplernn/kernel) holds "
              + bad
              + " at index 1; a model file's values must be"
              + " finite",
          e);
    }
  }

  @Test
  void aNonFiniteOptimizerMomentIsRefusedToo() throws Exception {
    Path good = savedSmallModel();
    ModelFileException e =
        loadFails(rewritten(good, h -> h, Integer.MAX_VALUE, Float.POSITIVE_INFINITY));
    assertContains("optimizer tensor adam/v holds Infinity at index", e);
  }

  @Test
  void aRepeatVectorWhoseOutputNoArrayCanHoldIsRefused() throws Exception {
    Path good = dir.resolve("repeat.tsm");
    try (Sequential m =
        new Sequential(new Dense(2), new RepeatVector(3), new SimpleRNN(2), new Dense(1))
            .backend(REFERENCE)
            .seed(1)) {
      m.compile(Loss.mse(), new Adam());
      m.build(Shape.of(4));
      ModelFile.save(m, good);
    }
    Path bad = rewritten(good, h -> h.replace("\"n\" : 3", "\"n\" : " + Integer.MAX_VALUE), -1, 0);
    ModelFileException e = loadFails(bad);
    assertContains(
        "layer 2 (RepeatVector(2147483647)) output per sample: shape [2147483647, 2] holds 4294967294"
            + " values, more than one Java array can hold (2147483639)",
        e);
  }
}
