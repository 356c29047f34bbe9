package dev.timestep.nn;

import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive row ranges of some arrays, copied into one buffer per array that every full batch
 * reuses. {@code evaluate} runs over the validation data every epoch; copying each batch into a new
 * array made that the largest source of garbage in {@code fit} (about 40% of what the chapter's
 * table allocates). The arrays handed out are valid until the next call.
 */
final class BatchRows {
  private final List<NDArray> arrays;
  private final int batchSize;
  private final List<NDArray> full = new ArrayList<>();

  BatchRows(List<NDArray> arrays, int batchSize) {
    this.arrays = arrays;
    this.batchSize = batchSize;
  }

  /**
   * Rows {@code [from, to)} of every array, at most {@code batchSize} of them: in the shared
   * buffers for a full batch, in new arrays for a shorter one.
   */
  List<NDArray> rows(int from, int to) {
    int count = to - from;
    if (from < 0 || count < 1 || count > batchSize) {
      throw new IllegalArgumentException(
          "batch rows [" + from + ", " + to + ") must be 1 to " + batchSize + " rows");
    }
    if (count < batchSize) {
      List<NDArray> out = new ArrayList<>(arrays.size());
      for (NDArray a : arrays) {
        out.add(a.rows(from, to));
      }
      return out;
    }
    if (full.isEmpty()) {
      for (NDArray a : arrays) {
        Shape s = a.shape().withFirst(batchSize);
        NDArray.requireHeapSize("evaluate batch", s);
        full.add(new NDArray(s, new float[Math.toIntExact(s.size())]));
      }
    }
    for (int i = 0; i < arrays.size(); i++) {
      NDArray a = arrays.get(i);
      int row = Math.toIntExact(a.shape().rowSize());
      if (to > a.dim(0)) {
        throw new IllegalArgumentException(
            "batch rows [" + from + ", " + to + ") outside the first axis of " + a.shape());
      }
      System.arraycopy(a.data(), from * row, full.get(i).data(), 0, count * row);
    }
    return full;
  }
}
