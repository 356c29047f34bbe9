package dev.timestep.reproduce;

import dev.timestep.data.Splits;
import dev.timestep.nn.History;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Metric;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;
import java.util.function.Supplier;

/**
 * A row that trains a model with the book's settings (MSE loss, Adam, the context's epochs and
 * batch size) and reports its validation MSE, or for seq-to-seq rows its validation {@code
 * last_time_step_mse}.
 */
final class ModelRow extends BookRow {
  private final String model;
  private final Task task;
  private final double learningRate;
  private final Supplier<Sequential> factory;

  ModelRow(
      int number,
      Task task,
      String model,
      double learningRate,
      double book,
      double low,
      double high,
      Supplier<Sequential> factory) {
    super(number, task.horizon, book, low, high);
    this.model = model;
    this.task = task;
    this.learningRate = learningRate;
    this.factory = factory;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public String metric() {
    return task.sequence ? "val last-step mse" : "val mse";
  }

  @Override
  public double run(RowContext context) {
    try (Sequential m = compiled(context)) {
      History h = fit(m, context);
      return h.last(task.sequence ? "val_last_time_step_mse" : "val_loss");
    }
  }

  /** A fresh model of this row, compiled as the book does; the caller closes it. */
  Sequential compiled(RowContext context) {
    Sequential m = factory.get().seed(context.seed()).backend(context.backend());
    if (task.sequence) {
      m.compile(Loss.mse(), new Adam(learningRate), Metric.lastTimeStepMse());
    } else {
      m.compile(Loss.mse(), new Adam(learningRate));
    }
    return m;
  }

  /** Trains {@code m} on this row's data with the context's settings. */
  History fit(Sequential m, RowContext context) {
    Splits data = task.data(context);
    return m.fit(data.train().x(), data.train().y(), context.fitOptions(data));
  }
}
