package dev.timestep.benchmarks;

import java.util.Locale;

/**
 * One point of the round-2 shape sweep: a model kind and its width, series length and batch.
 *
 * <p>Recurrent cells: two layers of {@code width} units over {@value #RECURRENT_FEATURES} input
 * features, every step returned, then TimeDistributed(Dense(1)); target [batch, steps, 1]. WaveNet:
 * the chapter's WaveNet with {@code width} channels (8 causal dilated Conv1D(width, 2, relu), rates
 * 1, 2, 4, 8 twice, then Conv1D(10, 1)) over one feature; target [batch, steps, 10]. The work
 * measured is one training step (forward, MSE, backward, Adam), the same in {@code
 * peer/sweep_torch.py}.
 *
 * @param cell the model kind
 * @param axis the swept size this point belongs to: {@code centre}, {@code units}, {@code steps},
 *     {@code batch} (for WaveNet {@code channels}, {@code length}), or {@code medium} (the issue's
 *     named medium shape)
 * @param width units of each recurrent layer, or channels of each WaveNet convolution
 * @param steps steps per series
 * @param batch series per training batch
 */
record ShapePoint(ShapeCell cell, String axis, int width, int steps, int batch) {
  /** Input features of the recurrent models. */
  static final int RECURRENT_FEATURES = 4;

  /** Outputs per step of the WaveNet (the chapter's 10-step horizon). */
  static final int WAVENET_HORIZON = 10;

  /** The WaveNet's dilation rates, one convolution each. */
  static final int[] WAVENET_RATES = {1, 2, 4, 8, 1, 2, 4, 8};

  /** Kernel size of the WaveNet's dilated convolutions. */
  static final int WAVENET_KERNEL = 2;

  /**
   * A piece of work that must run by itself (one recurrent layer's product at one step, or one
   * convolution over the whole batch) needs at least this many FLOP to count as compute-bound: 1
   * MFLOP is about 10 µs at one core's FMA peak, ten times a step's fixed costs (a kernel call, the
   * cell's pointwise chain).
   */
  static final double MIN_SERIAL_FLOPS = 1e6;

  /**
   * ...and at least this many FLOP per byte it must read or write: a margin above the balance of
   * one core (its FMA peak over what memory beyond L2 delivers), a few FLOP per byte on current x86
   * server cores.
   */
  static final double MIN_FLOPS_PER_BYTE = 8;

  ShapePoint {
    if (cell == null || axis == null || axis.isBlank()) {
      throw new IllegalArgumentException("a shape point needs a cell and an axis");
    }
    if (width < 1 || steps < 1 || batch < 1) {
      throw new IllegalArgumentException(
          "width, steps and batch must be at least 1, got " + width + ", " + steps + ", " + batch);
    }
  }

  /** The layer stack's FLOP counter for this point's length. */
  ModelFlops model() {
    ModelFlops m;
    switch (cell) {
      case LSTM ->
          m = ModelFlops.input(steps, RECURRENT_FEATURES).lstm(width, true).lstm(width, true);
      case GRU -> m = ModelFlops.input(steps, RECURRENT_FEATURES).gru(width, true).gru(width, true);
      case SIMPLE_RNN ->
          m =
              ModelFlops.input(steps, RECURRENT_FEATURES)
                  .simpleRnn(width, true)
                  .simpleRnn(width, true);
      default -> {
        m = ModelFlops.input(steps, 1);
        for (int rate : WAVENET_RATES) {
          m.conv(width, WAVENET_KERNEL, 1, rate, true, true);
        }
        return m.conv(WAVENET_HORIZON, 1, 1, 1, false, false);
      }
    }
    return m.dense(1);
  }

  /**
   * FLOPs of one training step: {@link ModelFlops#trainStepFlops} less the first layer's input
   * gradient, which neither Timestep nor PyTorch computes (the input needs none).
   */
  double trainStepFlops() {
    return model().trainStepFlops(batch) - firstLayerInputGradientFlops();
  }

  private double firstLayerInputGradientFlops() {
    if (cell.recurrent()) {
      return 2.0 * batch * steps * RECURRENT_FEATURES * cell.gates * width;
    }
    return 2.0 * batch * steps * WAVENET_KERNEL * 1 * width;
  }

  /** The floor of one training step in µs: its FLOPs at {@code fmaGflops} GFLOP/s. */
  double floorUs(double fmaGflops) {
    if (!(fmaGflops > 0)) {
      throw new IllegalArgumentException("the FMA rate must be positive, got " + fmaGflops);
    }
    return trainStepFlops() / (fmaGflops * 1e3);
  }

  /**
   * FLOPs of the largest piece of work that must run by itself: for a recurrent cell the second
   * layer's recurrent product at one step ({@code 2 · batch · width · gates · width}, it waits for
   * the previous step); for WaveNet one middle convolution over the whole batch and length.
   */
  double serialFlops() {
    if (cell.recurrent()) {
      return 2.0 * batch * width * cell.gates * width;
    }
    return 2.0 * batch * steps * WAVENET_KERNEL * width * width;
  }

  /**
   * Bytes that piece reads or writes at least once (float32): for a recurrent step the weights U,
   * the previous output and the gates' pre-activations; for a convolution its input, its output and
   * its kernel.
   */
  double serialBytes() {
    if (cell.recurrent()) {
      double gatesWide = (double) cell.gates * width;
      return 4.0 * (width * gatesWide + (double) batch * width + batch * gatesWide);
    }
    return 4.0 * (2.0 * batch * steps * width + (double) WAVENET_KERNEL * width * width);
  }

  /**
   * Whether the floor (FLOPs at the FMA peak) is the right bar: the serial piece of work is at
   * least {@link #MIN_SERIAL_FLOPS} and does at least {@link #MIN_FLOPS_PER_BYTE} per byte it
   * touches. Otherwise latency (a chain of small dependent steps) or memory bounds the time, and
   * the floor is shown but not held as a target.
   */
  boolean computeBound() {
    return serialFlops() >= MIN_SERIAL_FLOPS && serialFlops() / serialBytes() >= MIN_FLOPS_PER_BYTE;
  }

  /** The point as the peer reads it: {@code lstm 64 50 32}. */
  String peerSpec() {
    return cell.peerName + " " + width + " " + steps + " " + batch;
  }

  /** A short label: {@code LSTM u64 t50 b32} ({@code c} for WaveNet channels). */
  String label() {
    return String.format(
        Locale.ROOT,
        "%s %s%d t%d b%d",
        cell.label,
        cell.recurrent() ? "u" : "c",
        width,
        steps,
        batch);
  }
}
