package dev.timestep.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer, step by step, against Keras 3's update formulas written out here in double (one
 * loop per optimizer, over a five-weight arena of two parameters and four steps of gradients that
 * shrink, so AMSGrad's maximum differs from v), on the float32 reference and the native CPU
 * backend.
 */
class OptimizerFormulaTest {
  private static final double[] START = {1.0, -0.5, 0.25, 0.75, -1.25};

  /** Per step, one gradient per weight: large first, then smaller, with sign changes. */
  private static final double[][] GRADS = {
    {2.0, -1.5, 0.5, 3.0, -0.25},
    {0.5, 0.25, -0.75, 0.1, 0.5},
    {-0.1, 0.05, 0.2, -0.3, 0.02},
    {0.05, -0.02, 0.01, 0.2, -0.04}
  };

  /** One optimizer's update of one weight, in double; keeps its own per-weight state. */
  interface Formula {
    double step(int weight, double p, double g, int t);
  }

  static Formula sgd(double lr, double momentum, boolean nesterov) {
    double[] velocity = new double[START.length];
    return (i, p, g, t) -> {
      if (momentum == 0) {
        return p - lr * g;
      }
      velocity[i] = momentum * velocity[i] - lr * g;
      return p + (nesterov ? momentum * velocity[i] - lr * g : velocity[i]);
    };
  }

  static Formula rmsprop(double lr, double rho, double momentum, double eps, boolean centered) {
    double[] velocity = new double[START.length];
    double[] average = new double[START.length];
    double[] moment = new double[START.length];
    return (i, p, g, t) -> {
      velocity[i] = rho * velocity[i] + (1 - rho) * g * g;
      double denominator = velocity[i] + eps;
      if (centered) {
        average[i] = rho * average[i] + (1 - rho) * g;
        denominator = velocity[i] - average[i] * average[i] + eps;
      }
      double increment = lr * g / Math.sqrt(denominator);
      if (momentum > 0) {
        moment[i] = momentum * moment[i] + increment;
        return p - moment[i];
      }
      return p - increment;
    };
  }

