package dev.timestep.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.nn.Sequential;
import dev.timestep.testing.SpecialFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a save may replace: a regular file, or the file a symbolic link points to; never a device,
 * FIFO, socket or directory; and the temporary files of killed saves are cleaned up.
 */
class OutputTargetTest {
  @TempDir Path dir;

  private static IllegalArgumentException refusedSave(Path target) {
    try (Sequential m = ModelFixtures.smallTrained(3, 1)) {
      return assertThrows(IllegalArgumentException.class, () -> ModelFile.save(m, target));
    }
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aFifoOrASocketIsRefusedAndLeftInPlace() throws Exception {
    for (Path special :
        List.of(
            SpecialFiles.fifo(dir.resolve("pipe.tsm")),
            SpecialFiles.socket(dir.resolve("s.tsm")))) {
      String message = refusedSave(special).getMessage();
      assertTrue(
          message.contains(special.toString()) && message.contains("not a regular file"), message);
      assertTrue(SpecialFiles.untouched(special), special + " is still the special file");
    }
    assertEquals(List.of("pipe.tsm", "s.tsm"), names(), "no temporary file either");
  }

  @Test
  void aSymbolicLinkIsWrittenThroughAndKept() throws Exception {
    Path real =
        Files.writeString(Files.createDirectory(dir.resolve("real")).resolve("model.tsm"), "old");
    Path link = Files.createSymbolicLink(dir.resolve("link.tsm"), real);
    float[] weights;
    try (Sequential m = ModelFixtures.smallTrained(3, 1)) {
      ModelFile.save(m, link);
      weights = ModelFixtures.weights(m);
    }
    assertTrue(Files.isSymbolicLink(link), "the link stays a link");
    assertEquals(real, Files.readSymbolicLink(link));
    try (SavedModel loaded = ModelFile.load(real, ModelFixtures.backend("reference"))) {
      assertArrayEquals(
          weights, ModelFixtures.weights(loaded.model()), "the link's target holds the model");
    }
    try (Stream<Path> s = Files.list(real.getParent())) {
      assertEquals(List.of(real), s.toList(), "no temporary file beside the target");
    }
  }

  @Test
  void aDanglingLinkAndADirectoryAreRefused() throws Exception {
    Path dangling =
        Files.createSymbolicLink(dir.resolve("gone.tsm"), dir.resolve("missing/model.tsm"));
    String message = refusedSave(dangling).getMessage();
    assertTrue(
        message.contains(dangling.toString()) && message.contains("does not exist"), message);
    assertTrue(Files.isSymbolicLink(dangling));
    Path folder = Files.createDirectory(dir.resolve("folder.tsm"));
    assertTrue(refusedSave(folder).getMessage().contains("is a directory"));
  }

  @Test
  void aNameTooLongForItsTemporaryFileIsRefusedNamingTheTarget() {
    Path target = dir.resolve("m".repeat(240) + ".tsm");
    String message = refusedSave(target).getMessage();
    assertTrue(message.contains(target.toString()) && message.contains("too long"), message);
    assertFalse(
        message.contains(".tmp"), "the user's name, not the hidden temporary file's: " + message);
  }

  @Test
  void aStaleTemporaryFileOfAKilledSaveIsRemovedAndALiveOneKept() throws Exception {
    long dead = 999_999_999L; // above Linux's largest pid_max (2^22): no such process
    assertTrue(ProcessHandle.of(dead).isEmpty());
    long self = ProcessHandle.current().pid();
    Path stale =
        Files.writeString(dir.resolve(".model.tsm." + dead + "-0123456789ab.tmp"), "half a model");
    Path live =
        Files.writeString(dir.resolve(".model.tsm." + self + "-0123456789ab.tmp"), "being written");
    Path otherTarget =
        Files.writeString(
            dir.resolve(".other.tsm." + dead + "-0123456789ab.tmp"), "another file's");
    try (Sequential m = ModelFixtures.smallTrained(3, 1)) {
      ModelFile.save(m, dir.resolve("model.tsm"));
    }
    assertFalse(Files.exists(stale), "the killed writer's temporary file is gone");
    assertTrue(Files.exists(live), "a running writer's temporary file is kept");
    assertTrue(Files.exists(otherTarget), "only temporary files of the same target are touched");
  }
}
