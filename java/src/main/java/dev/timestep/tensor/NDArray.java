package dev.timestep.tensor;

import java.util.Arrays;

/**
 * A float32 array on the Java heap with a shape: what users hand to {@code fit} and get back from
 * {@code predict}. Row-major. Cheap to create; never touches native memory.
 */
public final class NDArray {
  /** The most values one Java array can hold. */
  public static final long MAX_VALUES = Integer.MAX_VALUE - 8;

  private final Shape shape;
  private final float[] data;

  /** Wraps {@code data} (not copied) as an array of the given shape. */
  public NDArray(Shape shape, float[] data) {
    if (shape == null || data == null) {
      throw new IllegalArgumentException("NDArray: shape and data must not be null");
    }
    if (shape.size() != data.length) {
      throw new IllegalArgumentException(
          "NDArray: shape "
              + shape
              + " holds "
              + shape.size()
              + " values but data has "
              + data.length);
    }
    this.shape = shape;
    this.data = data;
  }

  public static NDArray zeros(int... dims) {
    Shape s = Shape.of(dims);
    requireHeapSize("NDArray", s);
    return new NDArray(s, new float[(int) s.size()]);
  }

  /**
   * Throws {@link IllegalArgumentException} naming {@code what} when an array of {@code shape} is
   * more values than one Java array can hold, before anything is allocated.
   */
  public static void requireHeapSize(String what, Shape shape) {
    if (shape.size() > MAX_VALUES) {
      throw new IllegalArgumentException(
          what
              + ": shape "
              + shape
              + " holds "
              + shape.size()
              + " values, more than one Java array can hold ("
              + MAX_VALUES
              + ")");
    }
  }

  public static NDArray of(float[] data, int... dims) {
    return new NDArray(Shape.of(dims), data);
  }

  public Shape shape() {
    return shape;
  }

  /** The backing array (not a copy). */
  public float[] data() {
    return data;
  }

  public int rank() {
    return shape.rank();
  }

  public int dim(int axis) {
    return shape.dim(axis);
  }

  public long size() {
    return data.length;
  }

  public float get(int... index) {
    return data[offset(index)];
  }

  public void set(float value, int... index) {
    data[offset(index)] = value;
  }

  private int offset(int... index) {
    if (index.length != shape.rank()) {
      throw new IllegalArgumentException(
          "index "
              + Arrays.toString(index)
              + " does not match rank "
              + shape.rank()
              + " of "
              + shape);
    }
    int off = 0;
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= shape.dim(i)) {
        throw new IndexOutOfBoundsException(
            "index " + Arrays.toString(index) + " outside " + shape);
      }
      off = off * shape.dim(i) + index[i];
    }
    return off;
  }

  /** The same values with another shape of equal size. */
  public NDArray reshape(int... dims) {
    return new NDArray(Shape.of(dims), data);
  }

  /**
   * Rows {@code [from, to)} of the first axis, copied.
   *
   * @throws IllegalArgumentException when the range is not inside the first axis
   */
  public NDArray rows(int from, int to) {
    if (from < 0 || to > shape.dim(0) || from > to) {
      throw new IllegalArgumentException(
          "rows [" + from + ", " + to + ") outside the first axis of " + shape);
    }
    int row = Math.toIntExact(shape.rowSize());
    return new NDArray(shape.withFirst(to - from), Arrays.copyOfRange(data, from * row, to * row));
  }

  /**
   * Throws {@link IllegalArgumentException} naming {@code what} and the first bad position when a
   * value is NaN or infinite.
   */
  public NDArray requireFinite(String what) {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw new IllegalArgumentException(
            what
                + " contains "
                + data[i]
                + " at flat index "
                + i
                + " (shape "
                + shape
                + "); clean or impute the data first");
      }
    }
    return this;
  }

  @Override
  public String toString() {
    int shown = Math.min(data.length, 8);
    return "NDArray"
        + shape
        + Arrays.toString(Arrays.copyOf(data, shown))
        + (data.length > shown ? "..." : "");
  }
}
