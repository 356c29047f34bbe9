package dev.timestep.tensor;

import java.util.Arrays;

/** An immutable tensor shape. Batch-major: {@code [batch, time, features]} at the API. */
public final class Shape {
  private final int[] dims;

  private Shape(int[] dims) {
    this.dims = dims;
  }

  /** A shape with the given dimensions; each must be at least 1 (0 only for the batch axis). */
  public static Shape of(int... dims) {
    if (dims == null || dims.length == 0) {
      throw new IllegalArgumentException("shape: at least one dimension is required");
    }
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw new IllegalArgumentException(
            "shape: dimension " + i + " of " + Arrays.toString(dims) + " is negative");
      }
    }
    // Neither size() nor rowSize() may wrap around: every allocation is sized from them. The
    // product of the non-zero dimensions bounds both (a 0-row batch still has its row size).
    long size = 1;
    for (int d : dims) {
      if (d != 0 && size > Long.MAX_VALUE / d) {
        throw new IllegalArgumentException(
            "shape: "
                + Arrays.toString(dims)
                + " has more than "
                + Long.MAX_VALUE
                + " elements (counting its non-zero dimensions)");
      }
      size *= Math.max(d, 1);
    }
    return new Shape(dims.clone());
  }

  public int rank() {
    return dims.length;
  }

  public int dim(int axis) {
    return dims[axis < 0 ? dims.length + axis : axis];
  }

  public int[] dims() {
    return dims.clone();
  }

  /** Number of elements. */
  public long size() {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  /** Elements per index of the first axis (e.g. one sample of a batch). */
  public long rowSize() {
    return dims[0] == 0 ? size(dims, 1) : size() / dims[0];
  }

  /** This shape with the first axis replaced (e.g. a new batch size). */
  public Shape withFirst(int first) {
    int[] d = dims.clone();
    d[0] = first;
    return Shape.of(d);
  }

  /** This shape with the last axis replaced. */
  public Shape withLast(int last) {
    int[] d = dims.clone();
    d[d.length - 1] = last;
    return Shape.of(d);
  }

  /** The shape without its first axis (the per-sample shape). */
  public Shape dropFirst() {
    if (dims.length == 1) {
      throw new IllegalArgumentException("shape " + this + " has no axis after the first");
    }
    return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
  }

  /** The shape with a leading axis of the given size. */
  public Shape prepend(int first) {
    int[] d = new int[dims.length + 1];
    d[0] = first;
    System.arraycopy(dims, 0, d, 1, dims.length);
    return Shape.of(d);
  }

  private static long size(int[] dims, int from) {
    long n = 1;
    for (int i = from; i < dims.length; i++) {
      n *= dims[i];
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
