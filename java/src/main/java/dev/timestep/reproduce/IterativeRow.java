package dev.timestep.reproduce;

import dev.timestep.data.Forecasts;
import dev.timestep.data.Splits;
import dev.timestep.forecast.IterativeForecast;
import dev.timestep.nn.Sequential;

/** Row 6: the one-step model of row 5, run ten times, feeding each prediction back. */
final class IterativeRow extends BookRow {
  private final ModelRow oneStep;

  IterativeRow(int number, ModelRow oneStep, double book, double low, double high) {
    super(number, 10, book, low, high);
    this.oneStep = oneStep;
  }

  @Override
  public String model() {
    return "model " + oneStep.number() + " run iteratively (10x one step)";
  }

  @Override
  public double run(RowContext context) {
    Splits tenSteps = context.tenStepsVector();
    try (Sequential m = oneStep.compiled(context)) {
      oneStep.fit(m, context);
      return Forecasts.mse(
          IterativeForecast.forecast(m, tenSteps.valid().x(), 10), tenSteps.valid().y());
    }
  }
}
