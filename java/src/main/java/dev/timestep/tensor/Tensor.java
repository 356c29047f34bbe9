package dev.timestep.tensor;

/**
 * A float32 tensor: a shape over a range of some backend's {@link Storage}. A tensor made by {@code
 * Backend.allocate} owns its storage and frees it on {@link #close()}; views made by {@link
 * #reshape} or {@link #view} share it and free nothing. Using a tensor whose storage was freed
 * throws {@link IllegalStateException}.
 */
public final class Tensor implements AutoCloseable {
  private final Shape shape;
  private final Storage storage;
  private final long offset;
  private final boolean owner;

  private Tensor(Shape shape, Storage storage, long offset, boolean owner) {
    if (offset < 0 || offset + shape.size() > storage.capacity()) {
      throw new IllegalArgumentException(
          "tensor of shape "
              + shape
              + " at offset "
              + offset
              + " does not fit in a storage of "
              + storage.capacity()
              + " floats");
    }
    this.shape = shape;
    this.storage = storage;
    this.offset = offset;
    this.owner = owner;
  }

  /** A tensor that owns {@code storage} (for backends). */
  public static Tensor owning(Shape shape, Storage storage) {
    return new Tensor(shape, storage, 0, true);
  }

  public Shape shape() {
    return shape;
  }

  public long size() {
    return shape.size();
  }

  public int rank() {
    return shape.rank();
  }

  public int dim(int axis) {
    return shape.dim(axis);
  }

  public Storage storage() {
    return storage;
  }

  /** Offset of the first element within the storage, in floats. */
  public long offset() {
    return offset;
  }

  /** Throws if the memory behind this tensor has been released. */
  public Tensor requireOpen(String what) {
    if (storage.isFreed()) {
      throw new IllegalStateException(
          what
              + " uses a tensor "
              + shape
              + " whose memory was already freed"
              + " (its model, scope or tape was closed)");
    }
    return this;
  }

  /** The same values seen with another shape of equal size. */
  public Tensor reshape(Shape newShape) {
    if (newShape.size() != shape.size()) {
      throw new IllegalArgumentException(
          "cannot reshape "
              + shape
              + " ("
              + shape.size()
              + " values) to "
              + newShape
              + " ("
              + newShape.size()
              + " values)");
    }
    return new Tensor(newShape, storage, offset, false);
  }

  /** A view of {@code shape.size()} consecutive values starting {@code start} floats in. */
  public Tensor view(long start, Shape viewShape) {
    if (start < 0 || start + viewShape.size() > shape.size()) {
      throw new IllegalArgumentException(
          "view of " + viewShape + " at " + start + " exceeds " + shape);
    }
    return new Tensor(viewShape, storage, offset + start, false);
  }

  /**
   * Whether this tensor and {@code other} share at least one element: views of one storage whose
   * ranges meet. Backends refuse an op output that overlaps another of the op's tensors.
   */
  public boolean overlaps(Tensor other) {
    return other != null
        && storage == other.storage
        && size() > 0
        && other.size() > 0
        && offset < other.offset + other.size()
        && other.offset < offset + size();
  }

  /**
   * Whether {@code other} covers exactly this tensor's elements (same storage, start and size),
   * whatever its shape.
   */
  public boolean sameElements(Tensor other) {
    return other != null
        && storage == other.storage
        && offset == other.offset
        && size() == other.size();
  }

  /**
   * Whether this tensor owns its storage (frees it when closed), as opposed to a view into another
   * tensor.
   */
  public boolean isOwner() {
    return owner;
  }

  public boolean isClosed() {
    return storage.isFreed();
  }

  /** Frees the memory if this tensor owns it; a no-op for views. */
  @Override
  public void close() {
    if (owner) {
      storage.free();
    }
  }

  @Override
  public String toString() {
    return "Tensor" + shape + "@" + storage.backendName() + (isClosed() ? " (freed)" : "");
  }
}
