package dev.timestep.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Where a plot goes: checked before rendering, written whole or not at all. */
final class PngFile {
  private PngFile() {}

  /** Cheap checks, so a bad path fails before any rendering. */
  static void checkTarget(Path png) {
    if (png == null) {
      throw new IllegalArgumentException("the PNG path must not be null");
    }
    Path name = png.getFileName();
    if (name == null || !name.toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw new IllegalArgumentException("the plot file must be named *.png, got " + png);
    }
    if (Files.isDirectory(png)) {
      throw new IllegalArgumentException("the plot file " + png + " is a directory");
    }
  }

  /**
   * Writes the image to a temporary file beside {@code png}, then renames it over {@code png}:
   * a reader never sees half a PNG, and a failed write leaves any earlier plot in place.
   */
  static void write(BufferedImage image, Path png) throws IOException {
    Path target = png.toAbsolutePath();
    Path folder = target.getParent();
    Path tmp;
    try {
      Files.createDirectories(folder);
      tmp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
    } catch (IOException e) {
      throw new IOException("cannot write the plot " + png + ": the folder " + folder + " cannot be created or written ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
    try {
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IllegalStateException("this Java runtime has no PNG image writer");
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
