package dev.timestep.backend.conformance;

import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.backend.Conv1dSpec;
import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.RecurrentKind;
import dev.timestep.backend.RecurrentParams;
import dev.timestep.backend.conformance.OpCheck.Case;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@link OpCheck}'s cases for the sequence ops: the fused recurrent layers (every kind, forward and
 * backward), Conv1D (every padding, forward and backward), layer normalization and batch
 * normalization. Backward cases start from the float32 reference's forward results, so both
 * backends differentiate the same values; gradient buffers start non-zero, so the "add into" rule
 * is checked too. Sizes are the chapter's (20 units or filters, 50 steps) on a small batch: the
 * reference backend is timed too, and `selfcheck` runs this table.
 */
final class OpCheckSequenceCases {
  private OpCheckSequenceCases() {}

  static void add(List<Case> cases, SplittableRandom random) {
    for (RecurrentKind kind : RecurrentKind.values()) {
      recurrent(cases, random, kind, 1, 1, 1, 1);
      recurrent(cases, random, kind, 8, 50, 3, 20);
    }
    for (ConvPadding padding : ConvPadding.values()) {
      conv(
          cases,
          random,
          padding,
          8,
          51,
          20,
          20,
          4,
          2,
          padding == ConvPadding.VALID ? 1 : 8,
          Activation.TANH);
    }
    conv(cases, random, ConvPadding.CAUSAL, 8, 50, 20, 20, 2, 1, 4, Activation.RELU);
    for (int[] rn : new int[][] {{1, 3}, {33, 20}, {400, 20}}) {
      layerNorm(cases, random, rn[0], rn[1]);
      batchNorm(cases, random, rn[0], rn[1]);
    }
    lstmCellStates(cases, random, 1, 1, 1, 1);
    lstmCellStates(cases, random, 7, 50, 3, 21);
  }

  private static NDArray uniform(SplittableRandom random, double lo, double hi, int... dims) {
    return OpCheck.uniform(random, lo, hi, dims);
  }

  /** Runs a forward op on the float32 reference and returns the named outputs as host arrays. */
  @FunctionalInterface
  private interface Forward {
    void run(Backend b, Tensor[] t);
  }

  private static NDArray[] referenceForward(NDArray[] inputs, int[] outputs, Forward op) {
    Backend ref = ReferenceBackend.float32();
    try (Scope scope = new Scope()) {
      Tensor[] t = new Tensor[inputs.length];
      for (int i = 0; i < inputs.length; i++) {
        t[i] = ref.upload(inputs[i], scope);
      }
      op.run(ref, t);
      NDArray[] out = new NDArray[outputs.length];
      for (int i = 0; i < outputs.length; i++) {
        out[i] = ref.download(t[outputs[i]]);
      }
      return out;
    }
  }

  // ---- recurrent -----------------------------------------------------------------------------

  private static void recurrent(
      List<Case> cases,
      SplittableRandom random,
      RecurrentKind kind,
      int batch,
      int steps,
      int features,
      int units) {
    String name = kind.name().toLowerCase(Locale.ROOT);
    String shape = "B" + batch + " T" + steps + " F" + features + " H" + units;
    int g = kind.gates() * units;
    // the kind's own array (GRU recurrent bias, LN γβ); a placeholder for kinds without one
    boolean hasCellWeights = kind.cellWeightsSize(units) > 0;
    NDArray cellWeights = NDArray.zeros(1);
    if (kind == RecurrentKind.GRU) {
      cellWeights = uniform(random, -0.2, 0.2, g);
    } else if (kind == RecurrentKind.LAYER_NORM_SIMPLE) {
      float[] v = new float[2 * units];
      for (int j = 0; j < units; j++) {
        v[j] = (float) (0.5 + random.nextDouble()); // gamma
        v[units + j] = (float) (-0.2 + 0.4 * random.nextDouble()); // beta
      }
      cellWeights = new NDArray(Shape.of(2 * units), v);
    }
    double ws = 1 / Math.sqrt(features);
    double us = 1 / Math.sqrt(units);
    int cacheFloats = Math.max(1, batch * steps * kind.cacheRow(units));
    NDArray[] forward = {
      uniform(random, -1, 1, batch, steps, features),
      uniform(random, -0.5, 0.5, batch, units),
      uniform(random, -ws, ws, features, g),
      uniform(random, -us, us, units, g),
      uniform(random, -0.2, 0.2, g),
      cellWeights,
      uniform(random, -1, 1, batch, steps, units),
      uniform(random, -1, 1, cacheFloats)
    };
    cases.add(
        new Case(
            "recurrentForward(" + name + ")",
            shape,
            forward,
            new int[] {6, 7},
            (b, t, s) -> {
              b.recurrentForward(
                  kind,
                  Activation.TANH,
                  t[0],
                  t[1],
                  params(kind, t, 2, hasCellWeights),
                  t[6],
                  t[7]);
              return null;
            }));

    NDArray[] saved =
        referenceForward(
            forward,
            new int[] {6, 7},
            (b, t) ->
                b.recurrentForward(
                    kind,
                    Activation.TANH,
                    t[0],
                    t[1],
                    params(kind, t, 2, hasCellWeights),
                    t[6],
                    t[7]));
    NDArray[] backward = {
      forward[0],
      forward[1],
      forward[2],
      forward[3],
      forward[4],
      cellWeights,
      saved[0],
      saved[1],
      uniform(random, -1, 1, batch, steps, units),
      uniform(random, -1, 1, batch, steps, features),
      uniform(random, -1, 1, batch, units),
      uniform(random, -1, 1, features, g),
      uniform(random, -1, 1, units, g),
      uniform(random, -1, 1, g),
      uniform(random, -1, 1, cellWeights.shape().dims())
    };
    int[] outputs =
        hasCellWeights ? new int[] {9, 10, 11, 12, 13, 14} : new int[] {9, 10, 11, 12, 13};
    cases.add(
        new Case(
            "recurrentBackward(" + name + ")",
            shape,
            backward,
            outputs,
            (b, t, s) -> {
              b.recurrentBackward(
                  kind,
                  Activation.TANH,
                  t[0],
                  t[1],
                  params(kind, t, 2, hasCellWeights),
                  t[6],
                  t[7],
                  t[8],
                  t[9],
                  t[10],
                  params(kind, t, 11, hasCellWeights));
              return null;
            }));
  }

