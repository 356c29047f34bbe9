package dev.timestep.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.nn.Sequential;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A bad model file fails to load with a one-line {@link ModelFileException} that names the file and
 * says what is wrong: truncated, corrupted (CRC mismatch), not a model file, another format
 * version, or a header this build cannot use.
 */
class ModelFileCorruptionTest {
  private static final Backend REFERENCE = ModelFixtures.backend("reference");

  @TempDir Path dir;
  private Path good;
  private byte[] bytes;

  @BeforeEach
  void saveAGoodFile() throws Exception {
    good = dir.resolve("good.tsm");
    try (Sequential m = ModelFixtures.smallTrained(3, 2)) {
      ModelFile.save(m, good);
    }
    bytes = Files.readAllBytes(good);
    try (SavedModel loaded = ModelFile.load(good, REFERENCE)) {
      assertEquals(2, loaded.model().optimizer().iterations()); // the starting file is sound
    }
  }

  private ModelFileException loadFails(byte[] content) throws Exception {
    Path bad = dir.resolve("bad.tsm");
    Files.write(bad, content);
    ModelFileException e =
        assertThrows(ModelFileException.class, () -> ModelFile.load(bad, REFERENCE));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(e.getMessage().contains(bad.toString()), "names the file: " + e.getMessage());
    return e;
  }

