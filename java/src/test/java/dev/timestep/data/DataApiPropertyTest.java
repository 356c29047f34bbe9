package dev.timestep.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.data.series.LinearInterpolation;
import dev.timestep.data.series.MinMaxScaler;
import dev.timestep.data.series.SeriesWindows;
import dev.timestep.data.series.StandardScaler;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.PropertyRunner;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The data builders validate their input: random shapes (zero, negative, overflowing), window
 * specs, NaN and infinity, thrown at {@link Shape}, {@link NDArray}, {@link SeriesGenerator},
 * {@link WindowSpec}, {@link SeriesWindows}, the scalers, {@link LinearInterpolation}, {@link
 * Forecasts} and {@link Dataset}. Each call works or throws {@link IllegalArgumentException} /
 * {@link IllegalStateException} with a message; nothing else.
 */
class DataApiPropertyTest {
  private static final int TRIES = 2_000;
  private static final int[] ODD = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 12};

  /** One random case: dims, a window spec and values with maybe a NaN or infinity. */
  private record Case(
      int[] dims,
      int window,
      int horizon,
      int stride,
      int target,
      boolean sequence,
      int count,
      int steps,
      long seed,
      int poisonAt,
      float poison) {
    @Override
    public String toString() {
      return "dims "
          + Arrays.toString(dims)
          + " window "
          + window
          + " horizon "
          + horizon
          + " stride "
          + stride
          + " target "
          + target
          + (sequence ? " seq" : " vec")
          + " generate "
          + count
          + "x"
          + steps
          + (poisonAt >= 0 ? " poison " + poison + " at " + poisonAt : "");
    }
  }

  @Test
  void dataBuildersWorkOrFailClearly() {
    Map<String, Integer> outcomes =
        PropertyRunner.forAll(
            "data API", 77L, TRIES, DataApiPropertyTest::draw, DataApiPropertyTest::play);
    int total = outcomes.values().stream().mapToInt(Integer::intValue).sum();
    if (total >= 1000) {
      assertTrue(
          outcomes.getOrDefault("windows built", 0) > total / 10,
          "too few valid cases: " + outcomes);
      assertTrue(
          outcomes.getOrDefault("windows refused", 0) > total / 10,
          "too few invalid cases: " + outcomes);
    }
  }

  private static int small(SplittableRandom r, int max) {
    return r.nextInt(100) < 8 ? ODD[r.nextInt(ODD.length)] : 1 + r.nextInt(max);
  }

  private static Case draw(SplittableRandom r) {
    int rank = r.nextInt(100) < 80 ? 1 + r.nextInt(3) : r.nextInt(5);
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] =
          r.nextInt(100) < 5
              ? ODD[r.nextInt(3)]
              : 1 + r.nextInt(i == rank - 1 && rank > 1 ? 3 : 30);
    }
    float[] poisons = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    return new Case(
        dims,
        small(r, 10),
        small(r, 5),
        small(r, 3),
        r.nextInt(100) < 5 ? -1 : r.nextInt(3),
        r.nextBoolean(),
        small(r, 5),
        small(r, 40),
        r.nextLong(),
        r.nextInt(100) < 15 ? r.nextInt(40) : -1,
        poisons[r.nextInt(poisons.length)]);
  }

  private static String play(Case c) {
    NDArray series = attempt(() -> NDArray.zeros(c.dims()));
    if (series != null) {
      SplittableRandom values = new SplittableRandom(c.seed());
      for (int i = 0; i < series.size(); i++) {
        series.data()[i] = (float) Math.sin(i * 0.3) + (float) values.nextDouble() * 0.1f;
      }
      if (c.poisonAt() >= 0 && c.poisonAt() < series.size()) {
        series.data()[c.poisonAt()] = c.poison();
      }
      attempt(() -> StandardScaler.fit(series));
      attempt(() -> MinMaxScaler.fit(series));
      attempt(() -> LinearInterpolation.fill(series.data()));
      attempt(() -> Forecasts.naive(series, c.horizon()));
      attempt(() -> Forecasts.mse(series, series));
      attempt(() -> new Dataset(series, NDArray.zeros(Math.max(0, c.count()), 1)));
    }
    attempt(() -> SeriesGenerator.generate(c.count(), c.steps(), c.seed()));
    WindowSpec spec =
        attempt(
            () ->
                new WindowSpec(
                    c.sequence() ? WindowSpec.Layout.SEQUENCE : WindowSpec.Layout.VECTOR,
                    c.window(),
                    c.horizon(),
                    c.stride(),
                    c.target()));
    if (series == null || spec == null) {
      return "windows refused";
    }
    return attempt(() -> SeriesWindows.build(series, spec)) == null
        ? "windows refused"
        : "windows built";
  }

  private static <T> T attempt(Supplier<T> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException | IllegalStateException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError(e.getClass().getName() + " without a message", e);
      }
      return null;
    }
  }
}