  static Formula adam(
      double lr, double weightDecay, double b1, double b2, double eps, boolean amsgrad) {
    double[] m = new double[START.length];
    double[] v = new double[START.length];
    double[] vhat = new double[START.length];
    return (i, p, g, t) -> {
      p -= p * weightDecay * lr; // Keras' decoupled decay comes first, with the plain rate
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      double denominatorV = v[i];
      if (amsgrad) {
        vhat[i] = Math.max(vhat[i], v[i]);
        denominatorV = vhat[i];
      }
      double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      return p - alpha * m[i] / (Math.sqrt(denominatorV) + eps);
    };
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String backend : List.of("reference", "cpu")) {
      out.add(c(backend, "SGD()", SGD::new, () -> sgd(0.01, 0, false)));
      out.add(c(backend, "SGD(0.1, 0.9)", () -> new SGD(0.1, 0.9), () -> sgd(0.1, 0.9, false)));
      out.add(
          c(
              backend,
              "SGD(0.1, 0.9, nesterov)",
              () -> new SGD(0.1, 0.9, true),
              () -> sgd(0.1, 0.9, true)));
      out.add(c(backend, "RMSprop()", RMSprop::new, () -> rmsprop(1e-3, 0.9, 0, 1e-7, false)));
      out.add(
          c(
              backend,
              "RMSprop(momentum 0.5)",
              () -> new RMSprop(0.01, 0.8, 0.5, 1e-6, false),
              () -> rmsprop(0.01, 0.8, 0.5, 1e-6, false)));
      out.add(
          c(
              backend,
              "RMSprop(centered)",
              () -> new RMSprop(0.01, 0.9, 0, 1e-7, true),
              () -> rmsprop(0.01, 0.9, 0, 1e-7, true)));
      out.add(
          c(
              backend,
              "RMSprop(centered, momentum 0.9)",
              () -> new RMSprop(0.01, 0.9, 0.9, 1e-7, true),
              () -> rmsprop(0.01, 0.9, 0.9, 1e-7, true)));
      out.add(
          c(
              backend,
              "Adam(amsgrad)",
              () -> new Adam(0.05, 0.9, 0.999, 1e-7, true),
              () -> adam(0.05, 0, 0.9, 0.999, 1e-7, true)));
      out.add(c(backend, "AdamW()", AdamW::new, () -> adam(1e-3, 0.004, 0.9, 0.999, 1e-7, false)));
      out.add(
          c(
              backend,
              "AdamW(0.05, 0.5)",
              () -> new AdamW(0.05, 0.5),
              () -> adam(0.05, 0.5, 0.9, 0.999, 1e-7, false)));
      out.add(
          c(
              backend,
              "AdamW(amsgrad)",
              () -> new AdamW(0.05, 0.5, 0.8, 0.99, 1e-6, true),
              () -> adam(0.05, 0.5, 0.8, 0.99, 1e-6, true)));
    }
    return out.stream();
  }

  private static Arguments c(
      String backend,
      String name,
      Supplier<ArenaOptimizer<?>> optimizer,
      Supplier<Formula> formula) {
    return Arguments.of(backend, name, optimizer, formula);
  }

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  /** A store of "kernel" [3] and "bias" [2] holding START. */
  static ParameterStore store(Backend b) {
    ParameterStore store = new ParameterStore();
    store.declare("kernel", Shape.of(3), Initializer.zeros());
    store.declare("bias", Shape.of(2), Initializer.zeros());
    store.allocate(b, 0);
    float[] start = new float[START.length];
    for (int i = 0; i < start.length; i++) {
      start[i] = (float) START[i];
    }
    b.upload(NDArray.of(start, START.length), store.values());
    return store;
  }

  static void setGradients(Backend b, ParameterStore store, double[] grads) {
    float[] g = new float[grads.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) grads[i];
    }
    b.upload(NDArray.of(g, g.length), store.grads());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void everyStepMatchesTheKerasFormula(
      String backendName,
      String name,
      Supplier<ArenaOptimizer<?>> optimizer,
      Supplier<Formula> formula) {
    Backend b = backend(backendName);
    Formula f = formula.get();
    double[] expected = START.clone();
    try (ParameterStore store = store(b);
        ArenaOptimizer<?> opt = optimizer.get()) {
      for (int t = 1; t <= GRADS.length; t++) {
        setGradients(b, store, GRADS[t - 1]);
        opt.step(store);
        float[] got = b.download(store.values()).data();
        for (int i = 0; i < expected.length; i++) {
          expected[i] = f.step(i, expected[i], GRADS[t - 1][i], t);
          assertEquals(
              expected[i],
              got[i],
              2e-6 + 1e-5 * Math.abs(expected[i]),
              name + " weight " + i + " after step " + t);
        }
      }
      assertEquals(GRADS.length, opt.iterations());
      assertEquals(opt.slotNames().size(), opt.state().size(), "one state tensor per slot");
    }
  }

  /**
   * Keras' RMSprop docstring example: var 10, loss var²/2, RMSprop(0.1): one step gives 9.683772.
   */
  @Test
  void rmspropMatchesTheKerasDocumentationExample() {
    Backend b = ReferenceBackend.float32();
    try (ParameterStore store = new ParameterStore();
        RMSprop rmsprop = new RMSprop(0.1)) {
      store.declare("var", Shape.of(1), Initializer.constant(10f));
      store.allocate(b, 0);
      b.upload(NDArray.of(new float[] {10f}, 1), store.grads()); // d(var²/2)/dvar = var
      rmsprop.step(store);
      assertEquals(9.683772, b.download(store.values()).data()[0], 1e-6);
    }
  }

  /** SGD with momentum 0.9, by hand: velocities -0.1, -0.19; weights 0.9, 0.71 (Nesterov 0.81). */
  @Test
  void sgdMomentumByHand() {
    Backend b = ReferenceBackend.float32();
    for (boolean nesterov : new boolean[] {false, true}) {
      try (ParameterStore store = new ParameterStore();
          SGD sgd = new SGD(0.1, 0.9, nesterov)) {
        store.declare("w", Shape.of(1), Initializer.constant(1f));
        store.allocate(b, 0);
        b.upload(NDArray.of(new float[] {1f}, 1), store.grads());
        sgd.step(store);
        // velocity -0.1; plain: 1 - 0.1; Nesterov: 1 + 0.9·(-0.1) - 0.1
        assertEquals(nesterov ? 0.81 : 0.9, b.download(store.values()).data()[0], 1e-6);
        sgd.step(store);
        // velocity 0.9·(-0.1) - 0.1 = -0.19; plain: 0.9 - 0.19; Nesterov: 0.81 - 0.171 - 0.1
        assertEquals(nesterov ? 0.539 : 0.71, b.download(store.values()).data()[0], 1e-6);
        assertEquals(-0.19, sgd.slot("velocity").data()[0], 1e-7);
      }
    }
  }
}
