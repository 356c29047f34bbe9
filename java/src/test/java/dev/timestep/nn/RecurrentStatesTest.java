package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.backend.RecurrentKind;
import dev.timestep.backend.RecurrentParams;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.io.LayerConfig;
import dev.timestep.io.ModelFile;
import dev.timestep.io.SavedModel;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.FiniteDifferences;
import dev.timestep.testing.Float64Tensors;
import dev.timestep.testing.TestArrays;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recurrent layers' states as a user meets them: initial states in and final states out ({@link
 * RecurrentLayer#forwardWithStates}), a sequence run in two halves with the states carried equal to
 * one run, stateful prediction over consecutive chunks, {@link RecurrentLayer#resetStates}, the
 * batch-size and shuffling rules, and the model-file flags.
 */
class RecurrentStatesTest {
  private static final int BATCH = 3;
  private static final int STEPS = 8;
  private static final int FEATURES = 2;
  private static final int UNITS = 5;

  static Stream<Supplier<RecurrentLayer>> kinds() {
    return Stream.of(
        () -> new SimpleRNN(UNITS),
        () -> new LSTM(UNITS),
        () -> new GRU(UNITS),
        () -> new LayerNormSimpleRNN(UNITS));
  }

  /** Every kind, on the fused op and on the step-by-step path that recurrent dropout takes. */
  static Stream<Arguments> kindsAndPaths() {
    return kinds().flatMap(k -> Stream.of(Arguments.of(k, false), Arguments.of(k, true)));
  }

  private static NDArray series(long seed, int batch, int steps) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, batch, steps, FEATURES);
  }

  /** Steps [from, to) of x [B, T, F]. */
  private static NDArray steps(NDArray x, int from, int to) {
    int b = x.dim(0), t = x.dim(1), f = x.dim(2);
    float[] out = new float[b * (to - from) * f];
    for (int i = 0; i < b; i++) {
      System.arraycopy(x.data(), (i * t + from) * f, out, i * (to - from) * f, (to - from) * f);
    }
    return new NDArray(Shape.of(b, to - from, f), out);
  }

  private static Variable input(Tape tape, NDArray x) {
    return tape.constant(tape.backend().upload(x, tape.scope()));
  }

  private static float[] values(Backend b, Variable v) {
    return b.download(v.value()).data();
  }

  @ParameterizedTest(name = "{index}: step by step = {1}")
  @MethodSource("kindsAndPaths")
  void twoHalvesWithTheStatesCarriedEqualOneRun(Supplier<RecurrentLayer> make, boolean steps) {
    RecurrentLayer layer = make.get().returnSequences(true);
    if (steps) {
      layer.recurrentDropout(0.3); // one state mask per sequence: the same seed, the same mask
    }
    Backend b = CpuBackend.get();
    try (Sequential m = new Sequential(layer).backend(b).seed(11);
        Tape tape = new Tape(b, false)) {
      m.build(Shape.of(STEPS, FEATURES));
      ForwardPass pass = steps ? ForwardPass.monteCarlo(99) : ForwardPass.inference();
      NDArray x = series(1, BATCH, STEPS);
      List<Variable> whole = layer.forwardWithStates(tape, input(tape, x), null, pass);
      List<Variable> first =
          layer.forwardWithStates(tape, input(tape, steps(x, 0, 3)), List.of(), pass);
      List<Variable> second =
          layer.forwardWithStates(
              tape, input(tape, steps(x, 3, STEPS)), first.subList(1, first.size()), pass);
      assertEquals(1 + layer.stateCount(), whole.size());
      float[] wholeSeq = values(b, whole.get(0));
      float[] joined = new float[wholeSeq.length];
      float[] a = values(b, first.get(0));
      float[] c = values(b, second.get(0));
      for (int i = 0; i < BATCH; i++) {
        System.arraycopy(a, i * 3 * UNITS, joined, i * STEPS * UNITS, 3 * UNITS);
        System.arraycopy(c, i * 5 * UNITS, joined, (i * STEPS + 3) * UNITS, 5 * UNITS);
      }
      TestArrays.assertAllClose("the sequence", wholeSeq, joined, 1e-6, 1e-5);
      for (int s = 1; s < whole.size(); s++) {
        TestArrays.assertAllClose(
            "final state " + s, values(b, whole.get(s)), values(b, second.get(s)), 1e-6, 1e-5);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void theFinalHIsTheLastStepAndTheLstmCellIsTheReferences(Supplier<RecurrentLayer> make) {
    RecurrentLayer layer = make.get().returnSequences(true).returnState(true);
    Backend b = CpuBackend.get();
    try (Sequential m = new Sequential(layer).backend(b).seed(5);
        Tape tape = new Tape(b, false);
        Scope scope = new Scope()) {
      m.build(Shape.of(STEPS, FEATURES));
      NDArray x = series(2, BATCH, STEPS);
      List<Variable> out =
          layer.forwardWithStates(tape, input(tape, x), null, ForwardPass.inference());
      Variable last = Ops.lastStep(tape, out.get(0));
      TestArrays.assertAllClose("h", values(b, last), values(b, out.get(1)), 0, 0);
      if (layer.stateCount() == 2) {
        // the reference op's c_t of the last step, from the same weights
        ReferenceBackend ref = ReferenceBackend.float32();
        List<Parameter> p = m.parameters().parameters();
        Tensor cache = ref.allocate(Shape.of(BATCH, STEPS, 5 * UNITS), scope);
        ref.recurrentForward(
            RecurrentKind.LSTM,
            Activation.TANH,
            ref.upload(x, scope),
            ref.allocate(Shape.of(BATCH, UNITS), scope),
            new RecurrentParams(
                ref.upload(b.download(p.get(0).value()), scope),
                ref.upload(b.download(p.get(1).value()), scope),
                ref.upload(b.download(p.get(2).value()), scope)),
            ref.allocate(Shape.of(BATCH, STEPS, UNITS), scope),
            cache);
        float[] rows = ref.download(cache).data();
        float[] c = new float[BATCH * UNITS];
        for (int i = 0; i < BATCH; i++) {
          System.arraycopy(rows, ((i * STEPS + STEPS - 1) * 5 + 4) * UNITS, c, i * UNITS, UNITS);
        }
        TestArrays.assertAllClose("c", c, values(b, out.get(2)), 1e-5, 1e-4);
      }
    }
    // Without returnSequences the output is the final h itself.
    RecurrentLayer lastOnly = make.get();
    try (Sequential m = new Sequential(lastOnly).backend(b).seed(5);
        Tape tape = new Tape(b, false)) {
      m.build(Shape.of(STEPS, FEATURES));
      List<Variable> out =
          lastOnly.forwardWithStates(
              tape, input(tape, series(2, BATCH, STEPS)), null, ForwardPass.inference());
      assertSame(out.get(0), out.get(1));
    }
  }

  @ParameterizedTest
  @MethodSource("kindsAndPaths")
  void gradientsReachTheInitialStatesThroughTheLayer(Supplier<RecurrentLayer> make, boolean steps) {
    RecurrentLayer layer = make.get().returnSequences(true);
    if (steps) {
      layer.recurrentDropout(0.3);
    }
    ReferenceBackend f64 = ReferenceBackend.float64();
    try (Sequential m = new Sequential(layer).backend(f64).seed(3);
        Scope scope = new Scope()) {
      m.build(Shape.of(3, FEATURES));
      Float64Tensors t = new Float64Tensors(scope, new SplittableRandom(8));
      Parameter x = t.param("x", -1, 1, 2, 3, FEATURES);
      List<Parameter> states = new ArrayList<>();
      states.add(t.param("h0", -0.8, 0.8, 2, UNITS));
      if (layer.stateCount() == 2) {
        states.add(t.param("c0", -0.8, 0.8, 2, UNITS));
      }
      Tensor rSeq = t.random(-1, 1, 2, 3, UNITS);
      Tensor rState = t.random(-1, 1, 2, UNITS);
      ForwardPass pass = steps ? ForwardPass.monteCarlo(4) : ForwardPass.inference();
      Function<Tape, Variable> loss =
          tape -> {
            List<Variable> out = layer.forwardWithStates(tape, x, new ArrayList<>(states), pass);
            Variable l = Ops.sum(tape, Ops.mul(tape, out.get(0), tape.constant(rSeq)));
            for (int s = 1; s < out.size(); s++) {
              l = Ops.add(tape, l, Ops.sum(tape, Ops.mul(tape, out.get(s), tape.constant(rState))));
            }
            return l;
          };
      List<Parameter> all = new ArrayList<>(states);
      all.add(x);
      all.addAll(m.parameters().parameters());
      FiniteDifferences.check(layer.name(), loss, all.toArray(new Parameter[0]));
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void statefulPredictOverChunksEqualsOnePredictOverTheWhole(Supplier<RecurrentLayer> make) {
    RecurrentLayer layer = make.get().returnSequences(true).stateful(true);
    try (Sequential m = new Sequential(layer, new Dense(1)).backend(CpuBackend.get()).seed(7)) {
      NDArray x = series(3, BATCH, STEPS);
      NDArray whole = m.predict(x, BATCH);
      m.resetStates();
      NDArray a = m.predict(steps(x, 0, 2), BATCH);
      NDArray b = m.predict(steps(x, 2, 5), BATCH);
      NDArray c = m.predict(steps(x, 5, STEPS), BATCH);
      float[] joined = new float[whole.data().length];
      int at = 0;
      for (int i = 0; i < BATCH; i++) {
        for (NDArray part : new NDArray[] {a, b, c}) {
          int n = part.dim(1);
          System.arraycopy(part.data(), i * n, joined, at, n);
          at += n;
        }
      }
      TestArrays.assertAllClose("chunks vs whole", whole.data(), joined, 1e-6, 1e-5);
      assertEquals(layer.stateCount(), layer.states().size());
      assertEquals(Shape.of(BATCH, UNITS), layer.states().get(0).shape());
    }
  }

  @Test
  void resetStatesStartsFromZerosAgain() {
    LSTM layer = new LSTM(UNITS).stateful(true);
    try (Sequential m = new Sequential(layer).backend(CpuBackend.get()).seed(2)) {
      NDArray x = series(4, BATCH, 4);
      NDArray fresh = m.predict(x, BATCH);
      NDArray carried = m.predict(x, BATCH);
      assertFalse(
          java.util.Arrays.equals(fresh.data(), carried.data()),
          "the second call should start from the first call's states");
      layer.resetStates();
      assertTrue(layer.states().isEmpty());
      TestArrays.assertAllClose("after reset", fresh.data(), m.predict(x, BATCH).data(), 0, 0);
    }
  }

  @Test
  void aStatelessLayerKeepsNothing() {
    GRU layer = new GRU(UNITS);
    try (Sequential m = new Sequential(layer).backend(CpuBackend.get()).seed(2)) {
      NDArray x = series(4, BATCH, 4);
      TestArrays.assertAllClose(
          "two calls", m.predict(x, BATCH).data(), m.predict(x, BATCH).data(), 0, 0);
      assertTrue(layer.states().isEmpty());
    }
  }

  @Test
  void aStatefulLayerRefusesAnotherBatchSizeNamingBoth() {
    SimpleRNN layer = new SimpleRNN(UNITS).stateful(true);
    try (Sequential m = new Sequential(layer).backend(CpuBackend.get())) {
      m.predict(series(5, 4, 3), 4);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.predict(series(5, 6, 3), 6));
      assertTrue(
          e.getMessage().contains("batch of 4") && e.getMessage().contains("batch of 6"),
          e::getMessage);
      layer.resetStates();
      m.predict(series(5, 6, 3), 6); // after a reset any batch size starts again
    }
  }

  @Test
  void statefulFitRefusesShufflingAndPartialBatchesThenCarriesStates() {
    LSTM layer = new LSTM(3).stateful(true);
    try (Sequential m = new Sequential(layer, new Dense(1)).backend(CpuBackend.get()).seed(1)) {
      m.compile(Loss.mse(), new Adam());
      NDArray x = series(6, 8, 4);
      NDArray y = NDArray.zeros(8, 1);
      IllegalArgumentException shuffled =
          assertThrows(
              IllegalArgumentException.class,
              () -> m.fit(x, y, FitOptions.defaults().batchSize(4)));
      assertTrue(shuffled.getMessage().contains("shuffle(false)"), shuffled::getMessage);
      IllegalArgumentException partial =
          assertThrows(
              IllegalArgumentException.class,
              () -> m.fit(x, y, FitOptions.defaults().batchSize(3).shuffle(false)));
      assertTrue(
          partial.getMessage().contains("8 training samples")
              && partial.getMessage().contains("batches of 3"),
          partial::getMessage);
      assertTrue(layer.states().isEmpty(), "a refused fit touched the states");
      m.fit(x, y, FitOptions.defaults().batchSize(4).shuffle(false).epochs(2));
      assertEquals(Shape.of(4, 3), layer.states().get(1).shape());
    }
  }

  @Test
  void theFlagsTravelThroughTheLayerConfigAndOnlyWhenSet() {
    LayerConfig plain = LayerConfig.of(new LSTM(3));
    assertFalse(plain.options().containsKey("stateful"));
    assertFalse(plain.options().containsKey("returnState"));
    LayerConfig flagged = LayerConfig.of(new GRU(3).stateful(true).returnState(true));
    assertEquals(true, flagged.options().get("stateful"));
    RecurrentLayer copy = (RecurrentLayer) flagged.newLayer();
    assertTrue(copy.isStateful() && copy.returnsState());
    assertFalse(((RecurrentLayer) plain.newLayer()).isStateful());
  }

  @Test
  void aModelFileKeepsTheStatefulFlagButNotTheStates(@TempDir Path dir) throws IOException {
    LSTM layer = new LSTM(UNITS).stateful(true);
    Path file = dir.resolve("stateful.tsm");
    try (Sequential m = new Sequential(layer, new Dense(1)).backend(CpuBackend.get()).seed(3)) {
      m.predict(series(7, BATCH, 4), BATCH);
      assertEquals(2, layer.states().size());
      ModelFile.save(m, file);
    }
    try (SavedModel loaded = ModelFile.load(file, CpuBackend.get())) {
      RecurrentLayer copy = (RecurrentLayer) loaded.model().layers().get(0);
      assertTrue(copy.isStateful());
      assertTrue(copy.states().isEmpty(), "states are not saved (as Keras)");
    }
  }

  @Test
  void wrongInitialStatesAreRefusedNamingTheLayer() {
    LSTM layer = new LSTM(UNITS);
    Backend b = CpuBackend.get();
    try (Sequential m = new Sequential(layer).backend(b);
        Tape tape = new Tape(b, false)) {
      m.build(Shape.of(4, FEATURES));
      Variable x = input(tape, series(1, 2, 4));
      Variable h = tape.constant(tape.allocate(Shape.of(2, UNITS)));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> layer.forwardWithStates(tape, x, List.of(h), ForwardPass.inference()));
      assertTrue(
          e.getMessage().startsWith("LSTM(") && e.getMessage().contains("[h, c]"), e::getMessage);
    }
  }
}
