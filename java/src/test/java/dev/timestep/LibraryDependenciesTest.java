package dev.timestep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * picocli and JFreeChart are optional dependencies (a library user does not receive them), so the
 * library's own code (training, predicting, forecasting, imputing, saving) must never load them:
 * only the CLI ({@code cli/}), the charts ({@code plot/}) and the chart of the chapter's table
 * ({@code ResultChart}, used by {@code reproduce --out}) may name them.
 */
class LibraryDependenciesTest {
  private static final Path SOURCES = Path.of("src", "main", "java", "dev", "timestep");
  private static final Set<String> CHART_AND_CLI_FOLDERS = Set.of("cli", "plot");
  private static final Set<String> CHART_FILES = Set.of("ResultChart.java");
  private static final Pattern OPTIONAL =
      Pattern.compile(
          "\\b(picocli\\.|org\\.jfree\\.|dev\\.timestep\\.cli\\b|dev\\.timestep\\.plot\\b)");

  @Test
  void libraryCodeNeverNamesTheCliOrTheChartLibraries() throws IOException {
    assertTrue(Files.isDirectory(SOURCES), "run from the java module: " + SOURCES.toAbsolutePath());
    List<String> offenders;
    try (Stream<Path> files = Files.walk(SOURCES)) {
      offenders =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(
                  f -> !CHART_AND_CLI_FOLDERS.contains(SOURCES.relativize(f).getName(0).toString()))
              .filter(f -> !CHART_FILES.contains(f.getFileName().toString()))
              .filter(
                  f -> {
                    try {
                      return Files.readString(f)
                          .lines()
                          .anyMatch(
                              l ->
                                  !l.trim().startsWith("*")
                                      && !l.trim().startsWith("//")
                                      && OPTIONAL.matcher(l).find());
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .map(f -> SOURCES.relativize(f).toString())
              .sorted()
              .toList();
    }
    assertEquals(
        List.of(), offenders, "library code that would need picocli or JFreeChart at run time");
  }
}
