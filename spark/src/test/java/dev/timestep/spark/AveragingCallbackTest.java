package dev.timestep.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timestep.backend.Backends;
import dev.timestep.nn.Dense;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/** Two tasks in threads, exchanging through a barrier as Spark's allGather does. */
class AveragingCallbackTest {
  /** An allGather of {@code n} parties: each gets every party's message in party order. */
  static final class Gather {
    final CyclicBarrier in;
    final CyclicBarrier out;
    final AtomicReferenceArray<String> messages;
    int calls;

    Gather(int n) {
      in = new CyclicBarrier(n);
      out = new CyclicBarrier(n);
      messages = new AtomicReferenceArray<>(n);
    }

    ParameterExchange party(int i) {
      return m -> {
        try {
          messages.set(i, m);
          in.await();
          String[] all = new String[messages.length()];
          for (int k = 0; k < all.length; k++) {
            all[k] = messages.get(k);
          }
          out.await();
          return all;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
    }
  }

  static Sequential train(int rows, ParameterExchange exchange, int k, AveragingCallback[] out) {
    float[] x = new float[rows * 3];
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < 3; j++) {
        x[i * 3 + j] = (float) Math.sin(i + j + rows);
      }
      y[i] = x[i * 3] - 0.5f * x[i * 3 + 2];
    }
    Sequential m = new Sequential(new Dense(1)).backend(Backends.named("cpu")).seed(3);
    m.compile(Loss.mse(), new Adam(0.05));
    out[0] = new AveragingCallback(exchange, k);
    m.fit(
        NDArray.of(x, rows, 3),
        NDArray.of(y, rows, 1),
        FitOptions.defaults().epochs(2).batchSize(4).seed(1).callbacks(out[0]));
    return m;
  }

  @Test
  void tasksOfUnevenShardsSyncAsOftenAndEndWithTheSameWeights() throws Exception {
    Gather g = new Gather(2);
    AveragingCallback[] a = new AveragingCallback[1];
    AveragingCallback[] b = new AveragingCallback[1];
    // 5 and 2 batches per epoch; k = 2: two syncs in an epoch, one at its end, in both tasks
    CompletableFuture<Sequential> big =
        CompletableFuture.supplyAsync(() -> train(20, g.party(0), 2, a));
    CompletableFuture<Sequential> small =
        CompletableFuture.supplyAsync(() -> train(8, g.party(1), 2, b));
    try (Sequential m0 = big.get();
        Sequential m1 = small.get()) {
      assertEquals(2 * 3, a[0].syncs());
      assertEquals(2 * 3, b[0].syncs());
      List<NDArray> w0 = m0.getWeights();
      List<NDArray> w1 = m1.getWeights();
      for (int i = 0; i < w0.size(); i++) {
        assertArrayEquals(w0.get(i).data(), w1.get(i).data(), 0);
      }
    }
  }

  @Test
  void aTaskAloneTrainsAsFitDoes() {
    AveragingCallback[] a = new AveragingCallback[1];
    try (Sequential alone = train(20, m -> new String[] {m}, 1, a);
        Sequential plain = train(20, m -> new String[] {m}, 1000, a)) {
      assertArrayEquals(plain.getWeights().get(0).data(), alone.getWeights().get(0).data(), 0);
    }
    assertThrows(IllegalArgumentException.class, () -> new AveragingCallback(m -> null, 0));
  }
}
