package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.timestep.backend.cpu.CpuBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user runs it: rows, JSON output, and clear errors. */
class ReproduceCommandTest {

  private static String captureOut(Runnable r) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString();
  }

  @Test
  void runsTheLinearRowsAndWritesJson(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("out/results.json");
    int[] code = new int[1];
    String out =
        captureOut(
            () ->
                code[0] =
                    Main.run(
                        "reproduce",
                        "--rows",
                        "1,8",
                        "--epochs",
                        "2",
                        "--backend",
                        "cpu",
                        "--json",
                        json.toString()));
    assertEquals(0, code[0], out);
    assertTrue(out.contains("backend cpu"), out);
    assertTrue(out.contains("naive: y = X[:, -1]"), out);
    assertTrue(out.contains("linear: Flatten -> Dense(10)"), out);
    List<Double> ours = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(json.toFile())) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("ours")) {
          p.nextToken();
          ours.add(p.getDoubleValue());
        }
      }
    }
    assertEquals(2, ours.size());
    assertEquals(0.0202, ours.get(0), 0.003); // naive one step
    assertTrue(
        ours.get(1) > 0 && ours.get(1) < 0.1, "linear 10-step after 2 epochs: " + ours.get(1));
    assertTrue(
        Files.list(json.getParent()).noneMatch(f -> f.toString().endsWith(".tmp")),
        "no temp file left");
  }

  @Test
  void unknownAndPendingRowsAreClearErrors() {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    try {
      assertEquals(2, Main.run("reproduce", "--rows", "17"));
      assertEquals(2, Main.run("reproduce", "--rows", "0"));
      assertEquals(2, Main.run("reproduce", "--backend", "tpu"));
    } finally {
      System.setErr(oldErr);
    }
    String text = err.toString();
    assertTrue(text.contains("no row 17"), text);
    assertTrue(text.contains("no row 0"), text);
    assertTrue(text.contains("unknown backend 'tpu'"), text);
  }

  @Test
  void severalSeedsReportTheMeanAndEachValue(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("seeds.json");
    int[] code = new int[1];
    String out =
        captureOut(
            () ->
                code[0] =
                    Main.run(
                        "reproduce",
                        "--rows",
                        "1",
                        "--seeds",
                        "3",
                        "--seed",
                        "5",
                        "--backend",
                        "cpu",
                        "--json",
                        json.toString()));
    assertEquals(0, code[0], out);
    assertTrue(out.contains("seed 5 to 7") && out.contains("± std"), out);
    List<Double> values = new ArrayList<>();
    double mean = Double.NaN;
    try (JsonParser p = new JsonFactory().createParser(json.toFile())) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("ours")) {
          p.nextToken();
          mean = p.getDoubleValue();
        } else if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("values")) {
          p.nextToken();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            values.add(p.getDoubleValue());
          }
        }
      }
    }
    assertEquals(3, values.size());
    assertTrue(values.get(0) != values.get(1), "different seeds give different data: " + values);
    assertEquals(
        values.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), mean, 1e-12);
    assertEquals(2, Main.run("reproduce", "--rows", "1", "--seeds", "0"));
  }

  @Test
  void outWritesTheTableTheChartAndLearningCurves(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("report");
    int[] code = new int[1];
    String printed =
        captureOut(
            () ->
                code[0] =
                    Main.run(
                        "reproduce",
                        "--rows",
                        "1,2",
                        "--epochs",
                        "2",
                        "--seeds",
                        "2",
                        "--backend",
                        "cpu",
                        "--out",
                        out.toString()));
    assertEquals(0, code[0], printed);
    assertTrue(printed.contains("± std"), "the console table is still printed: " + printed);
    String md = Files.readString(out.resolve("results.md"));
    assertTrue(md.contains("| row | task | model |"), md);
    assertTrue(md.contains("| 1 | one step | naive: y = X[:, -1] | val mse |"), md);
    assertTrue(md.contains("| 2 | one step | linear: Flatten -> Dense(1) | val mse |"), md);
    assertTrue(md.contains("seeds 0 to 1"), md);
    dev.timestep.testing.PngImages.read(out.resolve("results.png"), 1000, 600);
    dev.timestep.testing.PngImages.read(out.resolve("row-02-curves.png"), 1000, 600);
    assertTrue(
        Files.notExists(out.resolve("row-01-curves.png")),
        "the naive row trains nothing, so has no curves");
  }

  @Test
  void eachRowGivesItsCachedTensorBlocksBack() {
    int[] code = new int[1];
    String out =
        captureOut(
            () ->
                code[0] =
                    Main.run("reproduce", "--rows", "2", "--epochs", "1", "--backend", "cpu"));
    assertEquals(0, code[0], out);
    // the next rows are other models of other sizes: the finished row's blocks are freed
    assertEquals(0, CpuBackend.cachedNativeBytes(), out);
  }
}
