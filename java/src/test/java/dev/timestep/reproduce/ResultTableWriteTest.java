package dev.timestep.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.testing.SpecialFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result tables are written like every other output: through links, never over special files.
 */
class ResultTableWriteTest {
  private static List<RowResult> results() {
    return List.of(new RowResult(ChapterRows.select(List.of(1)).get(0), 0.02, 1));
  }

  @Test
  void jsonAndMarkdownRefuseAFifoAndLeaveIt(@TempDir Path dir) throws Exception {
    Path fifo = SpecialFiles.fifo(dir.resolve("results.json"));
    String json =
        assertThrows(
                IllegalArgumentException.class,
                () -> ResultTable.writeJson(results(), fifo, "cpu", 0, 1))
            .getMessage();
    assertTrue(json.contains(fifo.toString()) && json.contains("not a regular file"), json);
    Path md = SpecialFiles.fifo(dir.resolve("results.md"));
    assertThrows(
        IllegalArgumentException.class, () -> ResultTable.writeMarkdown(results(), md, ""));
    assertTrue(SpecialFiles.untouched(fifo) && SpecialFiles.untouched(md));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(2, s.count(), "no temporary file left");
    }
  }

  @Test
  void aLinkIsWrittenThrough(@TempDir Path dir) throws Exception {
    Path real = Files.writeString(dir.resolve("real.md"), "old");
    Path link = Files.createSymbolicLink(dir.resolve("results.md"), real);
    ResultTable.writeMarkdown(results(), link, "settings");
    assertTrue(Files.isSymbolicLink(link));
    assertTrue(Files.readString(real).startsWith("# Chapter 15 results"), Files.readString(real));
  }
}
