package dev.timestep.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Activation;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.nn.Bidirectional;
import dev.timestep.nn.Concatenate;
import dev.timestep.nn.Dense;
import dev.timestep.nn.GRU;
import dev.timestep.nn.Input;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Metric;
import dev.timestep.nn.Model;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.Symbolic;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functional models and Bidirectional in model files: the graph (two inputs, a shared layer, two
 * outputs, loss weights) survives a save and a load, predictions and one more training step are
 * bit-identical, and each loader refuses the other kind of file.
 */
class FunctionalModelFileTest {
  private static final ReferenceBackend F32 = ReferenceBackend.float32();
  @TempDir Path dir;

  private static NDArray random(long seed, int... dims) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, dims);
  }

  private static Model twoInTwoOut() {
    Symbolic series = Input.of(6, 2);
    Symbolic extra = Input.of(3);
    Dense shared = new Dense(4, Activation.TANH);
    Symbolic s = new Bidirectional(new GRU(3), Bidirectional.MergeMode.SUM).apply(series);
    Symbolic joined = new Concatenate().apply(s, shared.apply(extra));
    Symbolic again = shared.apply(new Dense(3).apply(joined));
    return new Model(
            List.of(series, extra), List.of(new Dense(1).apply(joined), new Dense(2).apply(again)))
        .seed(9)
        .backend(F32);
  }

  @Test
  void aTrainedGraphRoundTripsBitForBit() throws Exception {
    List<NDArray> x = List.of(random(1, 20, 6, 2), random(2, 20, 3));
    List<NDArray> y = List.of(random(3, 20, 1), random(4, 20, 2));
    Path file = dir.resolve("graph.tsm");
    try (Model m = twoInTwoOut()) {
      m.compile(Loss.mse(), new double[] {1, 0.25}, new Adam(1e-2), Metric.mse());
      m.trainOnBatch(x, y);
      ModelFile.saveFunctional(m, file, ModelMetadata.builder().put("note", "two heads").build());
      try (SavedFunctional loaded = ModelFile.loadFunctional(file, F32)) {
        Model l = loaded.model();
        assertEquals("two heads", loaded.metadata().text("note").orElseThrow());
        assertEquals(m.nodes(), l.nodes());
        assertEquals(m.outputConnections(), l.outputConnections());
        assertEquals(m.inputShapes(), l.inputShapes());
        assertArrayEquals(new double[] {1, 0.25}, l.lossWeights());
        List<NDArray> p = m.predict(x);
        List<NDArray> q = l.predict(x);
        for (int k = 0; k < 2; k++) {
          assertArrayEquals(p.get(k).data(), q.get(k).data(), "output " + (k + 1));
        }
        assertEquals(m.trainOnBatch(x, y), l.trainOnBatch(x, y));
        assertArrayEquals(
            F32.download(m.parameters().values()).data(),
            F32.download(l.parameters().values()).data());
        assertEquals(m.evaluate(x, y, 8), l.evaluate(x, y, 8));
      }
    }
    String header = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    assertTrue(header.contains("\"model\" : \"Functional\""), header.substring(0, 400));
    assertTrue(header.contains("\"type\" : \"Bidirectional\""));
  }

  @Test
  void eachLoaderRefusesTheOtherKindOfFile() throws Exception {
    Path functional = dir.resolve("f.tsm");
    Path sequential = dir.resolve("s.tsm");
    try (Model m = twoInTwoOut();
        Sequential s = new Sequential(new Dense(1)).backend(F32)) {
      m.build();
      ModelFile.saveFunctional(m, functional);
      s.build(Shape.of(3));
      ModelFile.save(s, sequential);
    }
    ModelFileException e =
        assertThrows(ModelFileException.class, () -> ModelFile.load(functional, F32));
    assertTrue(e.getMessage().contains("loadFunctional"), e.getMessage());
    e = assertThrows(ModelFileException.class, () -> ModelFile.loadFunctional(sequential, F32));
    assertTrue(e.getMessage().contains("holds a Sequential model"), e.getMessage());
    // A Sequential file has no "model" key: it is written exactly as before functional models.
    String header = new String(Files.readAllBytes(sequential), StandardCharsets.ISO_8859_1);
    assertFalse(header.contains("\"model\""));
  }

  @Test
  void aBidirectionalSequentialRoundTrips() throws Exception {
    NDArray x = random(5, 10, 5, 1);
    NDArray y = random(6, 10, 5, 4);
    Path file = dir.resolve("bi.tsm");
    try (Sequential m =
        new Sequential(new Bidirectional(new LSTM(2).returnSequences(true).dropout(0.1)))
            .backend(F32)
            .seed(3)) {
      m.compile(Loss.mse(), new Adam(1e-2));
      m.trainOnBatch(x, y);
      ModelFile.save(m, file);
      try (SavedModel loaded = ModelFile.load(file, F32)) {
        assertEquals(m.layers().get(0).name(), loaded.model().layers().get(0).name());
        assertArrayEquals(m.predict(x).data(), loaded.model().predict(x).data());
        assertEquals(m.trainOnBatch(x, y), loaded.model().trainOnBatch(x, y));
      }
    }
  }

  @Test
  void aConnectionToANodeNotYetRunIsRefused() throws Exception {
    Path file = dir.resolve("f.tsm");
    try (Model m = twoInTwoOut()) {
      m.build();
      ModelFile.saveFunctional(m, file);
    }
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    // The first node reads input 1 ([0, 0]); make it read its own output (source 2) instead.
    int at = text.indexOf("\"inbound\" : [ [ 0, 0 ] ]");
    assertTrue(at > 0, text.substring(0, 600));
    byte[] edited =
        text.substring(0, at)
            .concat("\"inbound\" : [ [ 2, 0 ] ]")
            .concat(text.substring(at + "\"inbound\" : [ [ 0, 0 ] ]".length()))
            .getBytes(StandardCharsets.ISO_8859_1);
    Files.write(file, withFixedCrc(edited));
    ModelFileException e =
        assertThrows(ModelFileException.class, () -> ModelFile.loadFunctional(file, F32));
    assertTrue(e.getMessage().contains("earlier node"), e.getMessage());
  }

  /** The file with its trailing CRC-32 recomputed (the edit keeps every length). */
  private static byte[] withFixedCrc(byte[] file) {
    CRC32 crc = new CRC32();
    crc.update(file, 0, file.length - 4);
    ByteBuffer.wrap(file)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(file.length - 4, (int) crc.getValue());
    return file;
  }
}
