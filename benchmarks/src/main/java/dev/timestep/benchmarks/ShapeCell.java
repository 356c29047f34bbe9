package dev.timestep.benchmarks;

/**
 * The model kinds of the round-2 shape sweep ({@link ShapeSweep}) and their names in {@code
 * peer/sweep_torch.py}.
 */
enum ShapeCell {
  LSTM("lstm", "LSTM", 4),
  GRU("gru", "GRU", 3),
  SIMPLE_RNN("rnn", "SimpleRNN", 1),
  WAVENET("wavenet", "WaveNet", 0);

  /** The cell's name in the peer's point lines. */
  final String peerName;

  /** The name the report prints. */
  final String label;

  /**
   * Gates of a recurrent cell (the width of its products is {@code gates · units}); 0 for WaveNet.
   */
  final int gates;

  ShapeCell(String peerName, String label, int gates) {
    this.peerName = peerName;
    this.label = label;
    this.gates = gates;
  }

  boolean recurrent() {
    return gates > 0;
  }

  /**
   * The cell a peer name stands for.
   *
   * @throws IllegalArgumentException naming the known cells
   */
  static ShapeCell ofPeerName(String name) {
    for (ShapeCell c : values()) {
      if (c.peerName.equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "cell must be one of lstm, gru, rnn, wavenet, got '" + name + "'");
  }
}
