package dev.timestep.reproduce;

import dev.timestep.data.Splits;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.History;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;

/** Rows 2 and 8: Flatten([50, 1]) → Dense(horizon), Adam 1e-3, MSE. */
final class LinearRow extends BookRow {

  LinearRow(int number, int horizon, double book, double low, double high) {
    super(number, horizon, book, low, high);
  }

  @Override
  public String model() {
    return "linear: Flatten -> Dense(" + horizon() + ")";
  }

  @Override
  public double run(RowContext context) {
    Splits data = horizon() == 1 ? context.oneStep() : context.tenStepsVector();
    try (Sequential model =
        new Sequential(new Flatten(), new Dense(horizon()))
            .seed(context.seed())
            .backend(context.backend())) {
      model.compile(Loss.mse(), new Adam(1e-3));
      History history = model.fit(data.train().x(), data.train().y(), context.fitOptions(data));
      return history.last("val_loss");
    }
  }
}
