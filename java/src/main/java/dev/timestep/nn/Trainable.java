package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.NDArray;
import java.util.List;
import java.util.Map;

/**
 * What {@link FitLoop} and {@link Evaluation} need from a model, so one training loop serves {@link
 * Sequential} and the functional {@link Model}. Data come as lists: one array per model input and
 * one per model output (a Sequential has one of each). Each model implements it in a private view,
 * so none of this becomes public API.
 */
interface Trainable {
  ParameterStore parameters();

  Backend backend();

  /** The compiled optimizer, or null before compile. */
  Optimizer optimizer();

  /** Whether compile has run (fit and evaluate need a loss). */
  boolean isCompiled();

  /**
   * The names of the values {@link #lossAndMetrics} returns, in order: "loss" first, then any
   * per-output losses and the metrics; the history's keys.
   */
  List<String> valueNames();

  /**
   * The value reported for value {@code index} of {@link #valueNames} from its row-weighted mean
   * over an epoch or an evaluation: the mean itself for losses, a metric's {@link Metric#result}
   * (RMSE's root) for metrics.
   */
  double report(int index, double mean);

  /** The model as its callbacks see it. */
  TrainableModel publicModel();

  /**
   * Builds the model for these inputs if it is not built, and checks that the targets have the
   * shapes its outputs have for them. {@code what} names the call in messages.
   *
   * @throws IllegalArgumentException for data that do not fit the model
   */
  void prepare(String what, List<NDArray> inputs, List<NDArray> targets);

  /**
   * The batch's loss (the scalar to minimise) followed by the values {@link #valueNames} names
   * after it, all scalars on the tape.
   */
  Variable[] lossAndMetrics(
      Tape tape, List<Variable> inputs, List<Variable> targets, ForwardPass pass);

  /** The model's outputs for a batch, in the model's order (one for a Sequential). */
  List<Variable> outputs(Tape tape, List<Variable> inputs, ForwardPass pass);

  /** The one-batch window kept by the model so a step allocates nothing. */
  SyncWindow stepWindow();

  /** The dropout seed of a training step (from the model seed and the optimizer's step count). */
  long trainingMaskSeed();

  /** Throws between batches when another thread is closing the model. */
  void stopIfClosing(String operation, int epoch, int batch);

  /** The model's evaluate, for validation data at the end of each epoch. */
  Map<String, Double> evaluate(List<NDArray> inputs, List<NDArray> targets, int batchSize);
}
