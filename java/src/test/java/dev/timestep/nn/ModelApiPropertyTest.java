package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.NativeFailure;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.PropertyRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Bad input never reaches native code: 10,000 random model configurations, optimizers, fit options
 * and data (often invalid: zero or negative sizes, huge sizes, NaN and infinity, empty arrays,
 * wrong ranks, mismatched lengths, layers reused, use after close) thrown at the public API, mostly
 * on the native cpu backend. Every call must either work or throw {@link IllegalArgumentException}
 * / {@link IllegalStateException} with a message; a {@link NativeFailure} (a native status code:
 * the input got past validation) or any other exception falsifies the property, and a native crash
 * would end this JVM and fail the build. After each case the CPU backend's live native bytes must
 * be back where they were, so error paths leak nothing either.
 */
class ModelApiPropertyTest {
  private static final int TRIES = 10_000;

  @Test
  void everyCallWorksOrFailsWithAClearException() {
    Map<String, Integer> outcomes =
        PropertyRunner.forAll(
            "model API",
            20261201L,
            TRIES,
            ModelApiPropertyTest::scenario,
            ModelApiPropertyTest::play);
    int total = outcomes.values().stream().mapToInt(Integer::intValue).sum();
    if (total >= 1000) { // not when replaying one case
      // The generator must reach both sides: real training, and refusals at every level.
      assertTrue(
          outcomes.getOrDefault("trained", 0) > total / 10, "too few cases trained: " + outcomes);
      assertTrue(
          outcomes.getOrDefault("refused before any prediction", 0) > total / 20,
          "too few cases refused: " + outcomes);
    }
  }

  // ---- one case ------------------------------------------------------------------------

  private static String play(Scenario s) {
    long before = CpuBackend.liveNativeBytes();
    Calls calls = new Calls();
    Sequential model = calls.attempt("new Sequential", () -> new Sequential());
    if (model == null) {
      return "refused before any prediction";
    }
    try {
      Backend backend = s.reference ? ReferenceBackend.float32() : CpuBackend.get();
      calls.attempt("backend/seed", () -> model.backend(backend).seed(s.seed));
      for (LayerSpec spec : s.layers) {
        Layer layer = calls.attempt("layer " + spec, spec::make);
        if (layer != null) {
          calls.attempt("add " + spec, () -> model.add(layer));
        } else if (spec.kind() == Kind.NULL) {
          calls.attempt("add null", () -> model.add(null));
        }
      }
      if (s.reuseFirstLayer && !model.layers().isEmpty()) {
        calls.attempt("add the same layer again", () -> model.add(model.layers().get(0)));
      }
      Adam adam = calls.attempt("Adam " + s.optimizer, s.optimizer::make);
      calls.attempt(
          "compile", () -> model.compile(s.nullLoss ? null : Loss.mse(), adam, Metric.mse()));
      NDArray x = s.data.x();
      NDArray clean = s.data.cleanX();
      NDArray prediction = calls.attempt("predict clean X", () -> model.predict(clean, 3));
      NDArray y = s.data.y(prediction);
      for (Op op : s.ops) {
        calls.attempt(op.toString(), () -> op.run(model, x, y, s));
      }
      calls.attempt(
          "close",
          () -> {
            model.close();
            return null;
          });
      calls.attempt("predict after close", () -> model.predict(clean));
      if (model.isClosed() && calls.lastRefusal == null) {
        throw new AssertionError("predict after close returned instead of failing");
      }
    } finally {
      model.close();
    }
    long after = CpuBackend.liveNativeBytes();
    if (after != before) {
      throw new AssertionError(
          "native bytes leaked: " + before + " before, " + after + " after the closed model");
    }
    if (calls.trained) {
      return "trained";
    }
    return calls.predicted ? "predicted, never trained" : "refused before any prediction";
  }

  /** Runs API calls and sorts what they throw into allowed refusals and property failures. */
  private static final class Calls {
    boolean trained;
    boolean predicted;
    String lastRefusal;

