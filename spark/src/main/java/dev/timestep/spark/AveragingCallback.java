package dev.timestep.spark;

import dev.timestep.nn.Callback;
import dev.timestep.tensor.NDArray;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Synchronous data-parallel training: every task trains its own shard with its own fit and, every
 * {@code k} batches and at the end of each epoch, replaces its weights by the mean of every task's
 * weights. Each task keeps its own optimizer state (Adam's moments and step count): only the
 * weights are averaged, so right after a sync every task holds the same weights, and Adam's moments
 * stay those of its own shard's gradients (local Adam with periodic model averaging).
 *
 * <p>Tasks may have shards of different sizes, so at the start they exchange their batches per
 * epoch and each epoch every task syncs the same number of times: {@code floor(most batches / k)}
 * during the epoch (a task with fewer batches makes up the missing syncs at its end) and one at the
 * end. With one task and any k, a sync gives back the same weights, so training equals {@code fit}
 * bit for bit.
 */
final class AveragingCallback extends Callback {
  private final ParameterExchange exchange;
  private final int k;
  private int syncsPerEpoch;
  private int done;
  private int syncs;

  /**
   * @param k batches between syncs (at least 1)
   */
  AveragingCallback(ParameterExchange exchange, int k) {
    if (exchange == null || k < 1) {
      throw new IllegalArgumentException(
          "parameter averaging: an exchange and k >= 1 batches between syncs are required, got k "
              + k);
    }
    this.exchange = exchange;
    this.k = k;
  }

  /** Syncs made so far, over every epoch. */
  int syncs() {
    return syncs;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    int most = 0;
    for (String s : exchange.allGather(Integer.toString(params().steps()))) {
      most = Math.max(most, Integer.parseInt(s));
    }
    syncsPerEpoch = most / k;
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    done = 0;
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    while (done < Math.min((batch + 1) / k, syncsPerEpoch)) {
      sync();
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    while (done < syncsPerEpoch) {
      sync();
    }
    sync();
  }

  private void sync() {
    List<NDArray> mine = model().getWeights();
    String[] all = exchange.allGather(encode(mine));
    if (all.length > 1) {
      model().setWeights(mean(mine, all));
    }
    done++;
    syncs++;
  }

  /** The element-wise mean of every task's weights, summed in double in task order. */
  private static List<NDArray> mean(List<NDArray> shapes, String[] all) {
    int total = 0;
    for (NDArray a : shapes) {
      total += a.data().length;
    }
    double[] sum = new double[total];
    for (String s : all) {
      ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s));
      if (b.remaining() != total * Float.BYTES) {
        throw new IllegalStateException(
            "parameter averaging: a task sent "
                + b.remaining() / Float.BYTES
                + " weights, this one has "
                + total
                + "; every task must train the same model");
      }
      for (int i = 0; i < total; i++) {
        sum[i] += b.getFloat();
      }
    }
    List<NDArray> out = new ArrayList<>(shapes.size());
    int at = 0;
    for (NDArray a : shapes) {
      float[] v = new float[a.data().length];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (sum[at++] / all.length);
      }
      out.add(NDArray.of(v, a.shape().dims()));
    }
    return out;
  }

  private static String encode(List<NDArray> weights) {
    int total = 0;
    for (NDArray a : weights) {
      total += a.data().length;
    }
    ByteBuffer b = ByteBuffer.allocate(total * Float.BYTES);
    for (NDArray a : weights) {
      for (float v : a.data()) {
        b.putFloat(v);
      }
    }
    return Base64.getEncoder().encodeToString(b.array());
  }
}