  /**
   * The LSTM from a given cell state c0, and its backward with a gradient on the final cell state
   * (dcLast) and dc0 out.
   */
  private static void lstmCellStates(
      List<Case> cases, SplittableRandom random, int batch, int steps, int features, int units) {
    RecurrentKind kind = RecurrentKind.LSTM;
    String shape = "B" + batch + " T" + steps + " F" + features + " H" + units;
    int g = kind.gates() * units;
    double ws = 1 / Math.sqrt(features);
    double us = 1 / Math.sqrt(units);
    int cacheFloats = batch * steps * kind.cacheRow(units);
    NDArray[] forward = {
      uniform(random, -1, 1, batch, steps, features),
      uniform(random, -0.5, 0.5, batch, units),
      uniform(random, -ws, ws, features, g),
      uniform(random, -us, us, units, g),
      uniform(random, -0.2, 0.2, g),
      uniform(random, -1, 1, batch, units), // c0
      uniform(random, -1, 1, batch, steps, units),
      uniform(random, -1, 1, cacheFloats)
    };
    cases.add(
        new Case(
            "recurrentForward(lstm, c0)",
            shape,
            forward,
            new int[] {6, 7},
            (b, t, s) -> {
              b.recurrentForward(
                  kind, Activation.TANH, t[0], t[1], t[5], params(kind, t, 2, false), t[6], t[7]);
              return null;
            }));
    NDArray[] saved =
        referenceForward(
            forward,
            new int[] {6, 7},
            (b, t) ->
                b.recurrentForward(
                    kind,
                    Activation.TANH,
                    t[0],
                    t[1],
                    t[5],
                    params(kind, t, 2, false),
                    t[6],
                    t[7]));
    NDArray[] backward = {
      forward[0],
      forward[1],
      forward[2],
      forward[3],
      forward[4],
      forward[5],
      saved[0],
      saved[1],
      uniform(random, -1, 1, batch, steps, units), // dout
      uniform(random, -1, 1, batch, units), // dcLast
      uniform(random, -1, 1, batch, steps, features), // dx
      uniform(random, -1, 1, batch, units), // dh0
      uniform(random, -1, 1, batch, units), // dc0
      uniform(random, -1, 1, features, g),
      uniform(random, -1, 1, units, g),
      uniform(random, -1, 1, g)
    };
    cases.add(
        new Case(
            "recurrentBackward(lstm, c0 dcLast)",
            shape,
            backward,
            new int[] {10, 11, 12, 13, 14, 15},
            (b, t, s) -> {
              b.recurrentBackward(
                  kind,
                  Activation.TANH,
                  t[0],
                  t[1],
                  t[5],
                  params(kind, t, 2, false),
                  t[6],
                  t[7],
                  t[8],
                  t[9],
                  t[10],
                  t[11],
                  t[12],
                  params(kind, t, 13, false));
              return null;
            }));
  }

  /** kernel, recurrent kernel, bias and (when the kind has one) its own array, from t[first..]. */
  private static RecurrentParams params(
      RecurrentKind kind, Tensor[] t, int first, boolean hasCellWeights) {
    return RecurrentParams.of(
        kind, t[first], t[first + 1], t[first + 2], hasCellWeights ? t[first + 3] : null);
  }

  // ---- conv1d --------------------------------------------------------------------------------

