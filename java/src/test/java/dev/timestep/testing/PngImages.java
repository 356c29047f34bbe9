package dev.timestep.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Reading plots back and looking at their pixels: size, variety, and where a colour appears. */
public final class PngImages {
  /** Antialiasing blends edges; pixels this close (sum of channel differences) still count. */
  public static final int TOLERANCE = 30;

  private PngImages() {}

  /** Reads a PNG written by a plot and checks that it is a real image of the given size. */
  public static BufferedImage read(Path png, int width, int height) throws IOException {
    assertTrue(Files.isRegularFile(png), "no file at " + png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, png + " is not an image ImageIO can read");
    assertEquals(width, image.getWidth(), "width of " + png);
    assertEquals(height, image.getHeight(), "height of " + png);
    return image;
  }

  public static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colours.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    return colours.size();
  }

  /** Pixels close to {@code colour} in the whole image. */
  public static int count(BufferedImage image, Color colour) {
    return count(image, colour, new Rectangle(0, 0, image.getWidth(), image.getHeight()));
  }

  /** Pixels close to {@code colour} inside {@code area} (clipped to the image). */
  public static int count(BufferedImage image, Color colour, Rectangle area) {
    Rectangle r = area.intersection(new Rectangle(0, 0, image.getWidth(), image.getHeight()));
    int n = 0;
    for (int y = r.y; y < r.y + r.height; y++) {
      for (int x = r.x; x < r.x + r.width; x++) {
        if (close(image.getRGB(x, y), colour)) {
          n++;
        }
      }
    }
    return n;
  }

  /** Whether two same-size images differ in any pixel. */
  public static boolean differ(BufferedImage a, BufferedImage b) {
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        if (a.getRGB(x, y) != b.getRGB(x, y)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean close(int rgb, Color c) {
    int r = (rgb >> 16) & 0xff;
    int g = (rgb >> 8) & 0xff;
    int b = rgb & 0xff;
    return Math.abs(r - c.getRed()) + Math.abs(g - c.getGreen()) + Math.abs(b - c.getBlue())
        <= TOLERANCE;
  }
}
