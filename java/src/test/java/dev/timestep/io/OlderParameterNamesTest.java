package dev.timestep.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.GRU;
import dev.timestep.nn.Layer;
import dev.timestep.nn.LayerNormSimpleRNN;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written before the GRU's recurrent bias and the LN cell's γβ had names of their own call
 * both "{layer}/extra"; they still load, to the same predictions. Any other unknown name is still
 * refused.
 */
class OlderParameterNamesTest {
  private static final Backend REFERENCE = ModelFixtures.backend("reference");

  @TempDir Path dir;

  @Test
  void aGruFileWithTheOlderNameLoads() throws Exception {
    loadsUnderTheOlderName(new GRU(3), "gru/recurrent_bias", "gru/extra");
  }

  @Test
  void aLayerNormCellFileWithTheOlderNameLoads() throws Exception {
    loadsUnderTheOlderName(
        new LayerNormSimpleRNN(3), "layernormsimplernn/layer_norm", "layernormsimplernn/extra");
  }

  @Test
  void anotherNameIsStillRefused() throws Exception {
    Path good = saved(new GRU(3));
    Path bad = renamed(good, "gru/recurrent_bias", "gru/bias2");
    ModelFileException e =
        assertThrows(ModelFileException.class, () -> ModelFile.load(bad, REFERENCE));
    assertTrue(e.getMessage().contains("gru/bias2"), e.getMessage());
  }

  private void loadsUnderTheOlderName(Layer recurrent, String name, String olderName)
      throws Exception {
    Path good = saved(recurrent);
    Path older = renamed(good, name, olderName);
    NDArray x = input();
    try (Sequential a = ModelFile.load(good, REFERENCE).model();
        Sequential b = ModelFile.load(older, REFERENCE).model()) {
      assertArrayEquals(a.predict(x).data(), b.predict(x).data());
    }
  }

  private Path saved(Layer recurrent) throws Exception {
    Path file = dir.resolve("good.tsm");
    try (Sequential m = new Sequential(recurrent, new Dense(1)).seed(4).backend(REFERENCE)) {
      m.compile(Loss.mse(), new Adam(1e-2));
      m.build(Shape.of(5, 1));
      m.trainOnBatch(input(), NDArray.zeros(2, 1)); // moves the arrays away from their init
      ModelFile.save(m, file);
    }
    return file;
  }

  private static NDArray input() {
    SplittableRandom r = new SplittableRandom(3);
    float[] v = new float[2 * 5];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextDouble(-1, 1);
    }
    return new NDArray(Shape.of(2, 5, 1), v);
  }

  /** {@code good} with one tensor renamed in its header, under a fresh checksum. */
  private Path renamed(Path good, String from, String to) throws Exception {
    ModelContainer.Contents c = ModelContainer.read(good);
    float[] payload = new float[c.payload().capacity() / 4];
    c.payload().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(payload);
    String header = new String(c.header(), StandardCharsets.UTF_8).stripTrailing();
    assertTrue(header.contains("\"" + from + "\""), header);
    String edited = header.replace("\"" + from + "\"", "\"" + to + "\"");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelContainer.write(out, edited.getBytes(StandardCharsets.UTF_8), List.of(payload));
    Path file = dir.resolve("renamed.tsm");
    Files.write(file, out.toByteArray());
    return file;
  }
}
