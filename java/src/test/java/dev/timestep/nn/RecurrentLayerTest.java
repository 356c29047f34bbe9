package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Initializer;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.data.ChapterData;
import dev.timestep.data.Splits;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Recurrent layers as a user meets them: shapes, any length, initializers, clear errors. */
class RecurrentLayerTest {

  static Stream<Supplier<RecurrentLayer>> layers() {
    return Stream.of(
        () -> new SimpleRNN(5),
        () -> new LSTM(5),
        () -> new GRU(5),
        () -> new LayerNormSimpleRNN(5));
  }

  @ParameterizedTest
  @MethodSource("layers")
  void aModelBuiltOnFiftyStepsPredictsOnThirtyAndTwoHundred(Supplier<RecurrentLayer> make) {
    try (Sequential m =
        new Sequential(make.get().returnSequences(true), make.get(), new Dense(1))
            .backend(ReferenceBackend.float32())
            .seed(4)) {
      m.compile(Loss.mse(), new Adam());
      Splits data = ChapterData.oneStep(1);
      m.fit(
          data.train().x().rows(0, 64),
          data.train().y().rows(0, 64),
          FitOptions.defaults().epochs(1));
      for (int steps : new int[] {30, 50, 200, 1}) {
        NDArray out = m.predict(NDArray.zeros(3, steps, 1));
        assertEquals(List.of(3, 1), List.of(out.dim(0), out.dim(1)), "steps " + steps);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("layers")
  void returnSequencesKeepsTheTimeAxis(Supplier<RecurrentLayer> make) {
    try (Sequential m =
        new Sequential(make.get().returnSequences(true)).backend(ReferenceBackend.float32())) {
      NDArray out = m.predict(NDArray.zeros(2, 7, 3));
      assertEquals(List.of(2, 7, 5), List.of(out.dim(0), out.dim(1), out.dim(2)));
    }
  }

  @Test
  void badInputsAreClearErrors() {
    try (Sequential m = new Sequential(new SimpleRNN(4)).backend(CpuBackend.get())) {
      var flat =
          assertThrows(IllegalArgumentException.class, () -> m.predict(NDArray.zeros(2, 50)));
      assertTrue(flat.getMessage().contains("[time, features]"), flat.getMessage());
      m.predict(NDArray.zeros(2, 10, 1));
      var features =
          assertThrows(IllegalArgumentException.class, () -> m.predict(NDArray.zeros(2, 10, 3)));
      assertTrue(
          features.getMessage().contains("1 features") && features.getMessage().contains("got 3"),
          features.getMessage());
      var empty =
          assertThrows(IllegalArgumentException.class, () -> m.predict(NDArray.zeros(2, 0, 1)));
      assertTrue(empty.getMessage().contains("zero"), empty.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new LSTM(0));
  }

  @Test
  void orthogonalKernelsHaveOrthonormalRows() {
    for (Shape s : List.of(Shape.of(20, 80), Shape.of(5, 5), Shape.of(30, 7))) {
      float[] v = Initializer.orthogonal().values(s, new SplittableRandom(3));
      int rows = s.dim(0);
      int cols = s.dim(1);
      boolean byRows = rows <= cols; // the fewer of rows/columns are orthonormal
      int count = byRows ? rows : cols;
      for (int a = 0; a < count; a++) {
        for (int b = 0; b < count; b++) {
          double dot = 0;
          for (int i = 0; i < (byRows ? cols : rows); i++) {
            dot +=
                byRows
                    ? (double) v[a * cols + i] * v[b * cols + i]
                    : (double) v[i * cols + a] * v[i * cols + b];
          }
          assertEquals(a == b ? 1.0 : 0.0, dot, 1e-5, s + " vectors " + a + "," + b);
        }
      }
    }
  }

  @Test
  void lstmForgetGateBiasStartsAtOne() {
    try (Sequential m = new Sequential(new LSTM(3)).backend(ReferenceBackend.float32())) {
      m.build(Shape.of(4, 2));
      var bias = m.parameters().parameters().get(2);
      assertEquals("lstm/bias", bias.name());
      float[] b = m.backend().download(bias.value()).data();
      assertEquals(
          List.of(0f, 0f, 0f, 1f, 1f, 1f, 0f, 0f, 0f, 0f, 0f, 0f),
          java.util.stream.IntStream.range(0, b.length).mapToObj(i -> b[i]).toList());
    }
  }
}