    <T> T attempt(String what, Supplier<T> call) {
      try {
        T value = call.get();
        lastRefusal = null;
        if (what.startsWith("fit") || what.startsWith("trainOnBatch")) {
          trained = true;
        }
        if (what.startsWith("predict")) {
          predicted = true;
        }
        return value;
      } catch (NativeFailure e) {
        throw new AssertionError(what + ": bad input reached native code: " + e.getMessage(), e);
      } catch (IllegalArgumentException | IllegalStateException e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
          throw new AssertionError(
              what + " threw " + e.getClass().getName() + " without a message", e);
        }
        lastRefusal = e.getClass().getSimpleName() + ": " + e.getMessage();
        return null;
      } catch (RuntimeException | Error e) {
        throw new AssertionError(what + " threw " + e, e);
      }
    }
  }

  // ---- what a case is ------------------------------------------------------------------

  private record Scenario(
      boolean reference,
      long seed,
      List<LayerSpec> layers,
      boolean reuseFirstLayer,
      OptimizerSpec optimizer,
      boolean nullLoss,
      DataSpec data,
      List<Op> ops) {
    @Override
    public String toString() {
      return (reference ? "reference" : "cpu")
          + " seed "
          + seed
          + " layers "
          + layers
          + (reuseFirstLayer ? " +reused first layer" : "")
          + " "
          + optimizer
          + (nullLoss ? " null loss" : "")
          + " "
          + data
          + " ops "
          + ops;
    }
  }

  private enum Kind {
    DENSE,
    FLATTEN,
    SIMPLE_RNN,
    LSTM,
    GRU,
    LN_RNN,
    CONV1D,
    TD_DENSE,
    LAYER_NORM,
    BATCH_NORM,
    NULL
  }

  private record LayerSpec(
      Kind kind,
      int units,
      int kernel,
      int stride,
      int dilation,
      ConvPadding padding,
      Activation activation,
      boolean flag) {
    Layer make() {
      return switch (kind) {
        case DENSE -> new Dense(units, activation);
        case FLATTEN -> new Flatten();
        case SIMPLE_RNN -> new SimpleRNN(units).activation(activation).returnSequences(flag);
        case LSTM -> new LSTM(units).returnSequences(flag);
        case GRU -> new GRU(units).returnSequences(flag);
        case LN_RNN -> new LayerNormSimpleRNN(units).returnSequences(flag);
        case CONV1D ->
            new Conv1D(units, kernel)
                .strides(stride)
                .dilationRate(dilation)
                .padding(padding)
                .activation(activation)
                .useBias(flag);
        case TD_DENSE -> new TimeDistributed(new Dense(units, activation));
        case LAYER_NORM -> new LayerNormalization();
        case BATCH_NORM -> new BatchNormalization();
        case NULL -> null;
      };
    }

    @Override
    public String toString() {
      return switch (kind) {
        case CONV1D ->
            "Conv1D("
                + units
                + ", k"
                + kernel
                + ", s"
                + stride
                + ", d"
                + dilation
                + ", "
                + padding
                + ", "
                + activation
                + (flag ? "" : ", no bias")
                + ")";
        case DENSE, TD_DENSE -> kind + "(" + units + ", " + activation + ")";
        case SIMPLE_RNN, LSTM, GRU, LN_RNN ->
            kind + "(" + units + (flag ? ", rs" : "") + ", " + activation + ")";
        default -> kind.toString();
      };
    }
  }

  private record OptimizerSpec(
      double lr, double beta1, double beta2, double epsilon, int clip, double limit) {
    Adam make() {
      Adam adam = new Adam(lr, beta1, beta2, epsilon);
      if (clip == 1 || clip == 3) {
        adam.clipNorm(limit);
      }
      if (clip == 2 || clip == 3) {
        adam.clipValue(limit);
      }
      return adam;
    }

    @Override
    public String toString() {
      return "Adam("
          + lr
          + ", "
          + beta1
          + ", "
          + beta2
          + ", "
          + epsilon
          + (clip == 0 ? "" : ", clip" + clip + "=" + limit)
          + ")";
    }
  }

  /** X's dims and values (one value may be poisoned), and how Y is made. */
  private record DataSpec(
      int[] xDims, float[] values, int poisonAt, float poison, int yMode, int[] yDims) {
    NDArray cleanX() {
      return new NDArray(Shape.of(xDims), values.clone());
    }

    NDArray x() {
      NDArray x = cleanX();
      if (poisonAt >= 0 && poisonAt < x.size()) {
        x.data()[poisonAt] = poison;
      }
      return x;
    }

    /**
     * Y from the model's own prediction (right shape) or from yDims (any shape), maybe poisoned.
     */
    NDArray y(NDArray prediction) {
      NDArray y;
      if (yMode <= 1 && prediction != null) {
        float[] v = prediction.data().clone();
        for (int i = 0; i < v.length; i++) {
          v[i] = v[i] * 0.5f + 0.1f;
        }
        y = new NDArray(prediction.shape(), v);
      } else {
        y = NDArray.zeros(yDims);
      }
      if (yMode == 1 && y.size() > 0) {
        y.data()[0] = Float.NaN;
      }
      return y;
    }

    @Override
    public String toString() {
      return "X"
          + Arrays.toString(xDims)
          + (poisonAt >= 0 ? " with " + poison + " at " + poisonAt : "")
          + " Y mode "
          + yMode
          + (yMode > 1 ? Arrays.toString(yDims) : "");
    }
  }

  private record Op(
      String kind, int epochs, int batchSize, boolean shuffle, int validation, int[] otherDims) {
    Object run(Sequential m, NDArray x, NDArray y, Scenario s) {
      return switch (kind) {
        case "fit" -> {
          FitOptions o =
              FitOptions.defaults()
                  .epochs(epochs)
                  .batchSize(batchSize)
                  .shuffle(shuffle)
                  .seed(epochs);
          if (validation == 1) {
            o.validation(x, y);
          } else if (validation == 2) {
            o.validation(NDArray.zeros(otherDims), y);
          } else if (validation == 3) {
            o.validation(x, null);
          }
          yield m.fit(x, y, o);
        }
        case "trainOnBatch" -> m.trainOnBatch(x, y);
        case "evaluate" -> m.evaluate(x, y, batchSize);
        case "predict" -> m.predict(x, batchSize);
        case "predict other shape" -> m.predict(NDArray.zeros(otherDims), batchSize);
        case "build" -> m.build(Shape.of(otherDims));
        case "compile again" -> m.compile(Loss.mse(), new Adam(1e-2));
        case "summary" -> m.summary();
        default -> throw new AssertionError(kind);
      };
    }

    @Override
    public String toString() {
      return kind
          + "(epochs "
          + epochs
          + ", batch "
          + batchSize
          + (validation > 0 ? ", validation " + validation : "")
          + (kind.contains("other") || kind.equals("build")
              ? ", " + Arrays.toString(otherDims)
              : "")
          + ")";
    }
  }

  // ---- generation ----------------------------------------------------------------------

  private static final int[] BAD_SIZES = {0, -1, -7, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 30};
  private static final double[] BAD_RATES = {
    0, -1e-3, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0
  };
  private static final float[] POISONS = {
    Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY
  };

  private static Scenario scenario(SplittableRandom r) {
    List<LayerSpec> layers = r.nextInt(10) < 6 ? sensibleStack(r) : randomStack(r);
    return new Scenario(
        r.nextInt(100) < 15,
        r.nextLong(),
        layers,
        r.nextInt(100) < 4,
        optimizer(r),
        r.nextInt(100) < 2,
        data(r),
        ops(r));
  }

  /** Mostly valid sizes, sometimes zero, negative or enormous. */
  private static int size(SplittableRandom r, int max) {
    return r.nextInt(100) < 3 ? BAD_SIZES[r.nextInt(BAD_SIZES.length)] : 1 + r.nextInt(max);
  }

  private static Activation activation(SplittableRandom r) {
    return Activation.values()[r.nextInt(Activation.values().length)];
  }

  private static LayerSpec layer(SplittableRandom r, Kind kind, boolean returnSequences) {
    int dilation =
        r.nextInt(100) < 2
            ? BAD_SIZES[r.nextInt(BAD_SIZES.length)]
            : r.nextInt(100) < 2 ? ConvPadding.MAX_SPAN : 1 << r.nextInt(4);
    ConvPadding padding = ConvPadding.values()[r.nextInt(ConvPadding.values().length)];
    boolean flag = kind == Kind.CONV1D ? r.nextInt(5) > 0 : returnSequences;
    return new LayerSpec(
        kind, size(r, 8), size(r, 4), size(r, 3), dilation, padding, activation(r), flag);
  }

  /**
   * Stacks the chapter would build (recurrent, conv + recurrent, WaveNet, linear), with random
   * sizes.
   */
  private static List<LayerSpec> sensibleStack(SplittableRandom r) {
    List<LayerSpec> out = new ArrayList<>();
    Kind[] recurrent = {Kind.SIMPLE_RNN, Kind.LSTM, Kind.GRU, Kind.LN_RNN};
    switch (r.nextInt(4)) {
      case 0 -> {
        int depth = 1 + r.nextInt(2);
        for (int i = 0; i < depth; i++) {
          out.add(
              layer(r, recurrent[r.nextInt(recurrent.length)], i < depth - 1 || r.nextBoolean()));
        }
      }
      case 1 -> {
        out.add(layer(r, Kind.CONV1D, false));
        out.add(layer(r, recurrent[r.nextInt(recurrent.length)], r.nextBoolean()));
      }
      case 2 -> {
        int depth = 1 + r.nextInt(3);
        for (int i = 0; i < depth; i++) {
          out.add(layer(r, Kind.CONV1D, false));
        }
      }
      default ->
          out.add(
              new LayerSpec(Kind.FLATTEN, 0, 0, 0, 0, ConvPadding.VALID, Activation.LINEAR, false));
    }
    if (r.nextInt(3) == 0) {
      out.add(layer(r, r.nextBoolean() ? Kind.BATCH_NORM : Kind.LAYER_NORM, false));
    }
    // TimeDistributed needs a time axis: after a sequence output, either head works.
    LayerSpec last = out.get(out.size() - 1);
    boolean sequence = last.kind() == Kind.CONV1D || last.flag() && last.kind() != Kind.FLATTEN;
    out.add(layer(r, sequence && r.nextBoolean() ? Kind.TD_DENSE : Kind.DENSE, false));
    return out;
  }

  private static List<LayerSpec> randomStack(SplittableRandom r) {
    List<LayerSpec> out = new ArrayList<>();
    int n = r.nextInt(100) < 3 ? 0 : 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      Kind kind =
          r.nextInt(100) < 2 ? Kind.NULL : Kind.values()[r.nextInt(Kind.values().length - 1)];
      out.add(layer(r, kind, r.nextBoolean()));
    }
    return out;
  }

  private static OptimizerSpec optimizer(SplittableRandom r) {
    double lr =
        switch (r.nextInt(40)) {
          case 0 -> BAD_RATES[r.nextInt(BAD_RATES.length)];
          case 1 -> r.nextBoolean() ? 1e30 : 1e38; // diverges: must stop with a clear error
          default -> new double[] {1e-3, 1e-2, 0.1}[r.nextInt(3)];
        };
    double beta1 =
        r.nextInt(50) == 0 ? new double[] {1.0, -0.1, Double.NaN, 0.5}[r.nextInt(4)] : 0.9;
    double beta2 =
        r.nextInt(50) == 0 ? new double[] {1.0, 1.5, Double.NaN, 0.0}[r.nextInt(4)] : 0.999;
    double epsilon =
        r.nextInt(50) == 0 ? new double[] {0, -1, Double.NaN, 1e-3}[r.nextInt(4)] : 1e-7;
    int clip =
        switch (r.nextInt(50)) {
          case 0, 1, 2, 3, 4 -> 1;
          case 5, 6, 7, 8, 9 -> 2;
          case 10 -> 3;
          default -> 0;
        };
    double limit =
        r.nextInt(20) == 0 ? BAD_RATES[r.nextInt(BAD_RATES.length)] : 0.01 + r.nextDouble();
    return new OptimizerSpec(lr, beta1, beta2, epsilon, clip, limit);
  }

  private static int dim(SplittableRandom r, int max) {
    return r.nextInt(100) < 2 ? 0 : 1 + r.nextInt(max);
  }

  private static int[] xDims(SplittableRandom r) {
    return switch (r.nextInt(100) < 85 ? 3 : r.nextInt(4) + 1) {
      case 1 -> new int[] {dim(r, 4)};
      case 2 -> new int[] {dim(r, 4), dim(r, 12)};
      case 3 -> new int[] {dim(r, 4), dim(r, 12), dim(r, 3)};
      default -> new int[] {dim(r, 4), dim(r, 6), dim(r, 3), dim(r, 2)};
    };
  }

  private static DataSpec data(SplittableRandom r) {
    int[] dims = xDims(r);
    float[] values = new float[Math.toIntExact(Shape.of(dims).size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (r.nextDouble() * 2 - 1);
    }
    int poisonAt = r.nextInt(100) < 8 && values.length > 0 ? r.nextInt(values.length) : -1;
    int yMode = r.nextInt(100) < 80 ? 0 : 1 + r.nextInt(3);
    int[] yDims =
        switch (r.nextInt(3)) {
          case 0 -> new int[] {dims[0] + (r.nextBoolean() ? 1 : 0), 1};
          case 1 -> new int[] {dims[0]};
          default -> new int[] {Math.max(0, dims[0] - 1), dim(r, 12), dim(r, 3)};
        };
    return new DataSpec(dims, values, poisonAt, POISONS[r.nextInt(POISONS.length)], yMode, yDims);
  }

  private static List<Op> ops(SplittableRandom r) {
    String[] kinds = {
      "fit",
      "fit",
      "fit",
      "fit",
      "trainOnBatch",
      "trainOnBatch",
      "evaluate",
      "predict",
      "predict",
      "predict other shape",
      "build",
      "compile again",
      "summary"
    };
    List<Op> out = new ArrayList<>();
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      int epochs = r.nextInt(100) < 94 ? 1 : new int[] {2, 2, 0, -1}[r.nextInt(4)];
      int batch =
          r.nextInt(100) < 96
              ? 1 + r.nextInt(5)
              : new int[] {0, -2, Integer.MIN_VALUE}[r.nextInt(3)];
      int validation = r.nextInt(100) < 80 ? 0 : new int[] {1, 1, 1, 2, 3}[r.nextInt(5)];
      out.add(
          new Op(
              kinds[r.nextInt(kinds.length)],
              epochs,
              batch,
              r.nextBoolean(),
              validation,
              xDims(r)));
    }
    return out;
  }
}
