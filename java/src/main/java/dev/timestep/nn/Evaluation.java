package dev.timestep.nn;

import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop of {@code evaluate}: the loss and every reported value over all samples, in batches, as
 * means weighted by batch size (exact for means over samples). The caller has checked the data and
 * holds the model.
 */
final class Evaluation {
  private Evaluation() {}

  static Map<String, Double> run(
      Trainable model, List<NDArray> inputs, List<NDArray> targets, int batchSize) {
    Backend b = model.backend();
    List<String> names = model.valueNames();
    int n = inputs.get(0).dim(0);
    double[] sums = new double[names.size()];
    BatchRows inputRows = new BatchRows(inputs, batchSize);
    BatchRows targetRows = new BatchRows(targets, batchSize);
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      try (Tape tape = new Tape(b, false)) {
        Variable[] values =
            model.lossAndMetrics(
                tape,
                uploadAll(tape, inputRows.rows(from, to)),
                uploadAll(tape, targetRows.rows(from, to)),
                ForwardPass.inference());
        for (int i = 0; i < values.length; i++) {
          sums[i] += (to - from) * (double) b.readScalar(values[i].value());
        }
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      out.put(names.get(i), model.report(i, sums[i] / n));
    }
    return out;
  }

  /** Rows [from, to) of each array, as constants on the tape. */
  static List<Variable> upload(Tape tape, List<NDArray> arrays, int from, int to) {
    List<NDArray> rows = new ArrayList<>(arrays.size());
    for (NDArray a : arrays) {
      rows.add(a.rows(from, to));
    }
    return uploadAll(tape, rows);
  }

  /** Each array, as a constant on the tape. */
  private static List<Variable> uploadAll(Tape tape, List<NDArray> arrays) {
    List<Variable> out = new ArrayList<>(arrays.size());
    for (NDArray a : arrays) {
      out.add(tape.constant(tape.backend().upload(a, tape.scope())));
    }
    return out;
  }
}
