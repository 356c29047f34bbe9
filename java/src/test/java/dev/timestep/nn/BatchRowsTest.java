package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches of rows for evaluate: the right values, and one reused buffer for full batches. */
class BatchRowsTest {
  /** 7 rows of [2, 3]: row r holds 6r .. 6r+5; and 7 rows of [1]: row r holds -r. */
  private static List<NDArray> arrays() {
    float[] x = new float[7 * 6];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    float[] y = new float[7];
    for (int i = 0; i < y.length; i++) {
      y[i] = -i;
    }
    return List.of(NDArray.of(x, 7, 2, 3), NDArray.of(y, 7, 1));
  }

  @Test
  void fullBatchesHoldTheirRowsInOneBufferPerArray() {
    BatchRows rows = new BatchRows(arrays(), 3);
    List<NDArray> first = rows.rows(0, 3);
    assertEquals(Shape.of(3, 2, 3), first.get(0).shape());
    assertEquals(0f, first.get(0).data()[0]);
    assertEquals(17f, first.get(0).data()[17]);
    NDArray firstX = first.get(0);
    List<NDArray> second = rows.rows(3, 6);
    assertSame(firstX, second.get(0), "a full batch reuses the buffer of the one before");
    float[] expected = new float[18];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = 18 + i;
    }
    assertArrayEquals(expected, second.get(0).data());
    assertArrayEquals(new float[] {-3, -4, -5}, second.get(1).data());
  }

  @Test
  void aShorterLastBatchGetsArraysOfItsOwnSize() {
    BatchRows rows = new BatchRows(arrays(), 3);
    rows.rows(3, 6);
    List<NDArray> last = rows.rows(6, 7);
    assertEquals(Shape.of(1, 2, 3), last.get(0).shape());
    assertArrayEquals(new float[] {36, 37, 38, 39, 40, 41}, last.get(0).data());
    assertArrayEquals(new float[] {-6}, last.get(1).data());
  }

  @Test
  void rangesOutsideTheBatchOrTheArraysAreRefused() {
    BatchRows rows = new BatchRows(arrays(), 3);
    IllegalArgumentException tooMany =
        assertThrows(IllegalArgumentException.class, () -> rows.rows(0, 4));
    assertTrue(tooMany.getMessage().contains("1 to 3 rows"), tooMany.getMessage());
    assertThrows(IllegalArgumentException.class, () -> rows.rows(2, 2));
    IllegalArgumentException outside =
        assertThrows(IllegalArgumentException.class, () -> rows.rows(5, 8));
    assertTrue(outside.getMessage().contains("outside the first axis"), outside.getMessage());
  }
}
