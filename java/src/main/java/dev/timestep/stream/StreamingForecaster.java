package dev.timestep.stream;

import dev.timestep.autodiff.Tape;
import dev.timestep.backend.Backend;
import dev.timestep.nn.ModelLease;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Forecasts live series one observation at a time with a trained {@link Sequential}: one {@link
 * ForecastStream} per series, whose {@code push(observation)} returns what {@code predict} returns
 * for that series' whole history so far, without running the model over that history again.
 *
 * <p>For recurrent and causal convolutional models ({@link StreamMode#INCREMENTAL}: SimpleRNN,
 * LSTM, GRU or layer-norm SimpleRNN stacks, WaveNet-style causal Conv1D stacks, strided or 'valid'
 * Conv1D layers (which keep their phase: see below), with Dense, TimeDistributed, Dropout or
 * normalization layers between them and anything after the layer that drops the time axis) each
 * stream carries every recurrent layer's states, and each causal convolution's last (kernel -
 * 1)·dilation inputs, from point to point on the model's backend (on the device for cuda), so a new
 * point costs one step per layer. Other models ({@link StreamMode#FULL_WINDOW}, e.g. Flatten +
 * Dense, a 'same' Conv1D) keep their last {@code window} observations in a ring buffer and run the
 * model over it at every point; {@link #modeReason()} says which layer forced that.
 *
 * <p>A strided or 'valid' convolution has outputs only at some points of a series that starts at
 * the stream's first point (a causal one at points 1, 1 + stride, ...; a valid one once its span is
 * full, then every stride): a stream runs the layers after it only at those points, and in between
 * returns the forecast of the last output (empty before the first), as {@code predict} over the
 * growing series does. The phase comes from the stream's point count, so a snapshot keeps it; a
 * batched push runs the streams whose layers emit alike together.
 *
 * <p>Fused: when every layer is a SimpleRNN, LSTM, GRU or layer-norm SimpleRNN, a causal Conv1D of
 * stride 1, a Dense, a TimeDistributed(Dense) or a Dropout ({@link #isFused()}), a point is ONE
 * native call that steps the whole stack ({@link dev.timestep.backend.Backend#streamStep}), and a
 * batched push of many streams is one call too: every stream's states are a row of one slab owned
 * by this forecaster, read and updated in place (rows come in chunks; a closed stream's row is
 * reused, zeroed). Other incremental models step layer by layer through the layers' own calls.
 *
 * <p>Exactness: an incremental stream computes what a batch prediction computes, on the new step
 * from the carried states, so its forecasts equal {@code predict} over the growing window: bit for
 * bit on the reference backend, within 1e-6 on cpu. The layer-by-layer path calls the batch ops
 * themselves, whose GEMMs sum one row and many rows in different orders; the fused step sums each
 * product in the order of the batch GEMM (the input projections as over many rows, the recurrent
 * product as over one row) and uses the same cell functions, so it usually matches to the bit, but
 * the first point, where predict's input projection is over one row, may differ in the last bits.
 *
 * <pre>{@code
 * try (StreamingForecaster f = StreamingForecaster.of(model);
 *     ForecastStream s = f.open()) {
 *   s.warmUp(history);                    // [steps, features]
 *   float[] next = s.push(0.42f);          // the forecast after the new point
 *   byte[] parked = s.snapshot().toBytes(); // resume later with restore(StreamState.fromBytes(..))
 * }
 * }</pre>
 *
 * <p>Thread-safe: streams are independent, calls on one stream run one at a time, and {@link
 * #push(List, float[][])} runs many streams in one batched step. Each call holds the model (as
 * {@code predict} does), so closing the model waits for it. Closing the forecaster closes its
 * streams.
 */
public final class StreamingForecaster implements AutoCloseable {
  private final Sequential model;
  private final StreamPlan plan;
  private final IncrementalStep step;
  private final FusedStep fused; // null: the model's layers are stepped one by one
  private final int features;
  private final int window;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, ForecastStream> open = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private StreamingForecaster(Sequential model, int window) {
    this.model = model;
    this.plan = StreamPlan.of(model);
    this.step =
        plan.mode() == StreamMode.INCREMENTAL
            ? new IncrementalStep(
                model.layers(), plan.carrying(), plan.keepsTime(), model.inputShape())
            : null;
    this.fused = plan.mode() == StreamMode.INCREMENTAL ? FusedStep.of(model) : null;
    this.features = model.inputShape().dim(1);
    this.window = window;
  }

  /**
   * A forecaster for {@code model}, which must be built (trained, loaded or {@code build} called)
   * for samples [steps, features]; a full-window model keeps the window it was built for.
   *
   * @throws IllegalArgumentException for a null, unbuilt or closed model, or one whose samples are
   *     not [steps, features], or with a stateful layer
   */
  public static StreamingForecaster of(Sequential model) {
    requireModel(model);
    return new StreamingForecaster(model, model.inputShape().dim(0));
  }

  /**
   * As {@link #of(Sequential)}, with the number of last observations a full-window model runs over
   * (an incremental model ignores it: its states hold the whole history).
   *
   * @throws IllegalArgumentException also for a window below 1
   */
  public static StreamingForecaster of(Sequential model, int window) {
    requireModel(model);
    if (window < 1) {
      throw new IllegalArgumentException(
          "StreamingForecaster: the window must be at least 1 step, got " + window);
    }
    return new StreamingForecaster(model, window);
  }

  private static void requireModel(Sequential model) {
    if (model == null) {
      throw new IllegalArgumentException("StreamingForecaster: the model must not be null");
    }
    if (model.isClosed()) {
      throw new IllegalArgumentException("StreamingForecaster: the model is closed");
    }
    if (!model.isBuilt()) {
      throw new IllegalArgumentException(
          "StreamingForecaster: the model is not built; train, load or build(Shape.of(steps,"
              + " features)) it first");
    }
    if (model.inputShape().rank() != 2) {
      throw new IllegalArgumentException(
          "StreamingForecaster: the model takes samples of shape "
              + model.inputShape()
              + "; a stream needs samples [steps, features]");
    }
  }

  /** How each point is forecast: carried states, or a full pass over a ring buffer. */
  public StreamMode mode() {
    return plan.mode();
  }

  /** Why the model runs {@link StreamMode#FULL_WINDOW}; empty for an incremental one. */
  public String modeReason() {
    return plan.reason();
  }

  /** The observations a full-window stream keeps (and needs before its first forecast). */
  public int window() {
    return window;
  }

  /** The values per observation (the model's input features). */
  public int features() {
    return features;
  }

  /**
   * Whether each point runs as one fused native step of the whole model ({@link
   * dev.timestep.backend.Backend#streamStep}): true for stacks of SimpleRNN, LSTM, GRU and
   * layer-norm SimpleRNN layers, causal Conv1D layers of stride 1 (WaveNet) and Conv1D layers of
   * kernel 1, with Dense, TimeDistributed(Dense) and Dropout layers, whose states then live in one
   * slab of rows owned by this forecaster; false for other incremental models, which step layer by
   * layer, and for full-window ones.
   */
  public boolean isFused() {
    return fused != null;
  }

  /** The number of streams open now. */
  public int openStreams() {
    return open.size();
  }

  /**
   * A new stream with an empty history (zero states).
   *
   * @throws IllegalStateException when the forecaster is closed
   */
  public ForecastStream open() {
    requireOpen("open");
    long id = ids.getAndIncrement();
    ForecastStream s;
    if (fused != null) {
      int slot;
      try {
        slot = fused.acquire();
      } catch (IllegalStateException e) { // the slab closed with the forecaster
        requireOpen("open");
        throw e;
      }
      s = new ForecastStream(this, id, null, null, new int[] {slot}, null);
    } else if (plan.mode() == StreamMode.INCREMENTAL) {
      Scope scope = new Scope();
      List<Tensor> states = new ArrayList<>();
      try {
        for (Shape shape : step.stateShapes(1)) {
          states.add(model.backend().allocate(shape, scope));
        }
      } catch (RuntimeException e) {
        scope.close();
        throw e;
      }
      s = new ForecastStream(this, id, scope, List.copyOf(states), null, null);
    } else {
      s = new ForecastStream(this, id, null, null, null, new float[window * features]);
    }
    open.put(id, s);
    if (closed) { // closed meanwhile: leave nothing behind
      s.close();
      requireOpen("open");
    }
    return s;
  }

  /**
   * Feeds one observation to each of {@code streams} (row i of {@code observations} to stream i) in
   * one batched step: the streams' states are gathered into one batch, run through each layer once
   * and scattered back. Returns each stream's forecast, row i for stream i, as {@link
   * ForecastStream#push} would.
   *
   * @throws IllegalArgumentException for mismatched counts, a stream listed twice or of another
   *     forecaster, or a bad observation (before any stream changes)
   * @throws IllegalStateException when a stream, the forecaster or the model is closed
   */
  public float[][] push(List<ForecastStream> streams, float[][] observations) {
    requireOpen("push");
    if (streams == null || observations == null) {
      throw new IllegalArgumentException("push: streams and observations must not be null");
    }
    if (streams.size() != observations.length) {
      throw new IllegalArgumentException(
          "push: "
              + streams.size()
              + " streams but "
              + observations.length
              + " observations; give one observation per stream");
    }
    int n = streams.size();
    if (n == 0) {
      return new float[0][];
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      ForecastStream s = streams.get(i);
      if (s == null) {
        throw new IllegalArgumentException("push: stream " + i + " is null");
      }
      requireOwn(s, "push");
      requireObservation("push: observation " + i, observations[i]);
      order[i] = i;
    }
    // Lock in id order so that two batches sharing streams cannot deadlock.
    Arrays.sort(order, Comparator.comparingLong(i -> streams.get(i).id()));
    for (int k = 1; k < n; k++) {
      if (streams.get(order[k]).id() == streams.get(order[k - 1]).id()) {
        throw new IllegalArgumentException(
            "push: stream " + streams.get(order[k]).id() + " appears twice in one batch");
      }
    }
    int locked = 0;
    try {
      for (; locked < n; locked++) {
        streams.get(order[locked]).lock.lock();
      }
      for (ForecastStream s : streams) {
        s.requireOpen("push");
      }
      return plan.mode() == StreamMode.INCREMENTAL
          ? pushIncremental(streams, observations)
          : pushWindows(streams, observations);
    } finally {
      for (int k = locked - 1; k >= 0; k--) {
        streams.get(order[k]).lock.unlock();
      }
    }
  }

  /**
   * Closes every open stream (waiting for calls in progress on them) and frees the fused slab;
   * later calls fail. Leaves the model open.
   */
  @Override
  public void close() {
    closed = true;
    for (ForecastStream s : List.copyOf(open.values())) {
      s.close();
    }
    if (fused != null) {
      fused.close();
    }
  }

  // ---- what the streams call ---------------------------------------------------------

  float[] pushOne(ForecastStream s, float[] observation) {
    requireOpen("push");
    requireObservation("push", observation);
    s.lock.lock();
    try {
      s.requireOpen("push");
      if (plan.mode() == StreamMode.FULL_WINDOW) {
        append(s, observation);
        return s.steps < window ? new float[0] : predictWindows(List.of(s))[0];
      }
      if (fused != null) {
        try (ModelLease held = model.lease("stream push")) {
          float[] y = new float[fused.stack().outputs()];
          fused.step(s.slot, 1, observation, y);
          s.steps++;
          return y;
        }
      }
      Backend b = model.backend();
      try (ModelLease held = model.lease("stream push");
          Tape tape = new Tape(b, false)) {
        Tensor x =
            b.upload(new NDArray(Shape.of(1, 1, features), observation.clone()), tape.scope());
        if (step.hasPhases()) {
          return phasedPoint(tape, x, List.of(s))[0];
        }
        NDArray out = step.run(tape, x, s.states);
        s.steps++;
        return out.data();
      }
    } finally {
      s.lock.unlock();
    }
  }

  float[] warmUp(ForecastStream s, NDArray history) {
    requireOpen("warmUp");
    if (history == null || history.shape().rank() != 2 || history.dim(1) != features) {
      throw new IllegalArgumentException(
          "warmUp: the history must be [steps, "
              + features
              + "] but got "
              + (history == null ? "null" : history.shape()));
    }
    if (history.dim(0) == 0) {
      throw new IllegalArgumentException("warmUp: the history has no steps");
    }
    float[] values = history.data();
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(
            "warmUp: the history holds " + values[i] + " at step " + i / features);
      }
    }
    int steps = history.dim(0);
    s.lock.lock();
    try {
      s.requireOpen("warmUp");
      if (plan.mode() == StreamMode.FULL_WINDOW) {
        for (int t = Math.max(0, steps - window); t < steps; t++) {
          append(s, Arrays.copyOfRange(values, t * features, (t + 1) * features));
        }
        s.steps += Math.max(0, steps - window);
        return s.steps < window ? new float[0] : predictWindows(List.of(s))[0];
      }
      if (fused != null) {
        try (ModelLease held = model.lease("stream warmUp")) {
          float[] x = new float[features];
          float[] y = new float[fused.stack().outputs()];
          for (int t = 0; t < steps; t++) {
            System.arraycopy(values, t * features, x, 0, features);
            fused.step(s.slot, 1, x, y);
          }
          s.steps += steps;
          return y;
        }
      }
      Backend b = model.backend();
      if (step.hasPhases()) {
        // which points a strided layer emits at depends on each point's place: one at a time
        float[] last = null;
        try (ModelLease held = model.lease("stream warmUp")) {
          for (int t = 0; t < steps; t++) {
            try (Tape tape = new Tape(b, false)) {
              NDArray row =
                  new NDArray(
                      Shape.of(1, 1, features),
                      Arrays.copyOfRange(values, t * features, (t + 1) * features));
              last = phasedPoint(tape, b.upload(row, tape.scope()), List.of(s))[0];
            }
          }
        }
        return last;
      }
      try (ModelLease held = model.lease("stream warmUp");
          Tape tape = new Tape(b, false)) {
        Tensor x =
            b.upload(new NDArray(Shape.of(1, steps, features), values.clone()), tape.scope());
        NDArray out = step.run(tape, x, s.states);
        s.steps += steps;
        return out.data();
      }
    } finally {
      s.lock.unlock();
    }
  }

  StreamState snapshot(ForecastStream s) {
    s.lock.lock();
    try {
      s.requireOpen("snapshot");
      if (plan.mode() == StreamMode.FULL_WINDOW) {
        return new StreamState(StreamMode.FULL_WINDOW, s.steps, new float[][] {orderedWindow(s)});
      }
      if (fused != null) {
        return new StreamState(StreamMode.INCREMENTAL, s.steps, fused.states(s.slot[0]));
      }
      int carried = s.states.size();
      float[][] values = new float[carried + (step.hasPhases() ? 1 : 0)][];
      for (int k = 0; k < carried; k++) {
        values[k] = model.backend().download(s.states.get(k)).data();
      }
      if (step.hasPhases()) {
        values[carried] = s.lastForecast == null ? new float[0] : s.lastForecast.clone();
      }
      return new StreamState(StreamMode.INCREMENTAL, s.steps, values);
    } finally {
      s.lock.unlock();
    }
  }

  void restore(ForecastStream s, StreamState state) {
    requireFits(state);
    s.lock.lock();
    try {
      s.requireOpen("restore");
      if (plan.mode() == StreamMode.FULL_WINDOW) {
        float[] w = state.arrayView(0);
        Arrays.fill(s.ring, 0f);
        System.arraycopy(w, 0, s.ring, 0, w.length);
        s.head = w.length % s.ring.length;
      } else if (fused != null) {
        fused.restore(s.slot[0], state);
      } else {
        for (int k = 0; k < s.states.size(); k++) {
          Tensor t = s.states.get(k);
          model.backend().upload(new NDArray(t.shape(), state.array(k)), t);
        }
        if (step.hasPhases()) {
          float[] last = state.array(s.states.size());
          s.lastForecast = last.length == 0 ? null : last;
        }
      }
      s.steps = state.steps();
    } finally {
      s.lock.unlock();
    }
  }

  void reset(ForecastStream s) {
    s.lock.lock();
    try {
      s.requireOpen("reset");
      if (plan.mode() == StreamMode.FULL_WINDOW) {
        Arrays.fill(s.ring, 0f);
        s.head = 0;
      } else if (fused != null) {
        fused.reset(s.slot[0]);
      } else {
        for (Tensor t : s.states) {
          model.backend().fill(t, 0f);
        }
        s.lastForecast = null;
      }
      s.steps = 0;
    } finally {
      s.lock.unlock();
    }
  }

  /** After {@code s} closed: it leaves the open streams and its slot is reused. */
  void forget(ForecastStream s) {
    open.remove(s.id());
    if (s.slot != null) {
      fused.release(s.slot[0]);
    }
  }

  // ---- internals ------------------------------------------------------------------

  private float[][] pushIncremental(List<ForecastStream> streams, float[][] observations) {
    int n = streams.size();
    float[] x = new float[n * features];
    for (int i = 0; i < n; i++) {
      System.arraycopy(observations[i], 0, x, i * features, features);
    }
    if (fused != null) {
      return pushFused(streams, x);
    }
    Backend b = model.backend();
    try (ModelLease held = model.lease("stream push");
        Tape tape = new Tape(b, false)) {
      Tensor input = b.upload(new NDArray(Shape.of(n, 1, features), x), tape.scope());
      if (step.hasPhases()) {
        return phasedPoint(tape, input, streams);
      }
      return stepTogether(tape, input, streams, -1);
    }
  }

  /**
   * One point x [n, 1, F] of streams whose strided layers emit alike, run together as one batch
   * (states gathered, stepped, scattered back); null when the point stops at layer {@code stop}.
   */
  private float[][] stepTogether(Tape tape, Tensor x, List<ForecastStream> streams, int stop) {
    Backend b = model.backend();
    int n = streams.size();
    List<Shape> shapes = step.stateShapes(n);
    List<Tensor> batch = new ArrayList<>(shapes.size());
    for (int k = 0; k < shapes.size(); k++) {
      Tensor t = tape.allocateForOverwrite(shapes.get(k));
      int units = shapes.get(k).dim(1);
      for (int i = 0; i < n; i++) {
        b.copy(streams.get(i).states.get(k), t.view((long) i * units, Shape.of(1, units)));
      }
      batch.add(t);
    }
    NDArray out = step.run(tape, x, batch, stop);
    for (int k = 0; k < shapes.size(); k++) {
      int units = shapes.get(k).dim(1);
      for (int i = 0; i < n; i++) {
        b.copy(
            batch.get(k).view((long) i * units, Shape.of(1, units)), streams.get(i).states.get(k));
      }
    }
    for (ForecastStream s : streams) {
      s.steps++;
    }
    return out == null ? null : rows(out, n);
  }

  /**
   * One point x [n, 1, F] for streams of a model with strided or 'valid' convolutions: the streams
   * whose layers emit alike (same {@link IncrementalStep#stopLayer}) step together; a stream whose
   * point completes no output of the model returns its last forecast (empty before the first).
   */
  private float[][] phasedPoint(Tape tape, Tensor x, List<ForecastStream> streams) {
    Backend b = model.backend();
    Map<Integer, List<Integer>> groups = new TreeMap<>();
    for (int i = 0; i < streams.size(); i++) {
      groups.computeIfAbsent(step.stopLayer(streams.get(i).steps), k -> new ArrayList<>()).add(i);
    }
    float[][] out = new float[streams.size()][];
    for (Map.Entry<Integer, List<Integer>> g : groups.entrySet()) {
      List<Integer> members = g.getValue();
      List<ForecastStream> group = new ArrayList<>(members.size());
      Tensor gx = tape.allocateForOverwrite(Shape.of(members.size(), 1, features));
      for (int k = 0; k < members.size(); k++) {
        group.add(streams.get(members.get(k)));
        b.copy(
            x.view((long) members.get(k) * features, Shape.of(features)),
            gx.view((long) k * features, Shape.of(features)));
      }
      float[][] rows = stepTogether(tape, gx, group, g.getKey());
      for (int k = 0; k < members.size(); k++) {
        ForecastStream s = group.get(k);
        if (rows != null) {
          s.lastForecast = rows[k];
        }
        out[members.get(k)] = s.lastForecast == null ? new float[0] : s.lastForecast.clone();
      }
    }
    return out;
  }

  /** One fused step of every stream: their rows are read and written in place, in one call. */
  private float[][] pushFused(List<ForecastStream> streams, float[] x) {
    int n = streams.size();
    int outputs = fused.stack().outputs();
    int[] slots = new int[n];
    for (int i = 0; i < n; i++) {
      slots[i] = streams.get(i).slot[0];
    }
    float[] y = new float[n * outputs];
    try (ModelLease held = model.lease("stream push")) {
      fused.step(slots, n, x, y);
    }
    for (ForecastStream s : streams) {
      s.steps++;
    }
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOfRange(y, i * outputs, (i + 1) * outputs);
    }
    return out;
  }

  private float[][] pushWindows(List<ForecastStream> streams, float[][] observations) {
    List<ForecastStream> ready = new ArrayList<>();
    for (int i = 0; i < streams.size(); i++) {
      append(streams.get(i), observations[i]);
      if (streams.get(i).steps >= window) {
        ready.add(streams.get(i));
      }
    }
    float[][] readyOut = ready.isEmpty() ? new float[0][] : predictWindows(ready);
    float[][] out = new float[streams.size()][];
    for (int i = 0, r = 0; i < streams.size(); i++) {
      out[i] = streams.get(i).steps >= window ? readyOut[r++] : new float[0];
    }
    return out;
  }

  /** One predict over the windows of full-window streams that have seen their window. */
  private float[][] predictWindows(List<ForecastStream> streams) {
    int n = streams.size();
    int size = window * features;
    float[] x = new float[n * size];
    for (int i = 0; i < n; i++) {
      System.arraycopy(orderedWindow(streams.get(i)), 0, x, i * size, size);
    }
    NDArray out = model.predict(new NDArray(Shape.of(n, window, features), x), Math.max(1, n));
    return rows(out, n);
  }

  private static float[][] rows(NDArray out, int n) {
    int width = Math.toIntExact(out.shape().rowSize());
    float[][] rows = new float[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = Arrays.copyOfRange(out.data(), i * width, (i + 1) * width);
    }
    return rows;
  }

  private void append(ForecastStream s, float[] observation) {
    System.arraycopy(observation, 0, s.ring, s.head, features);
    s.head = (s.head + features) % s.ring.length;
    s.steps++;
  }

  /** The kept observations, oldest first: min(steps, window) rows. */
  private float[] orderedWindow(ForecastStream s) {
    int kept = (int) Math.min(s.steps, window) * features;
    float[] out = new float[kept];
    int start = Math.floorMod(s.head - kept, s.ring.length);
    for (int i = 0; i < kept; i++) {
      out[i] = s.ring[(start + i) % s.ring.length];
    }
    return out;
  }

  private void requireFits(StreamState state) {
    if (state == null) {
      throw new IllegalArgumentException("restore: the state must not be null");
    }
    if (state.mode() != plan.mode()) {
      throw new IllegalArgumentException(
          "restore: the state is of a "
              + state.mode()
              + " stream, this forecaster's are "
              + plan.mode());
    }
    if (plan.mode() == StreamMode.FULL_WINDOW) {
      int len = state.arrayView(0).length;
      if (state.arrays() != 1 || len % features != 0 || len > window * features) {
        throw new IllegalArgumentException(
            "restore: the state keeps "
                + len
                + " values, this forecaster keeps up to "
                + window
                + " observations of "
                + features);
      }
      if (len != Math.min(state.steps(), window) * features) {
        throw new IllegalArgumentException(
            "restore: the state's window ("
                + len / features
                + " observations) does not match its "
                + state.steps()
                + " steps");
      }
      return;
    }
    List<Shape> shapes = step.stateShapes(1);
    int expected = shapes.size() + (step.hasPhases() ? 1 : 0); // and the last forecast
    if (state.arrays() != expected) {
      throw new IllegalArgumentException(
          "restore: the state has " + state.arrays() + " arrays, this model carries " + expected);
    }
    if (step.hasPhases()) {
      int kept = state.arrayView(shapes.size()).length;
      int width = forecastWidth();
      if (kept != 0 && kept != width) {
        throw new IllegalArgumentException(
            "restore: the state's last forecast has "
                + kept
                + " values, this model forecasts "
                + width);
      }
    }
    for (int k = 0; k < shapes.size(); k++) {
      if (state.arrayView(k).length != shapes.get(k).dim(1)) {
        throw new IllegalArgumentException(
            "restore: state array "
                + k
                + " has "
                + state.arrayView(k).length
                + " values, this model's has "
                + shapes.get(k).dim(1));
      }
      for (float v : state.arrayView(k)) {
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException("restore: state array " + k + " holds " + v);
        }
      }
    }
  }

  /**
   * The values of one forecast: the model's output for one sample, its last step if it has time.
   */
  private int forecastWidth() {
    Shape out = model.inputShape();
    for (var layer : model.layers()) {
      out = layer.outputShape(out);
    }
    return Math.toIntExact(plan.keepsTime() ? out.dropFirst().size() : out.size());
  }

  private void requireOwn(ForecastStream s, String operation) {
    if (open.get(s.id()) != s) {
      throw new IllegalArgumentException(
          operation + ": stream " + s.id() + " is closed or belongs to another forecaster");
    }
  }

  private void requireObservation(String what, float[] observation) {
    if (observation == null || observation.length != features) {
      throw new IllegalArgumentException(
          what
              + ": an observation has "
              + features
              + " value(s) (the model's input features) but got "
              + (observation == null ? "null" : observation.length));
    }
    for (int f = 0; f < features; f++) {
      if (!Float.isFinite(observation[f])) {
        throw new IllegalArgumentException(what + ": value " + f + " is " + observation[f]);
      }
    }
  }

  private void requireOpen(String operation) {
    if (closed) {
      throw new IllegalStateException(operation + ": the StreamingForecaster is closed");
    }
  }
}
