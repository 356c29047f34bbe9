package dev.timestep.impute;

import dev.timestep.data.series.TimeSeries;
import dev.timestep.nn.ModelLease;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.tensor.NDArray;

/**
 * Fills the missing values of a series with a trained forecaster (the chapter's second use of
 * forecasting): each gap is forecast from the window just before it, gaps in time order, so a later
 * gap's window may contain values filled earlier. A gap too close to the start to have a full
 * window before it is filled by linear interpolation instead (and counted).
 *
 * <pre>{@code
 * ImputedSeries filled = ModelImputer.fill(model, RealSeries.maunaLoaCo2(), ImputationMethod.BRIDGED);
 * System.out.println(filled.byModel() + " weeks filled by the model");
 * }</pre>
 */
public final class ModelImputer {
  private ModelImputer() {}

  /**
   * The model's target column of {@code series} with every gap filled (other columns are dropped).
   * Present values are kept exactly.
   *
   * @throws IllegalArgumentException when the model reads more than its target column (the other
   *     columns would be missing in the gaps too), or the series has no present value
   */
  public static ImputedSeries fill(SeriesModel model, TimeSeries series, ImputationMethod method) {
    if (model == null || series == null || method == null) {
      throw new IllegalArgumentException("impute: a model, a series and a method are required");
    }
    if (model.info().columns().size() != 1) {
      throw new IllegalArgumentException(
          "impute: the model reads "
              + model.info().columns()
              + "; filling gaps needs "
              + "a model of the target column '"
              + model.info().target()
              + "' alone (train it without --features)");
    }
    TimeSeries target = series.select(model.info().target());
    float[] original = target.column(0);
    float[] v = model.scaledColumns(target)[0];
    int n = v.length;
    int w = model.info().window();
    float[] filled = v.clone();
    boolean[] imputed = new boolean[n];
    int byModel = 0;
    int byInterpolation = 0;
    int gaps = 0;
    try (ModelLease held = model.model().lease("impute")) { // one model for every gap
      for (int i = 0; i < n; i++) {
        if (!Float.isNaN(v[i])) {
          continue;
        }
        int j = i;
        while (j < n && Float.isNaN(v[j])) {
          imputed[j++] = true;
        }
        gaps++;
        if (i < w) {
          interpolate(filled, i, j, v);
          byInterpolation += j - i;
        } else {
          forecastGap(model, filled, i, j, v, method);
          byModel += j - i;
        }
        i = j;
      }
    }
    if (byInterpolation == n) {
      throw new IllegalArgumentException(
          "impute: "
              + series.source()
              + " has no value in column '"
              + model.info().target()
              + "'; nothing to fill from");
    }
    float[] units =
        model
            .info()
            .scaler()
            .inverseTarget(NDArray.of(filled, n), model.info().targetIndex())
            .data();
    float[] out = original.clone();
    for (int r = 0; r < n; r++) {
      if (imputed[r]) {
        out[r] = units[r];
      }
    }
    return new ImputedSeries(
        target.withValues(new float[][] {out}), imputed, gaps, byModel, byInterpolation);
  }

  /**
   * Fills rows [from, to) from the window before them; BRIDGED also bends the forecast to meet
   * v[to].
   */
  private static void forecastGap(
      SeriesModel model, float[] filled, int from, int to, float[] v, ImputationMethod method) {
    int length = to - from;
    boolean bridge = method == ImputationMethod.BRIDGED && to < v.length;
    double[] f =
        model
            .forecastScaled(new float[][] {filled}, new int[] {from}, length + (bridge ? 1 : 0), 0)
            .mean(0);
    // The forecast of the first value after the gap says how far the forecast has drifted from
    // what was observed; spreading that miss linearly over the gap makes both ends meet.
    double miss = bridge ? v[to] - f[length] : 0;
    for (int k = 0; k < length; k++) {
      filled[from + k] = (float) (f[k] + miss * (k + 1) / (length + 1));
    }
  }

  /** A straight line between the neighbours of the gap (or the one neighbour it has). */
  private static void interpolate(float[] filled, int from, int to, float[] v) {
    boolean left = from > 0;
    boolean right = to < v.length;
    for (int k = from; k < to; k++) {
      if (left && right) {
        double t = (double) (k - from + 1) / (to - from + 1);
        filled[k] = (float) (filled[from - 1] + t * (v[to] - filled[from - 1]));
      } else if (left) {
        filled[k] = filled[from - 1];
      } else if (right) {
        filled[k] = v[to];
      }
    }
  }
}
