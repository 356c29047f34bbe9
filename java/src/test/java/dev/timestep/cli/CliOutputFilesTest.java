package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.testing.SpecialFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command's output paths: a special file is refused before any work and left alone, a
 * symbolic link is written through, and errors name the path the user typed.
 */
class CliOutputFilesTest {
  private static final String[] QUICK_TRAIN = {
    "train",
    "--split",
    "--builtin",
    "co2",
    "--model",
    "linear",
    "--window",
    "8",
    "--epochs",
    "1",
    "--backend",
    "cpu"
  };

  private static CliRun train(Path out) {
    String[] args = java.util.Arrays.copyOf(QUICK_TRAIN, QUICK_TRAIN.length + 2);
    args[args.length - 2] = "--out";
    args[args.length - 1] = out.toString();
    return CliRun.of(args);
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Refused with exit 2 in one line naming {@code path}, before reading or training anything. */
  private static void assertRefusedUpFront(CliRun r, Path path, String why) {
    assertEquals(2, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), "one line: " + r.err());
    assertTrue(
        r.errorLine().contains(path.toString()) && r.errorLine().contains(why), r.errorLine());
    assertEquals("", r.out(), "nothing was read or trained: " + r.out());
  }

  @Test
  void trainRefusesAFifoOrSocketAsOutBeforeAnyWork(@TempDir Path dir) throws Exception {
    Path fifo = SpecialFiles.fifo(dir.resolve("pipe"));
    assertRefusedUpFront(train(fifo), fifo, "not a regular file");
    Path socket = SpecialFiles.socket(dir.resolve("sock"));
    assertRefusedUpFront(train(socket), socket, "not a regular file");
    assertTrue(SpecialFiles.untouched(fifo) && SpecialFiles.untouched(socket));
    assertEquals(List.of("pipe", "sock"), names(dir), "no pipe-curves.png, no temporary file");
  }

  @Test
  void trainChecksItsLearningCurvesFileBeforeTraining(@TempDir Path dir) throws Exception {
    Path curves = SpecialFiles.fifo(dir.resolve("m-curves.png"));
    CliRun r = train(dir.resolve("m.tsm"));
    assertRefusedUpFront(r, curves, "not a regular file");
    assertEquals(List.of("m-curves.png"), names(dir), "no model saved either");
  }

  @Test
  void trainWritesThroughASymbolicLink(@TempDir Path dir) throws Exception {
    Path real =
        Files.writeString(Files.createDirectory(dir.resolve("store")).resolve("co2.tsm"), "old");
    Path link = Files.createSymbolicLink(dir.resolve("co2.tsm"), real);
    CliRun r = train(link);
    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.isSymbolicLink(link), "the link stays");
    try (SeriesModel m = SeriesModel.load(real, Backends.named("cpu"))) {
      assertEquals(8, m.info().window(), "the link's target is the new model");
    }
  }

  @Test
  void aTooLongOutNameIsReportedAsTypedNotAsTheTemporaryFile(@TempDir Path dir) {
    Path out = dir.resolve("m".repeat(240) + ".tsm");
    CliRun r = train(out);
    assertRefusedUpFront(r, out, "too long");
    assertFalse(r.errorLine().contains(".tmp"), r.errorLine());
  }

  @Test
  void reproduceRefusesAFileAsItsOutFolderAndASpecialJsonBeforeTraining(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("good.csv"), "keep me");
    CliRun r =
        CliRun.of(
            "reproduce",
            "--rows",
            "1",
            "--epochs",
            "1",
            "--backend",
            "cpu",
            "--out",
            file.toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.errorLine().contains("--out " + file + " is a file"), r.errorLine());
    assertEquals("keep me", Files.readString(file));
    Path fifo = SpecialFiles.fifo(dir.resolve("r.json"));
    CliRun json =
        CliRun.of(
            "reproduce",
            "--rows",
            "1",
            "--epochs",
            "1",
            "--backend",
            "cpu",
            "--json",
            fifo.toString());
    assertEquals(2, json.code(), json.toString());
    assertTrue(
        json.errorLine().contains("--json") && json.errorLine().contains(fifo.toString()),
        json.errorLine());
    assertTrue(SpecialFiles.untouched(fifo));
  }

  @Test
  void forecastAndImputeRefuseSpecialOutputs(@TempDir Path dir) throws Exception {
    Path model = TrainForecastImputeCommandTest.trainSmall(dir, "linear");
    Path png = SpecialFiles.fifo(dir.resolve("f.png"));
    assertRefusedUpFront(
        CliRun.of(
            "forecast", "--model", model.toString(), "--plot", png.toString(), "--backend", "cpu"),
        png,
        "not a regular file");
    Path csv = SpecialFiles.fifo(dir.resolve("filled.csv"));
    assertRefusedUpFront(
        CliRun.of(
            "impute", "--model", model.toString(), "--out", csv.toString(), "--backend", "cpu"),
        csv,
        "not a regular file");
    assertTrue(SpecialFiles.untouched(png) && SpecialFiles.untouched(csv));
  }

  @Test
  void helpSaysHowOutputsAreWrittenAndWhatExitStatusMeans() {
    for (String command : List.of("train", "forecast", "impute", "reproduce")) {
      String help = CliRun.of(command, "--help").out().replaceAll("\\s+", " ");
      assertTrue(help.contains("a symbolic link is written through"), command + ": " + help);
      assertTrue(help.contains("/dev/null"), command + ": " + help);
      assertTrue(help.contains("removed by the next write"), command + ": " + help);
    }
    for (String command :
        List.of("train", "forecast", "impute", "reproduce", "backends", "selfcheck", "bench")) {
      String help = CliRun.of(command, "--help").out().replaceAll("\\s+", " ");
      assertTrue(
          help.contains("Exit status: 0 done; 1 failed while running"), command + ": " + help);
    }
  }
}
