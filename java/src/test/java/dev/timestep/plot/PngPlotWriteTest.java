package dev.timestep.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.testing.PngImages;
import dev.timestep.testing.SpecialFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where plots are written: atomically, replacing an older plot, and clear errors for bad paths. */
class PngPlotWriteTest {
  private static ForecastPlot plot() {
    return ForecastPlot.of(new double[] {1, 3, 2, 4});
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void rewritingReplacesThePlotAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("plot.png");
    plot().size(300, 200).write(png);
    plot().size(400, 250).write(png);
    PngImages.read(png, 400, 250);
    assertEquals(List.of("plot.png"), names(dir));
  }

  @Test
  void aFileInTheWayOfTheFolderIsRefusedNamingBoth(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    Path png = file.resolve("plot.png");
    String message =
        assertThrows(IllegalArgumentException.class, () -> plot().write(png)).getMessage();
    assertTrue(message.contains(png.toString()) && message.contains(file + " is a file"), message);
    assertEquals(List.of("not-a-folder"), names(dir));
  }

  @Test
  void aFifoIsRefusedBeforeRenderingAndLeftInPlace(@TempDir Path dir) throws Exception {
    Path fifo = SpecialFiles.fifo(dir.resolve("plot.png"));
    String message =
        assertThrows(IllegalArgumentException.class, () -> plot().write(fifo)).getMessage();
    assertTrue(
        message.contains(fifo.toString()) && message.contains("not a regular file"), message);
    assertTrue(SpecialFiles.untouched(fifo));
    assertEquals(List.of("plot.png"), names(dir));
  }

  @Test
  void aStaleTemporaryPlotOfAKilledRunIsRemoved(@TempDir Path dir) throws Exception {
    Path stale =
        Files.writeString(dir.resolve(".plot.png.999999999-0123456789ab.tmp"), "half a plot");
    plot().write(dir.resolve("plot.png"));
    assertEquals(List.of("plot.png"), names(dir));
    assertTrue(Files.notExists(stale));
  }

  @Test
  void badTargetsAreRefusedBeforeRendering(@TempDir Path dir) {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> plot().write(null))
            .getMessage()
            .contains("must not be null"));
    String jpg =
        assertThrows(IllegalArgumentException.class, () -> plot().write(dir.resolve("plot.jpg")))
            .getMessage();
    assertTrue(jpg.contains("must be named *.png") && jpg.contains("plot.jpg"), jpg);
    Path folder = dir.resolve("folder.png");
    String isDir =
        assertThrows(
                IllegalArgumentException.class,
                () -> {
                  Files.createDirectory(folder);
                  plot().write(folder);
                })
            .getMessage();
    assertTrue(isDir.contains("is a directory"), isDir);
    assertThrows(IllegalArgumentException.class, () -> plot().title(null));
  }
}
