package dev.timestep.nn.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.nn.Callback;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.History;
import dev.timestep.nn.Metric;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoggerTest {
  private static final NDArray[] DATA = Scripted.data();

  private static History fit(int epochs, Callback... callbacks) {
    try (Sequential m = Scripted.model(0.05)) {
      m.compile(dev.timestep.nn.Loss.mse(), new Adam(0.05), Metric.mse());
      return m.fit(
          DATA[0],
          DATA[1],
          FitOptions.defaults()
              .epochs(epochs)
              .batchSize(8)
              .validation(DATA[0].rows(0, 4), DATA[1].rows(0, 4))
              .callbacks(callbacks));
    }
  }

  /** The rows Keras' CSVLogger writes for {@code h}: sorted keys, 0-based epochs. */
  private static List<String> expectedRows(History h, String sep) {
    List<String> keys = new ArrayList<>(h.keys());
    keys.sort(null);
    List<String> rows = new ArrayList<>();
    for (int e = 0; e < h.epochs(); e++) {
      StringBuilder row = new StringBuilder(String.valueOf(e));
      for (String k : keys) {
        row.append(sep).append(h.epoch(e).get(k));
      }
      rows.add(row.toString());
    }
    return rows;
  }

  @Test
  void oneRowPerEpochUnderAHeaderOfSortedKeys(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("logs/training.csv");
    History h = fit(3, new CsvLogger(file));
    List<String> lines = Files.readAllLines(file);
    assertEquals("epoch,loss,mse,val_loss,val_mse", lines.get(0));
    assertEquals(expectedRows(h, ","), lines.subList(1, lines.size()));
  }

  @Test
  void theSeparatorIsChosen(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("t.csv");
    History h = fit(2, new CsvLogger(file).separator(';'));
    List<String> lines = Files.readAllLines(file);
    assertEquals("epoch;loss;mse;val_loss;val_mse", lines.get(0));
    assertEquals(expectedRows(h, ";"), lines.subList(1, lines.size()));
  }

  @Test
  void appendKeepsTheRowsThereAndAddsNoSecondHeader(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("t.csv");
    History first = fit(2, new CsvLogger(file));
    History second = fit(1, new CsvLogger(file).append(true));
    List<String> lines = Files.readAllLines(file);
    List<String> expected = new ArrayList<>();
    expected.add("epoch,loss,mse,val_loss,val_mse");
    expected.addAll(expectedRows(first, ","));
    expected.addAll(expectedRows(second, ","));
    assertEquals(expected, lines);
  }

  @Test
  void appendingToAnEmptyFileWritesTheHeader(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("t.csv");
    Files.writeString(file, "");
    fit(1, new CsvLogger(file).append(true));
    assertEquals("epoch,loss,mse,val_loss,val_mse", Files.readAllLines(file).get(0));
  }

  @Test
  void withoutAppendAnOldFileIsReplaced(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("t.csv");
    Files.writeString(file, "old,content\n1,2\n");
    fit(1, new CsvLogger(file));
    assertFalse(Files.readString(file).contains("old"));
  }

  @Test
  void theFileIsCompleteAfterEveryEpoch(@TempDir Path dir) {
    Path file = dir.resolve("t.csv");
    List<Integer> linesSeen = new ArrayList<>();
    Callback reader =
        new Callback() {
          @Override
          public void onEpochEnd(int epoch, Map<String, Double> logs) {
            try {
              List<String> lines = Files.readAllLines(file);
              linesSeen.add(lines.size());
              assertTrue(lines.get(lines.size() - 1).startsWith(epoch + ","));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };
    fit(3, new CsvLogger(file), reader);
    assertEquals(List.of(2, 3, 4), linesSeen);
  }

  @Test
  void aFolderInTheWayFailsBeforeTraining(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("t.csv");
    Files.createDirectory(file);
    int[] epochsRun = {0};
    Callback counter =
        new Callback() {
          @Override
          public void onEpochBegin(int epoch, Map<String, Double> logs) {
            epochsRun[0]++;
          }
        };
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> fit(2, new CsvLogger(file), counter));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertEquals(0, epochsRun[0]);
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CsvLogger(null));
    assertThrows(IllegalArgumentException.class, () -> new CsvLogger(Path.of("a")).separator('"'));
    assertThrows(IllegalArgumentException.class, () -> new CsvLogger(Path.of("a")).separator('\n'));
  }
}
