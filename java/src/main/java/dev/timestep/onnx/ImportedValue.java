package dev.timestep.onnx;

/** What an import knows about one value of an ONNX graph. */
sealed interface ImportedValue {
  /** Values known while importing: initializers, Constant nodes and what folds from them. */
  record Known(ConstTensor tensor) implements ImportedValue {}

  /** All zeros, of a shape known only when the graph runs (zero initial states). */
  record Zeros() implements ImportedValue {}

  /** Computed from the input's shape at run time, or otherwise not known while importing. */
  record Opaque() implements ImportedValue {}

  /**
   * The model's data on its way through the layers: the layers so far ({@code layers} of the
   * chain), the axes' order as the ONNX graph holds them, the size of the features axis, and zeros
   * a Pad node asked for on the time axis, for the convolution that follows.
   */
  record Data(Layout layout, int features, int layers, int directions, long padLeft, long padRight)
      implements ImportedValue {
    Data with(Layout l, int f) {
      return new Data(l, f, layers, directions, padLeft, padRight);
    }

    Data withLayers(int n) {
      return new Data(layout, features, n, directions, padLeft, padRight);
    }
  }

  /**
   * Axis orders of the data, as ONNX holds it; Timestep's own tensors stay batch-major throughout,
   * so a layout only says which ONNX nodes may follow.
   */
  enum Layout {
    /** [batch, time, features]: Timestep's layout. */
    BATCH_TIME_FEATURES,
    /** [time, batch, features]: what ONNX's recurrent ops read. */
    TIME_BATCH_FEATURES,
    /** [batch, features, time]: what ONNX's Conv reads. */
    BATCH_FEATURES_TIME,
    /** [batch, features]. */
    BATCH_FEATURES,
    /** A recurrent op's Y: [time, directions, batch, units]. */
    STATES,
    /** Y with directions beside units: [time, batch, directions, units]. */
    STATES_BY_BATCH,
    /** A recurrent op's Y_h: [directions, batch, units]. */
    FINAL_STATES,
    /** Y_h with batch first: [batch, directions, units]. */
    FINAL_STATES_BY_BATCH,
    /** [batch, 1, features]: the last step of a sequence, kept as a sequence. */
    LAST_STEP,
    /** An LSTM's Y_c, which no Timestep layer outputs. */
    CELL_STATES
  }
}