  private static void assertContains(String expected, Exception e) {
    assertTrue(
        e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }

  @ParameterizedTest(name = "cut to {0} bytes")
  @ValueSource(ints = {0, 5, 8, 11, 16, 23, 40, -200, -4, -1})
  void aTruncatedFileSaysSo(int cut) throws Exception {
    int keep = cut >= 0 ? cut : bytes.length + cut;
    assertContains("is truncated", loadFails(Arrays.copyOf(bytes, keep)));
  }

  @Test
  void halfAFileSaysHowLongItShouldBe() throws Exception {
    ModelFileException e = loadFails(Arrays.copyOf(bytes, bytes.length / 2));
    assertContains("it has " + bytes.length / 2 + " bytes, its prefix says " + bytes.length, e);
  }

  @ParameterizedTest(name = "byte {0} flipped")
  @ValueSource(ints = {30, 100, -40, -12, -5, -1})
  void aFlippedByteFailsTheChecksum(int at) throws Exception {
    byte[] flipped = bytes.clone();
    int i = at >= 0 ? at : bytes.length + at;
    flipped[i] ^= 0x10;
    assertContains("is corrupted: CRC32 mismatch", loadFails(flipped));
  }

  @Test
  void extraBytesAfterTheChecksumAreRefused() throws Exception {
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    assertContains("3 unexpected bytes after its checksum", loadFails(longer));
  }

  @Test
  void aFileOfAnotherKindIsNotAModelFile() throws Exception {
    assertContains(
        "is not a Timestep model file",
        loadFails("date,value\n2020-01-01,1.5\n".getBytes(StandardCharsets.UTF_8)));
    assertContains(
        "is not a Timestep model file", loadFails(new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
    byte[] almost = bytes.clone();
    almost[0] = 0x09; // a copy that lost the high bit
    ModelFileException e = loadFails(almost);
    assertContains(
        "starts with 09 54 53 4D 0D 0A 1A 0A where a model file starts with 89 54 53 4D 0D 0A 1A 0A",
        e);
  }

  @ParameterizedTest(name = "version {0}")
  @ValueSource(ints = {7, 2, 0})
  void anotherFormatVersionSaysWhichVersionItIs(int version) throws Exception {
    byte[] other = bytes.clone();
    ByteBuffer.wrap(other).order(ByteOrder.LITTLE_ENDIAN).putInt(8, version);
    rewriteCrc(other); // a sound file in every other respect
    ModelFileException e = loadFails(other);
    assertContains("model file format version " + version + ", this build reads version 1", e);
  }

  @Test
  void aVersion7FileIsRefusedWithItsPathAndBothVersions() throws Exception {
    byte[] other = bytes.clone();
    ByteBuffer.wrap(other).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 7);
    Path bad = dir.resolve("bad.tsm");
    Files.write(bad, other);
    ModelFileException e =
        assertThrows(ModelFileException.class, () -> ModelFile.load(bad, REFERENCE));
    assertEquals(bad + ": model file format version 7, this build reads version 1", e.getMessage());
  }

  @Test
  void aMissingFileIsAnIoError() {
    assertThrows(
        NoSuchFileException.class, () -> ModelFile.load(dir.resolve("absent.tsm"), REFERENCE));
  }

  @Test
  void anUnknownLayerTypeIsNamed() throws Exception {
    ModelFileException e = loadFails(withHeader(h -> h.replace("\"SimpleRNN\"", "\"QuantumRNN\"")));
    assertContains(
        "describes a model this build cannot rebuild: layer 1: unknown layer type 'QuantumRNN'", e);
  }

  @Test
  void aHyperParameterThatDisagreesWithTheWeightsIsCaught() throws Exception {
    ModelFileException e =
        loadFails(withHeader(h -> h.replaceFirst("\"units\" : 3", "\"units\" : 4")));
    assertContains(
        "parameter 1 is simplernn/kernel [1, 3] in the file but the model it describes declares "
            + "simplernn/kernel [1, 4]",
        e);
  }

  @Test
  void aLayerOptionOfTheWrongTypeIsNamed() throws Exception {
    ModelFileException e =
        loadFails(withHeader(h -> h.replaceFirst("\"units\" : 3", "\"units\" : \"three\"")));
    assertContains("layer 1: SimpleRNN: option 'units' must be an integer, got three", e);
  }

  @Test
  void anInvalidLayerValueGivesTheLayersOwnMessage() throws Exception {
    ModelFileException e =
        loadFails(withHeader(h -> h.replaceFirst("\"units\" : 3", "\"units\" : 0")));
    assertContains("SimpleRNN: units must be at least 1, got 0", e);
  }

  @Test
  void brokenJsonIsAnInvalidHeader() throws Exception {
    ModelFileException e = loadFails(withHeader(h -> h.substring(0, h.length() / 2)));
    assertContains("has an invalid header: the header is not valid JSON", e);
  }

  @Test
  void unknownHeaderKeysAreRefused() throws Exception {
    ModelFileException e =
        loadFails(withHeader(h -> h.replaceFirst("\\{", "{ \"dropout\" : 0.5,")));
    assertContains("has an invalid header: header has unknown keys [dropout]", e);
  }

  @Test
  void unknownTensorKeysAreRefused() throws Exception {
    ModelFileException e =
        loadFails(
            withHeader(
                h ->
                    h.replaceFirst(
                        "\"role\" : \"optimizer\",",
                        "\"role\" : \"optimizer\", \"dtype\" : \"bfloat16\",")));
    assertContains("header.tensors[5] has unknown keys [dtype]", e);
  }

  @Test
  void aTensorTableThatDoesNotCoverThePayloadIsRefused() throws Exception {
    ModelContainer.Contents c = ModelContainer.read(good);
    String header = new String(c.header(), StandardCharsets.UTF_8);
    // Drop the last table row (adam/v): the payload then holds bytes that no tensor claims.
    int last = header.lastIndexOf(", {");
    String shorter = header.substring(0, last) + " ] }";
    ModelFileException e = loadFails(container(shorter, payloadOf(c)));
    assertContains("its tensor table covers", e);
  }

  /** The good file with its header rewritten and a fresh checksum, so only the header is wrong. */
  private byte[] withHeader(UnaryOperator<String> edit) throws Exception {
    ModelContainer.Contents c = ModelContainer.read(good);
    String header = new String(c.header(), StandardCharsets.UTF_8).stripTrailing();
    String edited = edit.apply(header);
    assertFalse(edited.equals(header), "the edit must change the header");
    return container(edited, payloadOf(c));
  }

  private static float[] payloadOf(ModelContainer.Contents c) {
    float[] all = new float[c.payload().capacity() / 4];
    c.payload().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(all);
    return all;
  }

  private static byte[] container(String header, float[] payload) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelContainer.write(out, header.getBytes(StandardCharsets.UTF_8), List.of(payload));
    return out.toByteArray();
  }

  private static void rewriteCrc(byte[] file) {
    CRC32 crc = new CRC32();
    crc.update(file, 0, file.length - 4);
    ByteBuffer.wrap(file)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(file.length - 4, (int) crc.getValue());
  }
}
