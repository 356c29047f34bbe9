package dev.timestep.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saves replace the file atomically: a save that fails midway (the stream to disk throws after half
 * the bytes) leaves the previous file byte for byte, loadable, and no temporary file.
 */
class AtomicSaveTest {
  @TempDir Path dir;
  private Path file;
  private byte[] previous;
  private NDArray x;
  private NDArray previousPrediction;

  /** Passes {@code limit} bytes through, then fails as a full disk or a killed process would. */
  static final class FailingAfter extends FilterOutputStream {
    private final long limit;
    private final boolean unchecked;
    private long written;

    FailingAfter(OutputStream out, long limit, boolean unchecked) {
      super(out);
      this.limit = limit;
      this.unchecked = unchecked;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int allowed = (int) Math.min(len, limit - written);
      out.write(b, off, allowed);
      written += allowed;
      if (allowed < len) {
        if (unchecked) {
          throw new IllegalStateException("simulated crash after " + written + " bytes");
        }
        throw new IOException("simulated full disk after " + written + " bytes");
      }
    }
  }

  @BeforeEach
  void saveAPreviousModel() throws Exception {
    file = dir.resolve("model.tsm");
    x = ModelFixtures.inputs(1, 6, 1);
    try (Sequential m = ModelFixtures.smallTrained(1, 2)) {
      ModelFile.save(m, file);
      previousPrediction = m.predict(x);
    }
    previous = Files.readAllBytes(file);
  }

  private static UnaryOperator<OutputStream> failAfter(long bytes, boolean unchecked) {
    return out -> new FailingAfter(out, bytes, unchecked);
  }

  private List<Path> filesInDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private void assertPreviousFileIntact() throws Exception {
    assertEquals(List.of(file), filesInDir(), "only the model file, no temporary file left behind");
    assertArrayEquals(previous, Files.readAllBytes(file), "the previous file, byte for byte");
    try (SavedModel loaded = ModelFile.load(file, ModelFixtures.backend("reference"))) {
      assertArrayEquals(previousPrediction.data(), loaded.model().predict(x).data());
    }
  }

  private long sizeOfSaving(Sequential m) throws IOException {
    Path probe = Files.createTempDirectory(dir, "probe").resolve("probe.tsm");
    ModelFile.save(m, probe);
    long size = Files.size(probe);
    Files.delete(probe);
    Files.delete(probe.getParent());
    return size;
  }

  @Test
  void aSaveThatFailsHalfwayLeavesThePreviousFile() throws Exception {
    try (Sequential other = ModelFixtures.smallTrained(2, 5)) {
      long half = sizeOfSaving(other) / 2;
      IOException e =
          assertThrows(
              IOException.class,
              () -> ModelFile.save(other, file, ModelMetadata.EMPTY, failAfter(half, false)));
      assertTrue(
          e.getMessage().contains("simulated full disk after " + half + " bytes"), e.getMessage());
    }
    assertPreviousFileIntact();
  }

  @Test
  void anUncheckedFailureMidwayAlsoLeavesThePreviousFile() throws Exception {
    try (Sequential other = ModelFixtures.smallTrained(2, 5)) {
      assertThrows(
          IllegalStateException.class,
          () -> ModelFile.save(other, file, ModelMetadata.EMPTY, failAfter(100, true)));
    }
    assertPreviousFileIntact();
  }

  @Test
  void aFailureAfterTheLastByteBeforeTheRenameLeavesThePreviousFile() throws Exception {
    try (Sequential other = ModelFixtures.smallTrained(2, 5)) {
      long all = sizeOfSaving(other);
      // Every byte but the checksum's last one reaches the temporary file.
      assertThrows(
          IOException.class,
          () -> ModelFile.save(other, file, ModelMetadata.EMPTY, failAfter(all - 1, false)));
    }
    assertPreviousFileIntact();
  }

  @Test
  void aFirstSaveThatFailsLeavesNothing() throws Exception {
    Path fresh = dir.resolve("sub");
    Files.createDirectory(fresh);
    Path target = fresh.resolve("new.tsm");
    try (Sequential m = ModelFixtures.smallTrained(3, 1)) {
      assertThrows(
          IOException.class,
          () -> ModelFile.save(m, target, ModelMetadata.EMPTY, failAfter(10, false)));
    }
    try (Stream<Path> s = Files.list(fresh)) {
      assertEquals(List.of(), s.toList());
    }
  }

  @Test
  void aSuccessfulSaveReplacesThePreviousFile() throws Exception {
    NDArray expected;
    try (Sequential other = ModelFixtures.smallTrained(2, 5)) {
      ModelFile.save(other, file);
      expected = other.predict(x);
    }
    assertEquals(List.of(file), filesInDir());
    try (SavedModel loaded = ModelFile.load(file, ModelFixtures.backend("reference"))) {
      assertArrayEquals(expected.data(), loaded.model().predict(x).data());
    }
  }

  @Test
  void aSaveRefusedUpFrontDoesNotTouchThePreviousFile() throws Exception {
    try (Sequential unbuilt = new Sequential(new dev.timestep.nn.Dense(1))) {
      assertThrows(IllegalStateException.class, () -> ModelFile.save(unbuilt, file));
    }
    assertPreviousFileIntact();
  }

  @Test
  void aTargetThatCannotBeAFileIsRefused() throws Exception {
    try (Sequential m = ModelFixtures.smallTrained(3, 1)) {
      IllegalArgumentException missing =
          assertThrows(
              IllegalArgumentException.class,
              () -> ModelFile.save(m, dir.resolve("no/such/dir/model.tsm")));
      assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
      IllegalArgumentException directory =
          assertThrows(IllegalArgumentException.class, () -> ModelFile.save(m, dir));
      assertTrue(directory.getMessage().contains("is a directory"), directory.getMessage());
    }
    assertPreviousFileIntact();
  }
}
