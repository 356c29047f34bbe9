package dev.timestep.backend.conformance;

import dev.timestep.backend.ElementwiseLoss;
import dev.timestep.backend.conformance.OpCheck.Case;
import dev.timestep.tensor.NDArray;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@link OpCheck}'s cases for the elementwise losses: every kind forward and backward (both
 * gradients, starting non-zero so the "add into" rule is checked), with one prediction per target
 * and, for the pinball loss, three quantiles per target. Inputs in [-3, 3], so Huber's delta,
 * log-cosh's switch at |d| = 1 and both signs of every error are crossed. Their own random source,
 * so the rows before and after them keep their inputs.
 */
final class OpCheckLossCases {
  private OpCheckLossCases() {}

  static void add(List<Case> cases) {
    SplittableRandom random = new SplittableRandom(20260101L);
    Object[][] kinds = {
      {ElementwiseLoss.ABSOLUTE, new float[] {0f}},
      {ElementwiseLoss.HUBER, new float[] {1f}},
      {ElementwiseLoss.LOG_COSH, new float[] {0f}},
      {ElementwiseLoss.PINBALL, new float[] {0.5f}},
      {ElementwiseLoss.PINBALL, new float[] {0.1f, 0.5f, 0.9f}},
      {ElementwiseLoss.ABSOLUTE_PERCENTAGE, new float[] {1e-7f}},
    };
    for (Object[] kind : kinds) {
      for (int[] dims : new int[][] {{1}, {32, 10}, {1_000_003}}) {
        add(cases, random, (ElementwiseLoss) kind[0], (float[]) kind[1], dims);
      }
    }
  }

  private static void add(
      List<Case> cases, SplittableRandom random, ElementwiseLoss kind, float[] params, int[] dims) {
    int k = params.length;
    int[] predDims = dims.clone();
    predDims[predDims.length - 1] *= k;
    String name = kind.name().toLowerCase(Locale.ROOT);
    String shape = Arrays.toString(dims) + (k > 1 ? " x " + k : "");
    NDArray pred = OpCheck.uniform(random, -3, 3, predDims);
    NDArray target = OpCheck.uniform(random, -3, 3, dims);
    cases.add(
        new Case(
            "elementwiseLoss(" + name + ")",
            shape,
            new NDArray[] {pred, target, OpCheck.uniform(random, -1, 1, 1)},
            new int[] {2},
            (b, t, s) -> {
              b.elementwiseLoss(kind, params, t[0], t[1], t[2]);
              return null;
            }));
    cases.add(
        new Case(
            "elementwiseLossGrad(" + name + ")",
            shape,
            new NDArray[] {
              pred,
              target,
              OpCheck.uniform(random, 0.5, 2, 1),
              OpCheck.uniform(random, -1, 1, predDims),
              OpCheck.uniform(random, -1, 1, dims)
            },
            new int[] {3, 4},
            (b, t, s) -> {
              b.elementwiseLossGrad(kind, params, t[0], t[1], t[2], t[3], t[4]);
              return null;
            }));
  }
}
