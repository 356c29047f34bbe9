package dev.timestep.impute;

import dev.timestep.data.series.LinearInterpolation;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.pipeline.SeriesModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures how well a model fills gaps, against linear interpolation: known values are removed on
 * purpose (seeded: single points, and runs of consecutive steps), both fill them, and the errors on
 * exactly those values are compared. Removed values are drawn from rows at or after {@link
 * Plan#fromRow()} (e.g. rows the model was not trained on), each with an observed neighbour on
 * either side so that interpolation has what it needs; the series' own gaps are filled as well but
 * not scored.
 *
 * <pre>{@code
 * ImputationReport r = ImputationEvaluation.run(model, RealSeries.maunaLoaCo2(),
 *     new ImputationEvaluation.Plan(100, 5, 8, 0, firstUnseenRow));
 * }</pre>
 */
public final class ImputationEvaluation {
  private static final int ATTEMPTS_PER_PLACEMENT = 1000;

  private ImputationEvaluation() {}

  /**
   * What to remove.
   *
   * @param singles single values to remove, each between two observed values
   * @param runs runs of consecutive values to remove
   * @param runLength values per run
   * @param seed chooses the positions
   * @param fromRow the earliest row that may be removed
   */
  public record Plan(int singles, int runs, int runLength, long seed, int fromRow) {
    public Plan {
      if (singles < 0 || runs < 0 || singles + runs == 0) {
        throw new IllegalArgumentException(
            "imputation plan: remove at least one single value or run, got "
                + singles
                + " singles and "
                + runs
                + " runs");
      }
      if (runs > 0 && runLength < 2) {
        throw new IllegalArgumentException(
            "imputation plan: a run is at least 2 consecutive values, got " + runLength);
      }
      if (fromRow < 0) {
        throw new IllegalArgumentException("imputation plan: fromRow must be >= 0, got " + fromRow);
      }
    }
  }

  /** Removes the planned values, fills them every way, and scores each. */
  public static ImputationReport run(SeriesModel model, TimeSeries series, Plan plan) {
    if (model == null || series == null || plan == null) {
      throw new IllegalArgumentException(
          "imputation evaluation: a model, a series and a plan are required");
    }
    TimeSeries target = series.select(model.info().target());
    float[] truth = target.column(0);
    int lo = Math.max(plan.fromRow(), model.info().window() + 1);
    boolean[] taken = new boolean[truth.length];
    SplittableRandom random = new SplittableRandom(plan.seed());
    List<int[]> runs =
        place(
            truth, taken, lo, plan.runs(), plan.runLength(), random, "runs of " + plan.runLength());
    List<int[]> singles = place(truth, taken, lo, plan.singles(), 1, random, "single values");
    float[] damaged = truth.clone();
    for (List<int[]> group : List.of(runs, singles)) {
      for (int[] r : group) {
        for (int k = r[0]; k < r[0] + r[1]; k++) {
          damaged[k] = Float.NaN;
        }
      }
    }
    TimeSeries holed = target.withValues(new float[][] {damaged});
    List<ImputationReport.MethodErrors> methods = new ArrayList<>();
    for (ImputationMethod m : ImputationMethod.values()) {
      float[] filled = ModelImputer.fill(model, holed, m).series().column(0);
      methods.add(score(m.description(), filled, truth, singles, runs));
    }
    float[] interpolated = LinearInterpolation.fill(damaged);
    methods.add(score(ImputationReport.INTERPOLATION, interpolated, truth, singles, runs));
    return new ImputationReport(
        target.source(),
        model.info().target(),
        singles.size(),
        runs.size(),
        plan.runLength(),
        lo,
        target.missingCount(0),
        methods);
  }

  /**
   * Chooses {@code count} stretches of {@code length} observed rows at or after {@code lo}, each
   * with an observed row on either side, none touching another (a free row between).
   */
  private static List<int[]> place(
      float[] truth,
      boolean[] taken,
      int lo,
      int count,
      int length,
      SplittableRandom random,
      String what) {
    List<int[]> out = new ArrayList<>();
    int last = truth.length - 1 - length; // the row after the stretch must exist
    if (count == 0) {
      return out;
    }
    if (last < lo) {
      throw new IllegalArgumentException(
          "imputation evaluation: no room for "
              + what
              + " between row "
              + lo
              + " and the end of the series ("
              + truth.length
              + " rows)");
    }
    for (int attempts = 0;
        out.size() < count && attempts < count * ATTEMPTS_PER_PLACEMENT;
        attempts++) {
      int s = lo + random.nextInt(last - lo + 1);
      if (free(truth, taken, s - 1, s + length + 1)) {
        for (int k = s - 1; k <= s + length; k++) {
          taken[k] = true;
        }
        out.add(new int[] {s, length});
      }
    }
    if (out.size() < count) {
      throw new IllegalArgumentException(
          "imputation evaluation: could place only "
              + out.size()
              + " of "
              + count
              + " "
              + what
              + " in rows "
              + lo
              + ".."
              + (truth.length - 1)
              + " (each needs observed rows around it and no "
              + "overlap); remove fewer");
    }
    return out;
  }

  private static boolean free(float[] truth, boolean[] taken, int from, int to) {
    for (int k = from; k < to; k++) {
      if (taken[k] || Float.isNaN(truth[k])) {
        return false;
      }
    }
    return true;
  }

  private static ImputationReport.MethodErrors score(
      String name, float[] filled, float[] truth, List<int[]> singles, List<int[]> runs) {
    ImputationReport.Errors s = errors(filled, truth, singles);
    ImputationReport.Errors r = errors(filled, truth, runs);
    List<int[]> all = new ArrayList<>(singles);
    all.addAll(runs);
    return new ImputationReport.MethodErrors(name, s, r, errors(filled, truth, all));
  }

  private static ImputationReport.Errors errors(
      float[] filled, float[] truth, List<int[]> stretches) {
    int n = 0;
    double abs = 0;
    double squares = 0;
    for (int[] r : stretches) {
      for (int k = r[0]; k < r[0] + r[1]; k++) {
        double d = (double) filled[k] - truth[k];
        abs += Math.abs(d);
        squares += d * d;
        n++;
      }
    }
    return n == 0
        ? new ImputationReport.Errors(0, Double.NaN, Double.NaN)
        : new ImputationReport.Errors(n, abs / n, Math.sqrt(squares / n));
  }
}
