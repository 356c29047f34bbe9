package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Parsing a cache capacity property: defaults, plain byte counts, and clear errors. */
class CacheCapacityTest {
  private static final String PROPERTY = "timestep.test.cacheBytes";

  @Test
  void unsetOrBlankMeansTheDefault() {
    assertEquals(777, CacheCapacity.parse(PROPERTY, null, 777));
    assertEquals(777, CacheCapacity.parse(PROPERTY, "  ", 777));
  }

  @Test
  void aByteCountIsTakenAsIs() {
    assertEquals(1L << 33, CacheCapacity.parse(PROPERTY, "8589934592", 777));
    assertEquals(0, CacheCapacity.parse(PROPERTY, " 0 ", 777), "0 turns the cache off");
  }

  @Test
  void badValuesNameThePropertyAndTheText() {
    for (String bad : new String[] {"-1", "1GiB", "1e9", "99999999999999999999"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> CacheCapacity.parse(PROPERTY, bad, 777), bad);
      assertTrue(
          e.getMessage().contains("-D" + PROPERTY) && e.getMessage().contains("'" + bad + "'"),
          e.getMessage());
    }
  }

  @Test
  void fromPropertyReadsTheSystemProperty() {
    String previous = System.getProperty(PROPERTY);
    try {
      System.setProperty(PROPERTY, "4096");
      assertEquals(4096, CacheCapacity.fromProperty(PROPERTY, 777));
      System.clearProperty(PROPERTY);
      assertEquals(777, CacheCapacity.fromProperty(PROPERTY, 777));
      System.setProperty(PROPERTY, "lots");
      assertThrows(IllegalArgumentException.class, () -> CacheCapacity.fromProperty(PROPERTY, 777));
    } finally {
      if (previous == null) {
        System.clearProperty(PROPERTY);
      } else {
        System.setProperty(PROPERTY, previous);
      }
    }
  }
}
