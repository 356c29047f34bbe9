package dev.timestep.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.ConvPadding;
import dev.timestep.nn.BatchNormalization;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads a saved file by following docs/MODEL-FORMAT.md alone (plain byte offsets, CRC32, the JSON
 * header, float32 values at the table's offsets) and finds the model's exact values, so the
 * document and the writer agree.
 */
class ModelFileLayoutTest {
  @TempDir Path dir;

  @Test
  void theFileIsLaidOutAsDocumented() throws Exception {
    Path file = dir.resolve("layout.tsm");
    NDArray x = ModelFixtures.inputs(2, 8, 2);
    byte[] bytes;
    List<float[]> expected = new ArrayList<>();
    try (Sequential m =
        new Sequential(
                new Conv1D(3, 2).padding(ConvPadding.CAUSAL),
                new BatchNormalization(),
                new Flatten(),
                new Dense(2))
            .seed(4)
            .backend(ModelFixtures.backend("reference"))) {
      m.compile(Loss.mse(), new Adam(0.01));
      m.build(Shape.of(8, 2));
      m.trainOnBatch(x, ModelFixtures.targetsFor(m, x, 3));
      ModelFile.save(m, file);
      ParameterStore store = m.parameters();
      store.parameters().forEach(p -> expected.add(m.backend().download(p.value()).data()));
      for (int i = 0; i < store.stateCount(); i++) {
        expected.add(m.backend().download(store.state(i)).data());
      }
      Adam adam = (Adam) m.optimizer();
      expected.add(adam.firstMoment().data());
      expected.add(adam.secondMoment().data());
    }
    bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

    assertArrayEquals(
        new byte[] {(byte) 0x89, 'T', 'S', 'M', '\r', '\n', 0x1a, '\n'},
        java.util.Arrays.copyOf(bytes, 8));
    assertEquals(1, b.getInt(8), "format version");
    int h = b.getInt(12);
    long p = b.getLong(16);
    assertEquals(0, h % 8, "header length is a multiple of 8");
    assertEquals(28 + h + p, bytes.length, "file length");
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, 24 + h + (int) p);
    assertEquals((int) crc.getValue(), b.getInt(24 + h + (int) p), "CRC32 of everything before it");

    Map<String, Object> header =
        JsonTree.parseObject(java.util.Arrays.copyOfRange(bytes, 24, 24 + h));
    assertEquals(List.of(8L, 2L), header.get("inputShape"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> tensors = (List<Map<String, Object>>) header.get("tensors");
    List<String> roles = tensors.stream().map(t -> (String) t.get("role")).toList();
    assertEquals(
        List.of(
            "parameter",
            "parameter",
            "parameter",
            "parameter",
            "parameter",
            "parameter",
            "state",
            "state",
            "optimizer",
            "optimizer"),
        roles);
    assertEquals("batch_normalization/moving_mean", tensors.get(6).get("name"));
    assertEquals(expected.size(), tensors.size());
    for (int i = 0; i < tensors.size(); i++) {
      int offset = Math.toIntExact((Long) tensors.get(i).get("offset"));
      int length = Math.toIntExact((Long) tensors.get(i).get("length"));
      float[] values = new float[length / 4];
      ByteBuffer.wrap(bytes, 24 + h + offset, length)
          .slice()
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(values);
      assertArrayEquals(expected.get(i), values, "tensor " + i + " " + tensors.get(i).get("name"));
    }
    String json = new String(bytes, 24, h, StandardCharsets.UTF_8);
    int end = json.lastIndexOf('}') + 1;
    assertEquals(" ".repeat(h - end), json.substring(end), "the header is padded with spaces only");
    assertTrue(h - end < 8, "at most 7 bytes of padding, got " + (h - end));
  }
}
