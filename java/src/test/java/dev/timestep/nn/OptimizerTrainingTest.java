package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.data.ChapterData;
import dev.timestep.data.Splits;
import dev.timestep.optim.Adam;
import dev.timestep.optim.AdamW;
import dev.timestep.optim.Optimizer;
import dev.timestep.optim.RMSprop;
import dev.timestep.optim.SGD;
import dev.timestep.tensor.NDArray;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A small fit with every optimizer (and its variants) brings the training loss down. */
class OptimizerTrainingTest {

  static Stream<Arguments> optimizers() {
    return Stream.of(
        Arguments.of("SGD", (Supplier<Optimizer>) () -> new SGD(0.05)),
        Arguments.of("SGD(nesterov)", (Supplier<Optimizer>) () -> new SGD(0.01, 0.9, true)),
        Arguments.of("RMSprop", (Supplier<Optimizer>) () -> new RMSprop(1e-3)),
        Arguments.of(
            "RMSprop(centered, momentum)",
            (Supplier<Optimizer>) () -> new RMSprop(1e-3, 0.9, 0.5, 1e-7, true)),
        Arguments.of(
            "Adam(amsgrad)", (Supplier<Optimizer>) () -> new Adam(1e-2, 0.9, 0.999, 1e-7, true)),
        Arguments.of("AdamW", (Supplier<Optimizer>) () -> new AdamW(1e-2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void aLinearModelLearnsTheChapterSeries(String name, Supplier<Optimizer> optimizer) {
    Splits data = ChapterData.oneStep(3);
    NDArray x = data.train().x().rows(0, 512);
    NDArray y = data.train().y().rows(0, 512);
    try (Sequential model =
        new Sequential(new Flatten(), new Dense(1)).seed(7).backend(CpuBackend.get())) {
      model.compile(Loss.mse(), optimizer.get());
      History h = model.fit(x, y, FitOptions.defaults().epochs(5).batchSize(32).seed(1));
      List<Double> loss = h.series("loss");
      assertTrue(loss.get(4) < loss.get(0) * 0.7, name + ": the loss should fall: " + loss);
      assertEquals(5 * 16, model.optimizer().iterations(), "one step per batch");
    }
  }
}
