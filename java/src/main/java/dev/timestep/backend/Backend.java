package dev.timestep.backend;

import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;

/**
 * Where tensors live and ops run. Three implementations: the pure-Java reference (the oracle), the
 * native CPU backend and the CUDA backend. Every method validates shapes and ownership before any
 * native call (see {@link AbstractBackend}).
 *
 * <p>Conventions: forward ops overwrite their output; every {@code *Grad} op ADDS into its gradient
 * output, so gradients of a value used twice simply sum. Matrices are row-major.
 */
public interface Backend {

  /**
   * The best backend that can run here (CUDA, else native CPU, else the reference), or the one
   * forced by the {@code timestep.backend} system property. Never throws unless a forced backend is
   * unavailable. See {@link Backends}.
   */
  static Backend auto() {
    return Backends.auto();
  }

  /** "reference", "cpu" or "cuda". */
  String name();

  /** One line on what this backend runs on (device name, library). */
  String description();

  // ---- memory --------------------------------------------------------------------------
  /** A zero-filled tensor owned by {@code scope}. */
  Tensor allocate(Shape shape, Scope scope);

  /**
   * A tensor owned by {@code scope} whose contents are unspecified: for an op output that the
   * kernel writes in full, so no time goes into zeroing it first. Backends may return zeros.
   */
  default Tensor allocateForOverwrite(Shape shape, Scope scope) {
    return allocate(shape, scope);
  }

  /** A new tensor owned by {@code scope} holding a copy of {@code array}. */
  Tensor upload(NDArray array, Scope scope);

  /** Copies {@code array} into an existing tensor of the same size. */
  void upload(NDArray array, Tensor dst);

  /** Copies a tensor's values to the Java heap. */
  NDArray download(Tensor tensor);

  /** The single value of a one-element tensor. */
  float readScalar(Tensor tensor);

  /**
   * Batches {@code fit} runs between two reads of its loss when {@code FitOptions.syncEvery} is
   * left at 0: 1 where reading a scalar back costs nothing (the CPU backends), more where each read
   * stalls the host until the device has finished its queue.
   */
  default int syncInterval() {
    return 1;
  }

  void fill(Tensor tensor, float value);

  void copy(Tensor src, Tensor dst);

  /** dst += src. */
  void accumulate(Tensor src, Tensor dst);

  /** dst[i, ...] = src[rows[from + i], ...] for i < dst.dim(0). */
  void gatherRows(Tensor src, int[] rows, int from, Tensor dst);

