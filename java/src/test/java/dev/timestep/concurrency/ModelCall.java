package dev.timestep.concurrency;

import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.forecast.IterativeForecast;
import dev.timestep.forecast.McDropout;
import dev.timestep.forecast.MultiStepForecast;
import dev.timestep.impute.ImputationMethod;
import dev.timestep.impute.ModelImputer;
import dev.timestep.io.ModelFile;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.Loss;
import dev.timestep.nn.ModelLease;
import dev.timestep.nn.Sequential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Every public entry point that reads a model's native memory, as one call on a {@link
 * RaceFixture.Case}: the stress and schedule tests race each of them against close() and against
 * each other.
 */
enum ModelCall {
  PREDICT(c -> c.model().predict(c.x(), 4)),
  EVALUATE(c -> c.model().evaluate(c.x(), c.y(), 4)),
  FIT(c -> c.model().fit(c.x(), c.y(), FitOptions.defaults().epochs(2).batchSize(4))),
  TRAIN_ON_BATCH(c -> c.model().trainOnBatch(c.x(), c.y())),
  SAVE(c -> save(c.model(), c.file())),
  SERIES_SAVE(
      c -> {
        try {
          c.series().save(c.file());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }),
  MC_DROPOUT(c -> McDropout.predict(c.model(), c.x(), 8)),
  ITERATIVE_FORECAST(c -> IterativeForecast.forecast(c.model(), c.x(), 5)),
  MULTI_STEP_FORECAST(c -> MultiStepForecast.forecast(c.model(), c.x(), 5)),
  SERIES_FORECAST(c -> c.series().forecast(c.data(), new int[] {c.data().length()}, 8, 0)),
  SERIES_FORECAST_MC(c -> c.series().forecast(c.data(), new int[] {c.data().length()}, 4, 4)),
  IMPUTE(c -> ModelImputer.fill(c.series(), c.gappy(), ImputationMethod.BRIDGED)),
  CUSTOM_LOOP(
      c -> {
        Sequential m = c.model();
        Backend b = m.backend();
        try (Tape tape = new Tape(b)) {
          Variable pred = m.forward(tape, tape.constant(b.upload(c.x(), tape.scope())), true);
          Variable loss =
              Loss.mse().compute(tape, pred, tape.constant(b.upload(c.y(), tape.scope())));
          tape.backward(loss); // after forward returned: the tape still holds the model
        }
      }),
  SUMMARY(c -> c.model().summary()),
  GET_WEIGHTS(c -> c.model().getWeights()),
  SET_WEIGHTS(c -> c.model().setWeights(c.model().getWeights())),
  LEASED_WEIGHTS(
      c -> {
        try (ModelLease held = c.model().lease("read weights")) {
          c.model().backend().download(c.model().parameters().values());
        }
      }),
  BUILD(c -> c.model().build(c.model().inputShape()));

  private final Body body;

  ModelCall(Body body) {
    this.body = body;
  }

  @FunctionalInterface
  interface Body {
    void run(RaceFixture.Case c);
  }

  void run(RaceFixture.Case c) {
    body.run(c);
  }

  static void save(Sequential model, Path file) {
    try {
      ModelFile.save(model, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The outcome of one call in a race: it finished, or was refused with a clear state error. */
  static String outcome(ModelCall call, RaceFixture.Case c) {
    try {
      call.run(c);
      return "completed";
    } catch (IllegalStateException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError(
            call + " failed with an IllegalStateException without a message", e);
      }
      return "refused";
    } catch (RuntimeException | Error e) {
      throw new AssertionError(
          call
              + " failed with "
              + e
              + " (only completing or an IllegalStateException is "
              + "acceptable while other threads use or close the model)",
          e);
    }
  }
}
