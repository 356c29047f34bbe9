package dev.timestep.stream;

import dev.timestep.autodiff.Parameter;
import dev.timestep.backend.Backend;
import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.RecurrentKind;
import dev.timestep.backend.RecurrentParams;
import dev.timestep.backend.StreamSlab;
import dev.timestep.backend.StreamStack;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.Layer;
import dev.timestep.nn.RecurrentLayer;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The streams of a model whose every layer is a recurrent layer, a Dense (or TimeDistributed Dense)
 * or a Dropout (the identity at inference): one {@link Backend#streamStep} call per pushed point,
 * or per batch of streams, runs the whole stack, each stream's states living in a row of one {@link
 * StreamSlab}. Slots are handed out from a free list first, then from new chunks; a freed slot is
 * zeroed when it is handed out again. The row holds the states in the order {@link
 * IncrementalStep#stateShapes} lists them (h, then c for the LSTM, a convolution's queue, layer by
 * layer), so a snapshot moves between a fused and an unfused forecaster of the same model.
 */
final class FusedStep implements AutoCloseable {
  /** Rows per slab chunk: a chunk of the chapter's LSTM(20)x2 is 80 KB. */
  static final int CHUNK_ROWS = 256;

  private final Backend backend;
  private final StreamStack stack;
  private final StreamSlab slab;
  private final int[] stateSizes;
  private final Deque<Integer> free = new ArrayDeque<>();
  private int nextSlot;
  private int capacity;

  private FusedStep(Backend backend, StreamStack stack) {
    this.backend = backend;
    this.stack = stack;
    this.slab = backend.streamSlab(stack, CHUNK_ROWS);
    this.stateSizes =
        stack.layers().stream().flatMapToInt(l -> Arrays.stream(l.stateSizes())).toArray();
  }

  /** The fused step of {@code model}, or null when a layer does not fuse (the caller steps it). */
  static FusedStep of(Sequential model) {
    StreamStack stack = stackOf(model);
    return stack == null ? null : new FusedStep(model.backend(), stack);
  }

  /** The stack of {@code model}'s layers and weights, or null when one layer does not fuse. */
  static StreamStack stackOf(Sequential model) {
    List<Parameter> params = model.parameters().parameters();
    StreamStack.Builder b = StreamStack.builder(model.inputShape().dim(1));
    int next = 0;
    int fused = 0;
    for (Layer layer : model.layers()) {
      Layer inner = layer instanceof TimeDistributed td ? td.layer() : layer;
      if (inner instanceof Dropout) {
        continue;
      }
      if (inner instanceof Conv1D c
          && c.strides() == 1
          && (c.padding() == ConvPadding.CAUSAL || c.kernelSize() == 1)) {
        if (c.useBias() ? !named(params, next, "kernel", "bias") : !named(params, next, "kernel")) {
          return null;
        }
        b.conv(
            params.get(next).value(),
            c.useBias() ? params.get(next + 1).value() : null,
            c.activation(),
            c.dilationRate());
        next += c.useBias() ? 2 : 1;
      } else if (inner instanceof Dense d) {
        if (!named(params, next, "kernel", "bias")) {
          return null;
        }
        b.dense(params.get(next).value(), params.get(next + 1).value(), d.activation());
        next += 2;
      } else if (layer instanceof RecurrentLayer r && !r.isStateful()) {
        RecurrentKind kind = r.kind();
        boolean cell = kind.cellWeightsSize(r.units()) > 0;
        if (cell
            ? !named(params, next, "kernel", "recurrent_kernel", "bias", kind.cellWeightsName())
            : !named(params, next, "kernel", "recurrent_kernel", "bias")) {
          return null;
        }
        Tensor cellWeights = cell ? params.get(next + 3).value() : null;
        b.recurrent(
            kind,
            r.activation(),
            RecurrentParams.of(
                kind,
                params.get(next).value(),
                params.get(next + 1).value(),
                params.get(next + 2).value(),
                cellWeights));
        next += cell ? 4 : 3;
      } else {
        return null;
      }
      if (++fused > StreamStack.MAX_LAYERS) {
        return null;
      }
    }
    return fused == 0 || next != params.size() ? null : b.build();
  }

  /** Whether parameters from {@code at} on are named .../suffix[0], .../suffix[1], ... */
  private static boolean named(List<Parameter> params, int at, String... suffixes) {
    if (at + suffixes.length > params.size()) {
      return false;
    }
    for (int i = 0; i < suffixes.length; i++) {
      if (!params.get(at + i).name().endsWith("/" + suffixes[i])) {
        return false;
      }
    }
    return true;
  }

  StreamStack stack() {
    return stack;
  }

  /**
   * A slot with zero states: a freed one, else the next unused one (growing the slab by a chunk).
   *
   * @throws IllegalStateException when the slab is closed
   */
  synchronized int acquire() {
    int slot;
    if (!free.isEmpty()) {
      slot = free.pop();
      if (stack.rowFloats() > 0) {
        backend.fill(slab.row(slot), 0f);
      }
    } else {
      if (nextSlot == capacity) {
        slab.grow();
        capacity = slab.capacity();
      }
      slot = nextSlot++;
    }
    return slot;
  }

  /** Returns a slot for reuse (its stream is closed). */
  synchronized void release(int slot) {
    if (!slab.isClosed()) {
      free.push(slot);
    }
  }

  /** One step of the streams in {@code slots[0, count)}; see {@link Backend#streamStep}. */
  void step(int[] slots, int count, float[] x, float[] y) {
    backend.streamStep(slab, slots, count, x, y);
  }

  /** The states of {@code slot}, one array per state (as a {@link StreamState} holds them). */
  float[][] states(int slot) {
    float[] row = stack.rowFloats() == 0 ? new float[0] : backend.download(slab.row(slot)).data();
    float[][] out = new float[stateSizes.length][];
    int at = 0;
    for (int k = 0; k < stateSizes.length; k++) {
      out[k] = Arrays.copyOfRange(row, at, at + stateSizes[k]);
      at += stateSizes[k];
    }
    return out;
  }

  /** Overwrites the states of {@code slot} with {@code state}'s (already checked to fit). */
  void restore(int slot, StreamState state) {
    if (stack.rowFloats() == 0) {
      return;
    }
    float[] row = new float[stack.rowFloats()];
    int at = 0;
    for (int k = 0; k < stateSizes.length; k++) {
      System.arraycopy(state.arrayView(k), 0, row, at, stateSizes[k]);
      at += stateSizes[k];
    }
    backend.upload(new NDArray(Shape.of(row.length), row), slab.row(slot));
  }

  /** Zeroes the states of {@code slot}. */
  void reset(int slot) {
    if (stack.rowFloats() > 0) {
      backend.fill(slab.row(slot), 0f);
    }
  }

  /** Frees the slab: every slot's states at once. */
  @Override
  public synchronized void close() {
    free.clear();
    slab.close();
  }
}
