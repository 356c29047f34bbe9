package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's log records in the CLI: one line each, the banner once, nothing under --quiet. */
class CliLogTest {
  private final StringWriter err = new StringWriter();
  private final System.Logger backend = System.getLogger("dev.timestep.backend");

  @AfterEach
  void restore() {
    CliLog.install(new PrintWriter(System.err, true), false);
  }

  @Test
  void theBackendBannerIsOneLineOnTheRunsStderr() {
    CliLog.install(new PrintWriter(err, true), false);
    backend.log(Level.INFO, "Timestep backend: {0} ({1})", "cpu", "no CUDA: test");
    assertEquals("Timestep backend: cpu (no CUDA: test)" + System.lineSeparator(), err.toString());
  }

  @Test
  void warningsAreOneLineAndStillPrintUnderQuiet() {
    CliLog.install(new PrintWriter(err, true), true);
    backend.log(Level.INFO, "Timestep backend: cpu (no CUDA: test)");
    assertEquals("", err.toString(), "no banner under --quiet");
    System.getLogger("dev.timestep")
        .log(
            Level.WARNING,
            "a model was not closed\nsecond line",
            new IllegalStateException("created here"));
    assertEquals(
        "warning: a model was not closed second line (created here)" + System.lineSeparator(),
        err.toString());
  }

  @Test
  void aCommandThatNamesTheBackendItselfDropsTheBanner() {
    CliLog.install(new PrintWriter(err, true), false);
    CliLog.backendShownByCommand();
    backend.log(Level.INFO, "Timestep backend: cpu (no CUDA: test)");
    assertEquals("", err.toString());
    CliLog.install(new PrintWriter(err, true), false);
    backend.log(Level.INFO, "Timestep backend: cpu (no CUDA: test)");
    assertEquals(1, err.toString().lines().count(), "the next run prints it again: " + err);
  }

  @Test
  void quietIsAcceptedBeforeOrAfterTheCommandAndDocumented() {
    CliRun before = CliRun.of("--quiet", "backends");
    assertEquals(0, before.code(), before.toString());
    assertTrue(CliLog.quiet());
    CliRun after = CliRun.of("backends", "--quiet");
    assertEquals(0, after.code(), after.toString());
    assertTrue(CliLog.quiet());
    CliRun plain = CliRun.of("backends");
    assertEquals(0, plain.code(), plain.toString());
    assertFalse(CliLog.quiet(), "each run starts loud");
    assertTrue(CliRun.of("--help").out().contains("--quiet"));
    assertTrue(CliRun.of("train", "--help").out().contains("--quiet"));
  }

  @Test
  void trainUnderQuietPrintsNoProgressLines(@TempDir Path dir) {
    String[] args = {
      "train",
      "--split",
      "--builtin",
      "co2",
      "--model",
      "linear",
      "--window",
      "52",
      "--horizon",
      "4",
      "--epochs",
      "2",
      "--learning-rate",
      "0.01",
      "--backend",
      "cpu",
      "--out",
      dir.resolve("m.tsm").toString()
    };
    CliRun loud = CliRun.of(args);
    assertEquals(0, loud.code(), loud.toString());
    assertTrue(loud.err().contains("linear epoch  2/2"), loud.toString());
    String[] quiet = java.util.Arrays.copyOf(args, args.length + 1);
    quiet[args.length] = "--quiet";
    CliRun run = CliRun.of(quiet);
    assertEquals(0, run.code(), run.toString());
    // warnings still print under --quiet (CO2's gaps touch more than a fifth of its windows)
    assertEquals(
        List.of(),
        run.err().lines().filter(l -> !l.startsWith("warning: ")).toList(),
        run.toString());
    assertTrue(run.out().contains("validation MSE"), "results still print: " + run.out());
  }
}
