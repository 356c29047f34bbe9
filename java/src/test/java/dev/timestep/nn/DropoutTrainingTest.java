package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.data.ChapterData;
import dev.timestep.data.Forecasts;
import dev.timestep.data.Splits;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Models with dropout still learn the chapter's series: the loss falls and beats the naive
 * forecast.
 */
class DropoutTrainingTest {

  @Test
  void aRecurrentModelWithBothDropoutsLearnsTheOneStepTask() {
    Splits data = ChapterData.oneStep(42);
    NDArray x = data.train().x().rows(0, 1024);
    NDArray y = data.train().y().rows(0, 1024);
    NDArray xv = data.valid().x().rows(0, 512);
    NDArray yv = data.valid().y().rows(0, 512);
    try (Sequential m =
        new Sequential(
                new GRU(10).dropout(0.1).recurrentDropout(0.1), new Dropout(0.1), new Dense(1))
            .seed(3)
            .backend(CpuBackend.get())) {
      m.compile(Loss.mse(), new Adam(0.01));
      History h = m.fit(x, y, FitOptions.defaults().epochs(6).batchSize(32).validation(xv, yv));
      List<Double> loss = h.series("loss");
      double naive = Forecasts.mse(Forecasts.naive(xv, 1), yv);
      System.out.printf(
          "dropout training: loss %s, val_loss %.4f, naive %.4f%n",
          loss, h.last("val_loss"), naive);
      assertTrue(
          loss.get(loss.size() - 1) < loss.get(0) * 0.5,
          "the training loss should fall by half: " + loss);
      assertTrue(
          h.last("val_loss") < naive,
          "validation MSE " + h.last("val_loss") + " should beat naive " + naive);
    }
  }
}