  private static void conv(
      List<Case> cases,
      SplittableRandom random,
      ConvPadding padding,
      int batch,
      int steps,
      int cin,
      int cout,
      int k,
      int stride,
      int dilation,
      Activation act) {
    Conv1dSpec spec = padding.spec(steps, k, stride, dilation, act);
    String shape =
        padding.name().toLowerCase(Locale.ROOT)
            + " s"
            + stride
            + " d"
            + dilation
            + " k"
            + k
            + " "
            + batch
            + "x"
            + steps
            + "x"
            + cin
            + ">"
            + cout;
    double ws = 1 / Math.sqrt(k * cin);
    NDArray[] forward = {
      uniform(random, -1, 1, batch, steps, cin),
      uniform(random, -ws, ws, k, cin, cout),
      uniform(random, -0.5, 0.5, cout),
      uniform(random, -1, 1, batch, spec.outSteps(), cout)
    };
    cases.add(
        new Case(
            "conv1d",
            shape,
            forward,
            new int[] {3},
            (b, t, s) -> {
              b.conv1d(t[0], t[1], t[2], spec, t[3]);
              return null;
            }));
    NDArray[] y =
        referenceForward(forward, new int[] {3}, (b, t) -> b.conv1d(t[0], t[1], t[2], spec, t[3]));
    NDArray[] backward = {
      forward[0],
      forward[1],
      y[0],
      uniform(random, -1, 1, batch, spec.outSteps(), cout),
      uniform(random, -1, 1, batch, steps, cin),
      uniform(random, -1, 1, k, cin, cout),
      uniform(random, -1, 1, cout)
    };
    cases.add(
        new Case(
            "conv1dGrad",
            shape,
            backward,
            new int[] {4, 5, 6},
            (b, t, s) -> {
              b.conv1dGrad(t[0], t[1], t[2], t[3], spec, t[4], t[5], t[6]);
              return null;
            }));
  }

  // ---- normalization -------------------------------------------------------------------------

  private static void layerNorm(List<Case> cases, SplittableRandom random, int rows, int n) {
    String shape = Arrays.toString(new int[] {rows, n});
    NDArray[] forward = {
      uniform(random, -3, 3, rows, n),
      uniform(random, 0.5, 1.5, n),
      uniform(random, -1, 1, n),
      uniform(random, -1, 1, rows, n),
      uniform(random, -1, 1, rows, n),
      uniform(random, -1, 1, rows)
    };
    cases.add(
        new Case(
            "layerNorm",
            shape,
            forward,
            new int[] {3, 4, 5},
            (b, t, s) -> {
              b.layerNorm(t[0], t[1], t[2], t[3], t[4], t[5]);
              return null;
            }));
    NDArray[] saved =
        referenceForward(
            forward, new int[] {4, 5}, (b, t) -> b.layerNorm(t[0], t[1], t[2], t[3], t[4], t[5]));
    NDArray[] backward = {
      uniform(random, -1, 1, rows, n),
      saved[0],
      saved[1],
      forward[1],
      uniform(random, -1, 1, rows, n),
      uniform(random, -1, 1, n),
      uniform(random, -1, 1, n)
    };
    cases.add(
        new Case(
            "layerNormGrad",
            shape,
            backward,
            new int[] {4, 5, 6},
            (b, t, s) -> {
              b.layerNormGrad(t[0], t[1], t[2], t[3], t[4], t[5], t[6]);
              return null;
            }));
  }

  private static void batchNorm(List<Case> cases, SplittableRandom random, int rows, int channels) {
    String shape = Arrays.toString(new int[] {rows, channels});
    NDArray x = uniform(random, -1, 1, rows, channels);
    float[] v = x.data();
    for (int i = 0; i < v.length; i++) { // per-channel offsets and scales
      int c = i % channels;
      v[i] = v[i] * (0.5f + c) + 0.3f * c - 1;
    }
    NDArray[] forward = {
      x,
      uniform(random, 0.5, 1.5, channels),
      uniform(random, -1, 1, channels),
      uniform(random, -1, 1, rows, channels),
      uniform(random, -1, 1, rows, channels),
      uniform(random, -1, 1, channels),
      uniform(random, -1, 1, channels),
      uniform(random, -1, 1, channels)
    };
    cases.add(
        new Case(
            "batchNorm",
            shape,
            forward,
            new int[] {3, 4, 5, 6, 7},
            (b, t, s) -> {
              b.batchNorm(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]);
              return null;
            }));
    NDArray[] saved =
        referenceForward(
            forward,
            new int[] {4, 7},
            (b, t) -> b.batchNorm(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]));
    NDArray[] backward = {
      uniform(random, -1, 1, rows, channels),
      saved[0],
      saved[1],
      forward[1],
      uniform(random, -1, 1, rows, channels),
      uniform(random, -1, 1, channels),
      uniform(random, -1, 1, channels)
    };
    cases.add(
        new Case(
            "batchNormGrad",
            shape,
            backward,
            new int[] {4, 5, 6},
            (b, t, s) -> {
              b.batchNormGrad(t[0], t[1], t[2], t[3], t[4], t[5], t[6]);
              return null;
            }));
    NDArray[] inference = {
      x,
      forward[1],
      forward[2],
      uniform(random, -1, 1, channels),
      uniform(random, 0, 2, channels),
      uniform(random, -1, 1, rows, channels)
    };
    cases.add(
        new Case(
            "batchNormInference",
            shape,
            inference,
            new int[] {5},
            (b, t, s) -> {
              b.batchNormInference(t[0], t[1], t[2], t[3], t[4], t[5]);
              return null;
            }));
  }
}
