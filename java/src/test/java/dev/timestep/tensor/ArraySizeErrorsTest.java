package dev.timestep.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Bad sizes and ranges are {@link IllegalArgumentException}s with a message, not JDK exceptions
 * from deep inside.
 */
class ArraySizeErrorsTest {

  private static void assertRefused(
      String fragment, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void rowsOutsideTheFirstAxisAreAnIllegalArgument() {
    NDArray a = NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
    assertRefused("rows [2, 1) outside the first axis of [3, 2]", () -> a.rows(2, 1));
    assertRefused("rows [-1, 1)", () -> a.rows(-1, 1));
    assertRefused("rows [0, 4)", () -> a.rows(0, 4));
    assertArrayEquals(new float[] {3, 4, 5, 6}, a.rows(1, 3).data());
  }

  @Test
  void aShapeWhoseRowsOverflowIsRefusedEvenWithNoRows() {
    int big = Integer.MAX_VALUE;
    // 0 rows of 2^93 values: size() is 0, but rowSize() would wrap around
    assertRefused("more than " + Long.MAX_VALUE, () -> Shape.of(0, big, big, big));
    assertRefused("more than " + Long.MAX_VALUE, () -> Shape.of(big, big, big));
  }

  @Test
  void anArrayTooLargeForTheHeapIsRefusedWithItsSize() {
    assertRefused(
        "holds 4611686014132420609 values, more than one Java array can hold (2147483639)",
        () -> NDArray.zeros(Integer.MAX_VALUE, Integer.MAX_VALUE));
  }
}
