package dev.timestep.data.series.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Transforms applied one after another, e.g. Box-Cox, then a seasonal difference, then a plain one.
 * Each stage is fitted on the training rows as the stages before it left them, and forecasts are
 * taken back through the stages in reverse order.
 *
 * <pre>{@code
 * SeriesTransform t = TransformChain.of(BoxCox.guerrero(12), Difference.lag(12));
 * FittedTransform fitted = t.fit(train);             // training rows only
 * double[] z = fitted.apply(series);                  // what the model learns from
 * double[] y = fitted.inverse(forecastOfZ, observed); // observed: original units, up to the origin
 * }</pre>
 */
public final class TransformChain implements SeriesTransform {
  private final List<SeriesTransform> stages;

  private TransformChain(List<SeriesTransform> stages) {
    this.stages = stages;
  }

  /** The stages in the order they are applied. */
  public static TransformChain of(SeriesTransform... stages) {
    if (stages == null || stages.length == 0) {
      throw new IllegalArgumentException("transform chain: expected at least one stage");
    }
    for (int i = 0; i < stages.length; i++) {
      if (stages[i] == null) {
        throw new IllegalArgumentException("transform chain: stage " + i + " is null");
      }
    }
    return new TransformChain(List.of(stages));
  }

  @Override
  public Fitted fit(double[] train) {
    List<FittedTransform> fitted = new ArrayList<>();
    double[] current = train;
    for (SeriesTransform stage : stages) {
      FittedTransform f = stage.fit(current);
      fitted.add(f);
      current = f.apply(current);
    }
    return new Fitted(List.copyOf(fitted));
  }

  @Override
  public String describe() {
    return stages.stream().map(SeriesTransform::describe).collect(Collectors.joining(", then "));
  }

  /** A chain with every stage fitted. */
  public static final class Fitted implements FittedTransform {
    private final List<FittedTransform> stages;

    private Fitted(List<FittedTransform> stages) {
      this.stages = stages;
    }

    /** The fitted stages, in the order they are applied. */
    public List<FittedTransform> stages() {
      return stages;
    }

    @Override
    public double[] apply(double[] values) {
      double[] current = values;
      for (FittedTransform stage : stages) {
        current = stage.apply(current);
      }
      return current;
    }

    /**
     * @param history observed values in the chain's input (original) units, up to the origin; each
     *     stage is handed the history as the stages before it transform it
     */
    @Override
    public double[] inverse(double[] forecast, double[] history) {
      double[][] histories = histories(history);
      double[] current = forecast;
      for (int i = stages.size() - 1; i >= 0; i--) {
        current = stages.get(i).inverse(current, histories[i]);
      }
      return current;
    }

    @Override
    public Bounds inverse(Bounds bounds, double[] history) {
      double[][] histories = histories(history);
      Bounds current = bounds;
      for (int i = stages.size() - 1; i >= 0; i--) {
        current = stages.get(i).inverse(current, histories[i]);
      }
      return current;
    }

    @Override
    public String describe() {
      return stages.stream().map(FittedTransform::describe).collect(Collectors.joining(", then "));
    }

    /** histories[i]: the history in stage i's input units (null stays null). */
    private double[][] histories(double[] history) {
      double[][] out = new double[stages.size()][];
      out[0] = history;
      for (int i = 1; i < out.length && history != null; i++) {
        out[i] = stages.get(i - 1).apply(out[i - 1]);
      }
      return out;
    }
  }
}
