package dev.timestep.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * protobuf-java is an optional dependency: only the ONNX package and the CLI above it may name it
 * or the ONNX package, so training, predicting and saving never load it.
 */
class OnnxPackageBoundaryTest {
  private static final Path SOURCES = Path.of("src", "main", "java", "dev", "timestep");
  private static final Pattern ONNX =
      Pattern.compile("\\b(com\\.google\\.protobuf\\.|dev\\.timestep\\.onnx\\b)");

  @Test
  void onlyTheOnnxPackageAndTheCliNameProtobuf() throws IOException {
    List<String> offenders;
    try (Stream<Path> files = Files.walk(SOURCES)) {
      offenders =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> !List.of("onnx", "cli").contains(top(f)))
              .filter(OnnxPackageBoundaryTest::namesOnnx)
              .map(f -> SOURCES.relativize(f).toString())
              .sorted()
              .toList();
    }
    assertEquals(List.of(), offenders, "library code that would need protobuf at run time");
  }

  private static String top(Path f) {
    return SOURCES.relativize(f).getName(0).toString();
  }

  private static boolean namesOnnx(Path f) {
    try {
      return Files.readString(f).lines().anyMatch(l -> ONNX.matcher(l).find());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
