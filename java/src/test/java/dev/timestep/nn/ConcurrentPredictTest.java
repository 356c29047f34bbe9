package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.timestep.backend.Backend;
import dev.timestep.backend.BackendUnavailableException;
import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One trained model predicting from 8 threads at once returns exactly (bit for bit) what sequential
 * calls return, for a recurrent model and a WaveNet-style Conv1D model, on the reference and native
 * cpu backends (and on cuda where a device is present). The inputs are large enough that the native
 * kernels split their work over the CPU worker pool, which concurrent callers share.
 */
class ConcurrentPredictTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 6;

  private static Backend backend(String name) {
    return switch (name) {
      case "cpu" -> CpuBackend.get();
      case "cuda" -> {
        CudaTests.assumeUsable();
        yield CudaBackend.get();
      }
      default -> ReferenceBackend.float32();
    };
  }

  private static Supplier<Sequential> architecture(String name) {
    return switch (name) {
      case "recurrent" ->
          () -> new Sequential(new LSTM(16).returnSequences(true), new GRU(16), new Dense(4));
      case "wavenet" ->
          () -> {
            Sequential m = new Sequential();
            for (int d : new int[] {1, 2, 4, 8}) {
              m.add(
                  new Conv1D(16, 2)
                      .padding(ConvPadding.CAUSAL)
                      .dilationRate(d)
                      .activation(dev.timestep.backend.Activation.RELU));
            }
            return m.add(new Conv1D(4, 1));
          };
      default -> throw new AssertionError(name);
    };
  }

  @ParameterizedTest
  @CsvSource({
    "reference, recurrent",
    "reference, wavenet",
    "cpu, recurrent",
    "cpu, wavenet",
    "cuda, recurrent",
    "cuda, wavenet"
  })
  void concurrentPredictionsEqualSequentialOnes(String backendName, String architectureName)
      throws Exception {
    Backend backend = backend(backendName);
    boolean reference = backendName.equals("reference");
    SplittableRandom random = new SplittableRandom(21);
    int batch = reference ? 8 : 48;
    NDArray train = TestArrays.uniform(random, -1, 1, 32, 20, 1);
    List<NDArray> inputs = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      inputs.add(
          TestArrays.uniform(random, -1, 1, batch, 20 + t, 1)); // a different length per thread
    }
    try (Sequential model = architecture(architectureName).get().backend(backend).seed(5)) {
      model.compile(Loss.mse(), new Adam(1e-2));
      NDArray first;
      try {
        first = model.predict(train);
      } catch (BackendUnavailableException e) {
        Assumptions.abort("this backend lacks a kernel of the model: " + e.getMessage());
        return;
      }
      model.fit(
          train,
          TestArrays.uniform(random, -1, 1, first.shape().dims()),
          FitOptions.defaults().epochs(2).batchSize(8));
      List<float[]> sequential = new ArrayList<>();
      for (NDArray x : inputs) {
        sequential.add(model.predict(x, 16).data());
      }
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<List<float[]>>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          NDArray x = inputs.get(t);
          results.add(
              pool.submit(
                  () -> {
                    start.await(30, TimeUnit.SECONDS); // all threads enter predict together
                    List<float[]> mine = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                      mine.add(model.predict(x, 16).data());
                    }
                    return mine;
                  }));
        }
        for (int t = 0; t < THREADS; t++) {
          List<float[]> mine = results.get(t).get(120, TimeUnit.SECONDS);
          for (int round = 0; round < ROUNDS; round++) {
            assertArrayEquals(
                sequential.get(t), mine.get(round), "thread " + t + ", round " + round);
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
