package dev.timestep.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Metric;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The losses and metrics in a model file: each saves and loads with its parameters, parameterless
 * ones keep the bare-name form older files have, and bad loss entries are refused naming them.
 */
class ModelFileLossesTest {
  @TempDir Path dir;

  static Stream<Loss> losses() {
    return Stream.of(
        Loss.mse(),
        Loss.mae(),
        Loss.huber(),
        Loss.huber(0.1 + 0.2), // a double with no short float form: it must round-trip exactly
        Loss.logCosh(),
        Loss.quantile(0.1, 0.5, 0.9));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void eachLossAndMetricRoundTripsWithItsParameters(Loss loss) throws Exception {
    int k = loss.predictionsPerTarget();
    SplittableRandom random = new SplittableRandom(3);
    NDArray x = TestArrays.uniform(random, -1, 1, 12, 4);
    NDArray y = TestArrays.uniform(random, 0.5, 2, 12, 2);
    Path file = dir.resolve("m.tsm");
    Metric[] metrics = {Metric.mae(), Metric.rmse(), Metric.mape(), Metric.mse()};
    try (Sequential m = new Sequential(new Dense(2 * k)).backend(CpuBackend.get()).seed(1)) {
      m.compile(loss, new Adam(0.01), k == 1 ? metrics : new Metric[0]);
      m.fit(x, y, dev.timestep.nn.FitOptions.defaults().epochs(2).batchSize(5));
      Map<String, Double> before = m.evaluate(x, y, 5);
      ModelFile.save(m, file);
      try (SavedModel saved = ModelFile.load(file, CpuBackend.get())) {
        Sequential copy = saved.model();
        assertEquals(loss, copy.loss());
        assertEquals(
            m.metrics().stream().map(Metric::name).toList(),
            copy.metrics().stream().map(Metric::name).toList());
        for (int i = 0; i < copy.metrics().size(); i++) {
          assertSame(m.metrics().get(i), copy.metrics().get(i), "the built-in instance");
        }
        assertEquals(before, copy.evaluate(x, y, 5));
      }
    }
  }

  /** A loss without parameters is written as its bare name, as every file before them was. */
  @Test
  void parameterlessLossesKeepTheOlderBareNameForm() {
    assertEquals("\"mse\"", lossJson(Loss.mse()));
    assertEquals("\"mae\"", lossJson(Loss.mae()));
    assertEquals("\"log_cosh\"", lossJson(Loss.logCosh()));
    assertEquals("{\"name\":\"huber\",\"delta\":2.5}", lossJson(Loss.huber(2.5)));
    assertEquals(
        "{\"name\":\"quantile\",\"quantiles\":[0.1,0.9]}", lossJson(Loss.quantile(0.1, 0.9)));
  }

  /** The "loss" value of a header written for {@code loss}, without whitespace. */
  private static String lossJson(Loss loss) {
    String json =
        new String(HeaderJson.write(header(LossCodecs.describe(loss))), StandardCharsets.UTF_8)
            .replaceAll("\\s", "");
    int from = json.indexOf("\"loss\":") + "\"loss\":".length();
    return json.substring(from, json.indexOf(",\"metrics\"", from));
  }

  private static ModelHeader header(LossConfig loss) {
    return new ModelHeader(
        dev.timestep.tensor.Shape.of(4),
        0,
        List.of(new LayerConfig("Dense", Map.of("units", 1, "activation", "linear"), null)),
        loss,
        List.of("mse", "last_time_step_mse"),
        new ModelHeader.OptimizerConfig(
            "Adam",
            Map.of("learningRate", 0.001, "beta1", 0.9, "beta2", 0.999, "epsilon", 1e-7),
            0),
        ModelMetadata.EMPTY,
        List.of(),
        null);
  }

  /** What an older build wrote still reads back: the bare name, and its metrics. */
  @Test
  void anOlderHeaderStillReads() {
    String older =
        "{\"inputShape\": [4], \"seed\": 0, \"layers\": [{\"type\": \"Dense\", \"units\": 1,"
            + " \"activation\": \"linear\"}], \"loss\": \"mse\", \"metrics\": [\"mse\","
            + " \"last_time_step_mse\"], \"optimizer\": {\"type\": \"Adam\", \"learningRate\":"
            + " 0.001, \"beta1\": 0.9, \"beta2\": 0.999, \"epsilon\": 1e-7, \"iterations\": 0},"
            + " \"metadata\": {\"text\": {}, \"numbers\": {}}, \"tensors\": []}";
    ModelHeader h = HeaderJson.read(older.getBytes(StandardCharsets.UTF_8));
    assertEquals(Loss.mse(), LossCodecs.rebuild(h.loss()));
    assertEquals(List.of("mse", "last_time_step_mse"), h.metrics());
  }

  @Test
  void badLossEntriesAreRefusedNamingThem() {
    String[][] cases = {
      {"\"hinge\"", "unknown loss 'hinge'"},
      {"\"huber\"", "takes exactly the parameters [delta]"},
      {"{\"name\": \"mse\", \"delta\": 1.0}", "'mse' takes no parameters"},
      {"{\"name\": \"huber\", \"delta\": -1.0}", "delta must be positive"},
      {"{\"name\": \"huber\", \"delta\": \"big\"}", "'delta' must be a number"},
      {"{\"name\": \"quantile\", \"quantiles\": [0.9, 0.1]}", "strictly increasing"},
      {"{\"name\": \"quantile\", \"quantiles\": []}", "at least one quantile"},
      {"{\"name\": \"quantile\", \"quantiles\": 0.5}", "'quantiles' must be an array"},
      {"{\"delta\": 1.0}", "'name'"},
      {"42", "'loss' must be a loss name"},
    };
    for (String[] c : cases) {
      String json =
          new String(HeaderJson.write(header(LossConfig.named("mse"))), StandardCharsets.UTF_8)
              .replace("\"loss\" : \"mse\"", "\"loss\" : " + c[0]);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  LossCodecs.rebuild(HeaderJson.read(json.getBytes(StandardCharsets.UTF_8)).loss()),
              c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
    }
  }
}
