package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradients with respect to a model's inputs (saliency), for the models' {@code inputGradients}:
 * each batch runs forward on a recording tape with its inputs as variables that take a gradient,
 * then backward from one scalar. No dropout: the pass is an inference pass. The parameters'
 * gradient buffers receive values too (the ops compute them alongside); a training step zeroes them
 * before its own backward, so nothing reads them. The caller holds the model alone and has checked
 * the data.
 */
final class InputGradients {
  private InputGradients() {}

  /** d(sum of every output value)/d(input), one array per model input. */
  static List<NDArray> ofOutputSum(Trainable model, List<NDArray> inputs, int batchSize) {
    return run(
        model,
        inputs,
        batchSize,
        (tape, x, from, to) -> {
          Variable total = null;
          for (Variable out : model.outputs(tape, x, ForwardPass.inference())) {
            Variable s = Ops.sum(tape, out);
            total = total == null ? s : Ops.add(tape, total, s);
          }
          return total;
        },
        false);
  }

  /**
   * d(loss over all samples)/d(input): each batch's loss is a mean over its rows, so its gradient
   * counts with weight rows / samples, which makes the result that of the loss over the whole set.
   */
  static List<NDArray> ofLoss(
      Trainable model, List<NDArray> inputs, List<NDArray> targets, int batchSize) {
    return run(
        model,
        inputs,
        batchSize,
        (tape, x, from, to) ->
            model
                .lossAndMetrics(
                    tape, x, Evaluation.upload(tape, targets, from, to), ForwardPass.inference())[
                0],
        true);
  }

  /** The scalar whose gradient is taken, for one batch of rows [from, to). */
  @FunctionalInterface
  private interface Objective {
    Variable of(Tape tape, List<Variable> inputs, int from, int to);
  }

  private static List<NDArray> run(
      Trainable model, List<NDArray> inputs, int batchSize, Objective objective, boolean mean) {
    Backend b = model.backend();
    int n = inputs.get(0).dim(0);
    List<float[]> out = new ArrayList<>();
    for (NDArray x : inputs) {
      out.add(new float[Math.toIntExact(x.size())]);
    }
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      try (Tape tape = new Tape(b)) {
        List<Variable> x = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
          var value = b.upload(inputs.get(i).rows(from, to), tape.scope());
          x.add(new Parameter("input " + (i + 1), value, tape.allocate(value.shape())));
        }
        tape.backward(objective.of(tape, x, from, to));
        double weight = mean ? (to - from) / (double) n : 1;
        for (int i = 0; i < inputs.size(); i++) {
          float[] g = b.download(x.get(i).grad()).data();
          float[] dst = out.get(i);
          int offset = Math.toIntExact(from * inputs.get(i).shape().rowSize());
          for (int k = 0; k < g.length; k++) {
            dst[offset + k] = mean ? (float) (g[k] * weight) : g[k];
          }
        }
      }
    }
    List<NDArray> result = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      Shape s = inputs.get(i).shape();
      result.add(new NDArray(s, out.get(i)));
    }
    return result;
  }
}
