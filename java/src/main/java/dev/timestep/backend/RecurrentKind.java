package dev.timestep.backend;

/**
 * The recurrent cells a backend runs as one fused op over a whole sequence. {@link #code()} matches
 * TS_RNN_* in native/include/timestep/status.h; {@link #gates()} is G, so the kernel is [F, G·H],
 * the recurrent kernel [H, G·H] and the bias [G·H].
 */
public enum RecurrentKind {
  /** h = act(x·W + h·U + b). */
  SIMPLE(0, 1),
  /** Keras LSTM, gates i, f, c, o; the initial cell state is zero. */
  LSTM(1, 4),
  /** Keras GRU with reset_after=True, gates z, r, h, and a recurrent bias [3H]. */
  GRU(2, 3),
  /** h = act(LayerNorm(x·W + h·U + b)) with γ, β held as one layer-norm array [2H]. */
  LAYER_NORM_SIMPLE(3, 1);

  private final int code;
  private final int gates;

  RecurrentKind(int code, int gates) {
    this.code = code;
    this.gates = gates;
  }

  public int code() {
    return code;
  }

  public int gates() {
    return gates;
  }

  /** Floats of the backward cache per (sample, step); see cpu_api.h for the layouts. */
  public int cacheRow(int units) {
    return switch (this) {
      case SIMPLE -> 0;
      case LSTM -> 5 * units;
      case GRU -> 4 * units;
      case LAYER_NORM_SIMPLE -> units + 1;
    };
  }

  /**
   * Length of the kind's own array ({@link RecurrentParams#cellWeights}): the GRU's recurrent bias
   * or the LN cell's γ and β; else 0.
   */
  public int cellWeightsSize(int units) {
    return switch (this) {
      case GRU -> 3 * units;
      case LAYER_NORM_SIMPLE -> 2 * units;
      default -> 0;
    };
  }

  /** What that array is called in checks and in model files, or null for kinds without one. */
  public String cellWeightsName() {
    return switch (this) {
      case GRU -> "recurrent_bias";
      case LAYER_NORM_SIMPLE -> "layer_norm";
      default -> null;
    };
  }
}
