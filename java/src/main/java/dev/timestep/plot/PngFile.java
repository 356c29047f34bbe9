package dev.timestep.plot;

import dev.timestep.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Where a PNG goes: checked before rendering (so a bad path fails before long work), written whole
 * or not at all (see {@link AtomicFiles}), with missing folders created.
 */
public final class PngFile {
  private PngFile() {}

  /**
   * Checks, without writing, that {@code png} may be written: a name ending in .png that {@link
   * AtomicFiles#checkTarget} allows.
   *
   * @throws IllegalArgumentException naming the path and the problem
   */
  public static void checkTarget(Path png) {
    if (png == null) {
      throw new IllegalArgumentException("the PNG path must not be null");
    }
    Path name = png.getFileName();
    if (name == null || !name.toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw new IllegalArgumentException("the plot file must be named *.png, got " + png);
    }
    AtomicFiles.checkTarget(png);
  }

  /** Writes the image as PNG, atomically, creating missing folders. */
  public static void write(BufferedImage image, Path png) throws IOException {
    checkTarget(png);
    try {
      AtomicFiles.createFolders(png);
    } catch (IOException e) {
      throw new IOException(
          "cannot write the plot "
              + png
              + ": its folder cannot be created ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + ")",
          e);
    }
    AtomicFiles.write(png, out -> encode(image, out));
  }

  private static void encode(BufferedImage image, java.io.OutputStream out) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
    if (!writers.hasNext()) {
      throw new IllegalStateException("this Java runtime has no PNG image writer");
    }
    ImageWriter writer = writers.next();
    // A memory cache: ImageIO's default file cache would put files of its own in java.io.tmpdir.
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(image);
    } finally {
      writer.dispose();
    }
  }
}
