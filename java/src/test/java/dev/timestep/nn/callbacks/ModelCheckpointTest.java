package dev.timestep.nn.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.io.ModelFile;
import dev.timestep.io.SavedModel;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ModelCheckpoint: file names from the template, saveBestOnly, and what the files hold. */
class ModelCheckpointTest {
  private static final NDArray[] DATA = Scripted.data();

  private static Scripted fit(int epochs, ModelCheckpoint checkpoint, double... valLoss) {
    Scripted script = new Scripted("val_loss", valLoss);
    try (Sequential m = Scripted.model(0.05)) {
      m.fit(
          DATA[0],
          DATA[1],
          FitOptions.defaults().epochs(epochs).batchSize(8).callbacks(script, checkpoint));
    }
    return script;
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static float[] savedWeights(Path file) throws IOException {
    try (SavedModel saved = ModelFile.load(file, ReferenceBackend.float32())) {
      return Scripted.weightsOf(saved.model());
    }
  }

  @Test
  void everyEpochIsSavedUnderItsOneBasedNumberAndLogValues(@TempDir Path dir) throws IOException {
    ModelCheckpoint checkpoint =
        new ModelCheckpoint(dir.resolve("ckpt/m-{epoch:02d}-{val_loss:.3f}.tsm"));
    Scripted script = fit(3, checkpoint, 0.5, 0.25, 0.125);
    assertEquals(
        List.of("m-01-0.500.tsm", "m-02-0.250.tsm", "m-03-0.125.tsm"), files(dir.resolve("ckpt")));
    assertArrayEquals(script.weights.get(1), savedWeights(dir.resolve("ckpt/m-02-0.250.tsm")));
    assertEquals(dir.resolve("ckpt/m-03-0.125.tsm"), checkpoint.lastSaved());
  }

  @Test
  void saveBestOnlyWritesOnlyImprovements(@TempDir Path dir) throws IOException {
    fit(4, new ModelCheckpoint(dir + "/best-{epoch}.tsm").saveBestOnly(true), 0.5, 0.7, 0.3, 0.4);
    assertEquals(List.of("best-1.tsm", "best-3.tsm"), files(dir));
  }

  @Test
  void aFixedPathHoldsTheBestEpoch(@TempDir Path dir) throws IOException {
    Path best = dir.resolve("best.tsm");
    Scripted script = fit(4, new ModelCheckpoint(best).saveBestOnly(true), 0.5, 0.7, 0.3, 0.4);
    assertArrayEquals(script.weights.get(2), savedWeights(best));
  }

  @Test
  void modeMaxAndAThresholdDecideWhatIsBest(@TempDir Path dir) throws IOException {
    fit(
        4,
        new ModelCheckpoint(dir + "/a-{epoch}.tsm")
            .monitor("val_loss")
            .mode(Mode.MAX)
            .saveBestOnly(true)
            .initialValueThreshold(0.6),
        0.5,
        0.7,
        0.3,
        0.9);
    assertEquals(List.of("a-2.tsm", "a-4.tsm"), files(dir));
  }

  @Test
  void aTemplateNamingAnUnknownValueFailsNamingIt(@TempDir Path dir) {
    ModelCheckpoint checkpoint = new ModelCheckpoint(dir + "/m-{val_los:.2f}.tsm");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> fit(1, checkpoint, 0.5));
    assertTrue(
        e.getMessage().contains("{val_los}") && e.getMessage().contains("val_loss"),
        e.getMessage());
  }

  @Test
  void malformedTemplatesAreRefusedWhenMade() {
    for (String bad : List.of("m-{epoch.tsm", "m-}.tsm", "m-{epoch:x}.tsm", "m-{1a}.tsm", " ")) {
      assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(bad), bad);
    }
  }

  @Test
  void templatesFormatAsPythonsFormatDoes() {
    Map<String, Double> logs = Map.of("loss", 0.123456, "val_loss", 1.5e-5, "count", 7.0);
    assertEquals("e3", new PathTemplate("e{epoch}").format(3, logs));
    assertEquals("e003", new PathTemplate("e{epoch:03d}").format(3, logs));
    assertEquals("e  3", new PathTemplate("e{epoch:3}").format(3, logs));
    assertEquals("0.1235", new PathTemplate("{loss:.4f}").format(1, logs));
    assertEquals("1.50e-05", new PathTemplate("{val_loss:.2e}").format(1, logs));
    assertEquals("0.123456", new PathTemplate("{loss}").format(1, logs));
    assertEquals("07", new PathTemplate("{count:02d}").format(1, logs));
    assertEquals("{epoch}-1", new PathTemplate("{{epoch}}-{epoch}").format(1, logs));
    assertThrows(
        IllegalArgumentException.class, () -> new PathTemplate("{loss:d}").format(1, logs));
  }
}
