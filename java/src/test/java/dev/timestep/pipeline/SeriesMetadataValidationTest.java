package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.io.ModelFile;
import dev.timestep.io.ModelFileException;
import dev.timestep.io.ModelMetadata;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.tensor.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file's series metadata is checked at load: each number is a whole number in its range,
 * flags are 0 or 1, and window, horizon, layout and output steps must describe the model the file
 * holds. A file that breaks one (written by hand, or by another tool, with a valid checksum) is
 * refused with one line naming the file and the entry, instead of loading and then forecasting
 * wrongly or running out of memory.
 */
class SeriesMetadataValidationTest {
  private static final Backend REFERENCE = ReferenceBackend.float32();
  private static final int WINDOW = 4;
  private static final int HORIZON = 3;
  private static final List<String> COLUMNS = List.of("value");

  @TempDir Path dir;

  private static SeriesModelInfo info(WindowSpec.Layout layout) {
    return new SeriesModelInfo(
        "test",
        layout,
        0,
        1,
        WINDOW,
        HORIZON,
        COLUMNS,
        "value",
        "none",
        SeriesModelInfo.identityScaler(COLUMNS),
        false,
        0,
        "generator",
        null,
        null);
  }

  /** Flatten → Dense(3) on [4, 1] windows: output [3]. */
  private static Sequential vectorModel() {
    return new Sequential(new Flatten(), new Dense(HORIZON))
        .backend(REFERENCE)
        .seed(1)
        .build(Shape.of(WINDOW, 1));
  }

  /** SimpleRNN(2, sequences) → TimeDistributed(Dense(3)) on [4, 1] windows: output [4, 3]. */
  private static Sequential sequenceModel() {
    return new Sequential(
            new SimpleRNN(2).returnSequences(true), new TimeDistributed(new Dense(HORIZON)))
        .backend(REFERENCE)
        .seed(1)
        .build(Shape.of(WINDOW, 1));
  }

  /** Saves {@code model} with its info's metadata edited, then loads it as a series model. */
  private ModelFileException loadFails(
      Sequential model, WindowSpec.Layout layout, UnaryOperator<ModelMetadata.Builder> edit)
      throws Exception {
    Path file = dir.resolve("edited.tsm");
    try (model) {
      ModelFile.save(
          model,
          file,
          edit.apply(ModelMetadata.builder().putAll(info(layout).toMetadata())).build());
    }
    ModelFileException e =
        assertThrows(ModelFileException.class, () -> SeriesModel.load(file, REFERENCE).close());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    return e;
  }

  private static void assertContains(String expected, Exception e) {
    assertTrue(
        e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }

  @Test
  void theUneditedFilesLoad() throws Exception {
    for (WindowSpec.Layout layout : WindowSpec.Layout.values()) {
      Path file = dir.resolve(layout + ".tsm");
      try (Sequential m = layout == WindowSpec.Layout.VECTOR ? vectorModel() : sequenceModel()) {
        ModelFile.save(m, file, info(layout).toMetadata());
      }
      try (SeriesModel loaded = SeriesModel.load(file, REFERENCE)) {
        assertEquals(HORIZON, loaded.info().horizon());
      }
    }
  }

  @Test
  void numbersMustBeWholeAndInRange() throws Exception {
    assertContains(
        "entry 'series.window' must be a whole number from 1 to 2147483647, got 12.5",
        loadFails(vectorModel(), WindowSpec.Layout.VECTOR, b -> b.put("series.window", 12.5)));
    assertContains(
        "entry 'series.horizon' must be a whole number from 1 to 2147483647, got 3.0E9",
        loadFails(vectorModel(), WindowSpec.Layout.VECTOR, b -> b.put("series.horizon", 3e9)));
    assertContains(
        "entry 'series.columns' must be a whole number from 1 to 2147483647, got NaN",
        loadFails(
            vectorModel(), WindowSpec.Layout.VECTOR, b -> b.put("series.columns", Double.NaN)));
  }

  @Test
  void flagsMustBeZeroOrOne() throws Exception {
    assertContains(
        "entry 'series.relative' must be 0 or 1, got 2.0",
        loadFails(vectorModel(), WindowSpec.Layout.VECTOR, b -> b.put("series.relative", 2)));
  }

  @Test
  void anUnknownLayoutIsNamed() throws Exception {
    assertContains(
        "entry 'series.layout' must be 'vector' or 'sequence', got 'diagonal'",
        loadFails(
            vectorModel(), WindowSpec.Layout.VECTOR, b -> b.put("series.layout", "diagonal")));
  }

  @Test
  void outputStepsMustFitTheLayoutAndWindow() throws Exception {
    assertContains(
        "entry 'series.output' must be a whole number from 0 to 2147483647, got 0.5",
        loadFails(vectorModel(), WindowSpec.Layout.VECTOR, b -> b.put("series.output", 0.5, 1)));
    assertContains(
        "series.output [3, 2] must be [0, 1] for the vector layout",
        loadFails(vectorModel(), WindowSpec.Layout.VECTOR, b -> b.put("series.output", 3, 2)));
    // sequence: the last output step must be the window's last step (w - 1 - start divisible by
    // every)
    assertContains(
        "series.output [0, 2] does not end on the window's last step",
        loadFails(sequenceModel(), WindowSpec.Layout.SEQUENCE, b -> b.put("series.output", 0, 2)));
  }

  @Test
  void aSwappedLayoutDoesNotMatchTheModel() throws Exception {
    assertContains(
        "series.layout 'sequence' (window 4, horizon 3, output steps from 0 every 1) means outputs"
            + " [4, 3] per window, but the model outputs [3]",
        loadFails(
            vectorModel(), WindowSpec.Layout.VECTOR, b -> b.put("series.layout", "sequence")));
    assertContains(
        "series.layout 'vector' (horizon 3) means outputs [3] per window, but the model outputs [4, 3]",
        loadFails(
            sequenceModel(), WindowSpec.Layout.SEQUENCE, b -> b.put("series.layout", "vector")));
  }

  @Test
  void windowAndHorizonMustBeTheModels() throws Exception {
    assertContains(
        "series.window 6 and series.columns 1 mean windows [6, 1], but the model was built for [4, 1]",
        loadFails(vectorModel(), WindowSpec.Layout.VECTOR, b -> b.put("series.window", 6)));
    assertContains(
        "series.layout 'vector' (horizon 5) means outputs [5] per window, but the model outputs [3]",
        loadFails(vectorModel(), WindowSpec.Layout.VECTOR, b -> b.put("series.horizon", 5)));
    // a horizon of Integer.MAX_VALUE: refused with the limit, before anything is sized from it
    assertContains(
        "window 4 + horizon 2147483647 is more than the 2147483647 steps a series can have",
        loadFails(
            vectorModel(),
            WindowSpec.Layout.VECTOR,
            b -> b.put("series.horizon", Integer.MAX_VALUE)));
  }
}