  // ---- ops -----------------------------------------------------------------------------
  /** c = (accumulate ? c : 0) + op(a) . op(b), where op transposes when asked. 2-D only. */
  void matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, boolean accumulate);

  /** y = x + bias, bias broadcast over all leading axes of x (bias has x's last dim). */
  void addBias(Tensor x, Tensor bias, Tensor y);

  /** dbias += dy summed over all leading axes. */
  void biasGrad(Tensor dy, Tensor dbias);

  void add(Tensor a, Tensor b, Tensor y);

  void mul(Tensor a, Tensor b, Tensor y);

  /** dx += dy * other (the gradient of a product with respect to one factor). */
  void mulGrad(Tensor dy, Tensor other, Tensor dx);

  void activation(Activation kind, Tensor x, Tensor y);

  /** dx += dy * f'(x), computed from the forward output y. */
  void activationGrad(Activation kind, Tensor y, Tensor dy, Tensor dx);

  /** y[b, f] = x[b, step, f] for x of shape [B, T, F]. */
  void timeStep(Tensor x, int step, Tensor y);

  /** dx[b, step, f] += dy[b, f]. */
  void timeStepGrad(Tensor dy, int step, Tensor dx);

  /** y[b, f] = x[b, T-1, f]: the last step. */
  default void lastStep(Tensor x, Tensor y) {
    timeStep(x, x == null || x.rank() != 3 ? 0 : x.dim(1) - 1, y);
  }

  /** dx[b, T-1, f] += dy[b, f]. */
  default void lastStepGrad(Tensor dy, Tensor dx) {
    timeStepGrad(dy, dx == null || dx.rank() != 3 ? 0 : dx.dim(1) - 1, dx);
  }

  /** loss[0] = mean((pred - target)^2). */
  void mse(Tensor pred, Tensor target, Tensor loss);

  /** dpred += dloss[0] * 2 (pred - target) / n. */
  void mseGrad(Tensor pred, Tensor target, Tensor dloss, Tensor dpred);

  /**
   * loss[0] = the mean of {@code kind}'s loss of pred[t·k + i] against target[t] with parameter
   * params[i], over every target value t and each of its k = params.length predictions: pred has
   * target's shape with the last axis k times longer (the same shape for k = 1), so the k
   * predictions of one target value are adjacent. {@code params} is a host array of 1 to {@link
   * ElementwiseLoss#MAX_PARAMETERS} values, each valid for the kind.
   */
  void elementwiseLoss(
      ElementwiseLoss kind, float[] params, Tensor pred, Tensor target, Tensor loss);

  /**
   * Adds the gradients of {@link #elementwiseLoss}, times dloss[0], into dpred and dtarget; either
   * may be null (not both).
   */
  void elementwiseLossGrad(
      ElementwiseLoss kind,
      float[] params,
      Tensor pred,
      Tensor target,
      Tensor dloss,
      Tensor dpred,
      Tensor dtarget);

  /** y[0] = the sum of x's elements (0 for an empty x); y is a one-element tensor. */
  void sum(Tensor x, Tensor y);

  /** dx += dy[0] at every element (the gradient of {@link #sum}); dy is a one-element tensor. */
  void sumGrad(Tensor dy, Tensor dx);

  /**
   * Whether every element of every tensor is finite (no NaN, no infinity): one read from the
   * backend's memory for all of them, so a device backend waits for its queued work once.
   */
  boolean allFinite(Tensor... tensors);

  /**
   * {@link #allFinite(Tensor...)} for hot loops: the per-tensor results go to {@code scratch}, a
   * tensor of {@code tensors.length} elements (at least one) that the caller owns and reuses, so
   * nothing is allocated per call. Its contents afterwards are unspecified.
   */
  boolean allFiniteInto(Tensor scratch, Tensor... tensors);

  /**
   * One fused Adam step over all elements, without weight decay or AMSGrad: {@link #adam(Tensor,
   * Tensor, Tensor, Tensor, Tensor, float, float, float, float, float)} with no vhat and decay 0.
   */
  default void adam(
      Tensor param,
      Tensor grad,
      Tensor m,
      Tensor v,
      float lrT,
      float beta1,
      float beta2,
      float epsilon) {
    adam(param, grad, m, v, null, lrT, beta1, beta2, epsilon, 0f);
  }

  /**
   * One fused Adam step over all elements, in Keras' form. Per element: {@code p -= decay·p}
   * (AdamW's decoupled weight decay, {@code decay = learning rate × weight decay}; 0 for none),
   * then {@code m = β1·m + (1-β1)·g}, {@code v = β2·v + (1-β2)·g²}, with AMSGrad {@code vhat =
   * max(vhat, v)} used in place of v, and {@code p -= lrT·m / (sqrt(v) + ε)} where {@code lrT} is
   * the bias-corrected learning rate {@code lr·sqrt(1-β2^t)/(1-β1^t)}.
   *
   * @param vhat AMSGrad's running maximum of v (param's size), or null for plain Adam
   * @throws IllegalArgumentException for tensors of different sizes, an output sharing memory with
   *     another tensor, lrT not finite and > 0, a β outside [0, 1), ε < 0, or decay outside [0, 1)
   */
  void adam(
      Tensor param,
      Tensor grad,
      Tensor m,
      Tensor v,
      Tensor vhat,
      float lrT,
      float beta1,
      float beta2,
      float epsilon,
      float decay);

  /**
   * One fused SGD step over all elements, in Keras' form. Without a velocity (momentum 0): {@code p
   * -= lr·g}. With one: {@code velocity = momentum·velocity - lr·g}, then {@code p += velocity}, or
   * with Nesterov {@code p += momentum·velocity - lr·g}.
   *
   * @param velocity param's size when momentum is not 0; null exactly when momentum is 0
   * @throws IllegalArgumentException for tensors of different sizes, an output sharing memory with
   *     another tensor, lr not finite and > 0, momentum outside [0, 1], or a velocity that does not
   *     go with the momentum
   */
  void sgd(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, boolean nesterov);

  /**
   * One fused RMSprop step over all elements, in Keras' form: {@code velocity = ρ·velocity +
   * (1-ρ)·g²}; centered (averageGrad not null) also {@code averageGrad = ρ·averageGrad + (1-ρ)·g}
   * and the denominator is {@code sqrt(velocity - averageGrad² + ε)}, else {@code sqrt(velocity +
   * ε)}; the increment is {@code lr·g / denominator}, and {@code p -= increment}, or with momentum
   * {@code momentumBuf = momentum·momentumBuf + increment}, {@code p -= momentumBuf}.
   *
   * @param averageGrad the running mean of the gradient (param's size) when centered, else null
   * @param momentumBuf param's size when momentum is not 0; null exactly when momentum is 0
   * @throws IllegalArgumentException for tensors of different sizes, an output sharing memory with
   *     another tensor, lr not finite and > 0, ρ outside [0, 1), momentum outside [0, 1], ε < 0, or
   *     a momentum buffer that does not go with the momentum
   */
  void rmsprop(
      Tensor param,
      Tensor grad,
      Tensor velocity,
      Tensor averageGrad,
      Tensor momentumBuf,
      float lr,
      float rho,
      float momentum,
      float epsilon);

  /**
   * Layer normalization over the last axis: y = γ·(x - mean)/sqrt(var + 1e-3) + β (Keras' epsilon).
   * Also writes xhat (x's shape) and rstd (one value per row) for backward.
   */
  void layerNorm(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor xhat, Tensor rstd);

  /** Adds the gradients of {@link #layerNorm} from dy into dx, dgamma and dbeta. */
  void layerNormGrad(
      Tensor dy, Tensor xhat, Tensor rstd, Tensor gamma, Tensor dx, Tensor dgamma, Tensor dbeta);

  /**
   * Batch normalization in training mode over the last axis (Keras' BatchNormalization, axis=-1): x
   * has rank ≥ 2 and is taken as [rows, C] with C = x.dim(-1) and rows = size / C ≥ 1. Per channel,
   * mean and the biased variance over all rows give y = γ·(x - mean)/sqrt(var + 1e-3) + β. Writes y
   * and xhat (x's shape), and mean, var (the batch statistics, for moving averages) and rstd =
   * 1/sqrt(var + 1e-3) for backward, each of shape [C].
   */
  void batchNorm(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor y,
      Tensor xhat,
      Tensor mean,
      Tensor var,
      Tensor rstd);

  /**
   * Adds the gradients of {@link #batchNorm} (training mode, through the batch statistics) from dy
   * into dx, dgamma and dbeta.
   */
  void batchNormGrad(
      Tensor dy, Tensor xhat, Tensor rstd, Tensor gamma, Tensor dx, Tensor dgamma, Tensor dbeta);

  /**
   * Batch normalization in inference mode: y = γ·(x - movingMean)/sqrt(movingVar + 1e-3) + β per
   * channel of the last axis (x of rank ≥ 2, the four parameter tensors [C]).
   */
  void batchNormInference(
      Tensor x, Tensor gamma, Tensor beta, Tensor movingMean, Tensor movingVar, Tensor y);

  /**
   * A 1-D convolution fused with its bias and activation: x [B, T, Cin], kernel [K, Cin, Cout],
   * bias [Cout] or null, y [B, spec.outSteps(), Cout].
   */
  void conv1d(Tensor x, Tensor kernel, Tensor bias, Conv1dSpec spec, Tensor y);

  /**
   * Adds the gradients of {@link #conv1d} from dy into dx (may be null), dkernel and dbias (null
   * without bias).
   */
  void conv1dGrad(
      Tensor x,
      Tensor kernel,
      Tensor y,
      Tensor dy,
      Conv1dSpec spec,
      Tensor dx,
      Tensor dkernel,
      Tensor dbias);

  // ---- fused recurrent layers (whole sequences) ----------------------------------------
  /**
   * Runs a recurrent layer over x [B, T, F] from the initial state h0 [B, H] (and, for the LSTM,
   * the initial cell state c0 [B, H]; null means zeros, and other kinds refuse one): out [B, T, H]
   * gets the state after every step, {@code cache} (a tensor of at least B·T·{@link
   * RecurrentKind#cacheRow} floats) what backward needs. The final h is step T-1 of out; the LSTM's
   * final c is c_t of the cache's last step (floats 4H..5H of cache row (b, T-1)). {@code
   * activation} applies to SIMPLE and LAYER_NORM_SIMPLE.
   */
  void recurrentForward(
      RecurrentKind kind,
      Activation activation,
      Tensor x,
      Tensor h0,
      Tensor c0,
      RecurrentParams weights,
      Tensor out,
      Tensor cache);

  /**
   * {@link #recurrentForward(RecurrentKind, Activation, Tensor, Tensor, Tensor, RecurrentParams,
   * Tensor, Tensor)} with no initial cell state (zeros for the LSTM).
   */
  default void recurrentForward(
      RecurrentKind kind,
      Activation activation,
      Tensor x,
      Tensor h0,
      RecurrentParams weights,
      Tensor out,
      Tensor cache) {
    recurrentForward(kind, activation, x, h0, null, weights, out, cache);
  }

  /**
   * Backpropagation through time for {@link #recurrentForward}: adds the gradients from dout [B, T,
   * H] (summed over all steps) and, for the LSTM, from dcLast [B, H] (the gradient of the final
   * cell state; null means zero) into dx, dh0, dc0 (each may be null) and {@code grads}. c0 is the
   * forward's. c0, dcLast and dc0 are the LSTM's only: other kinds refuse them.
   */
  void recurrentBackward(
      RecurrentKind kind,
      Activation activation,
      Tensor x,
      Tensor h0,
      Tensor c0,
      RecurrentParams weights,
      Tensor out,
      Tensor cache,
      Tensor dout,
      Tensor dcLast,
      Tensor dx,
      Tensor dh0,
      Tensor dc0,
      RecurrentParams grads);

  /** {@link #recurrentBackward} of a call without cell states (c0, dcLast and dc0 null). */
  default void recurrentBackward(
      RecurrentKind kind,
      Activation activation,
      Tensor x,
      Tensor h0,
      RecurrentParams weights,
      Tensor out,
      Tensor cache,
      Tensor dout,
      Tensor dx,
      Tensor dh0,
      RecurrentParams grads) {
    recurrentBackward(
        kind, activation, x, h0, null, weights, out, cache, dout, null, dx, dh0, null, grads);
  }

  // ---- the fused streaming step ---------------------------------------------------------
  /**
   * A slab for the states of {@code stack}'s streams on this backend, growing in chunks of {@code
   * chunkRows} rows (see {@link StreamSlab}); it starts with no rows. Close it to free them.
   *
   * @throws IllegalArgumentException for a null stack, a weight that is not on this backend or is
   *     freed, or chunkRows below 1
   */
  StreamSlab streamSlab(StreamStack stack, int chunkRows);

  /**
   * One new time step of {@code count} streams in one call: stream i (slot {@code slots[i]} of
   * {@code slab}) takes x[i·F, (i+1)·F), runs every layer of the slab's stack from the states in
   * its row, leaves the new states there and writes the last layer's output to y[i·O, (i+1)·O). x
   * and y are heap arrays on every backend. The arithmetic is that of the batch ops (the recurrent
   * op's cells, the dense layer's product, bias and activation), so a stream's outputs equal a
   * batch forward over its whole history: exactly on the reference backend, to float rounding on
   * cpu and cuda, whose GEMMs add the products of a batch in another order than this step's dot
   * products.
   *
   * @throws IllegalArgumentException for a slot outside the slab, a slot listed twice, a count
   *     outside [0, slots.length] or arrays too short for it
   * @throws IllegalStateException when the slab is closed
   */
  void streamStep(StreamSlab slab, int[] slots, int count, float[] x, float[] y);

  /** Blocks until queued work is done (a no-op on synchronous backends). */
  default void synchronize() {}
}
