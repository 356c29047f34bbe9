package dev.timestep.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs JMH benchmarks in forked JVMs through JMH's Java API and returns their medians.
 *
 * @param forks JVM forks per benchmark and parameter combination
 * @param warmups warm-up iterations
 * @param iterations measured iterations
 * @param iterationMillis length of each iteration
 */
record JmhSuite(int forks, int warmups, int iterations, int iterationMillis) {
  private static final String PACKAGE = "dev.timestep.benchmarks.";

  JmhSuite {
    if (forks < 1 || warmups < 0 || iterations < 1 || iterationMillis < 1) {
      throw new IllegalArgumentException(
          "JMH settings: forks >= 1, warm-ups >= 0, iterations >= 1 and iteration time "
              + ">= 1 ms expected, got "
              + forks
              + ", "
              + warmups
              + ", "
              + iterations
              + ", "
              + iterationMillis
              + " ms");
    }
  }

  /**
   * The full-length settings: 1 fork, 6 warm-up and 7 measured one-second iterations. Six warm-ups,
   * not three: on two cores the JIT compiler still ran for about four seconds into a training-step
   * benchmark, and its thread took a core from the kernel threads. Seven measured: on the two-vCPU
   * VM the second core runs slower for seconds at a time (a C++ loop of LSTM forward+backward on
   * two threads alternates between 294 and 387 µs), and the median of seven is not moved by two
   * slow iterations.
   */
  static JmhSuite standard() {
    return new JmhSuite(1, 6, 7, 1000);
  }

  /** A quick look: 1 warm-up and 1 measured iteration of 200 ms; not a measurement to publish. */
  static JmhSuite quick() {
    return new JmhSuite(1, 1, 1, 200);
  }

  /**
   * Runs every benchmark whose name matches {@code include} with {@code params} replacing those
   * parameters' defaults. A combination whose setup fails (a backend this machine lacks) is
   * skipped, as JMH does on the command line.
   */
  List<BenchResult> run(String include, Map<String, List<String>> params) throws RunnerException {
    TimeValue time = TimeValue.milliseconds(iterationMillis);
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(include)
            .forks(forks)
            .warmupIterations(warmups)
            .warmupTime(time)
            .measurementIterations(iterations)
            .measurementTime(time)
            .timeUnit(TimeUnit.MICROSECONDS)
            .shouldFailOnError(false);
    params.forEach((name, values) -> options.param(name, values.toArray(String[]::new)));
    return convert(new Runner(options.build()).run());
  }

  /** JMH's results as {@link BenchResult}s: the median of the measured iterations, in µs. */
  static List<BenchResult> convert(Collection<RunResult> runs) {
    List<BenchResult> out = new ArrayList<>();
    for (RunResult run : runs) {
      BenchmarkParams bp = run.getParams();
      Map<String, String> params = new LinkedHashMap<>();
      for (String key : bp.getParamsKeys()) {
        params.put(key, bp.getParam(key));
      }
      Result<?> primary = run.getPrimaryResult();
      String name =
          bp.getBenchmark().startsWith(PACKAGE)
              ? bp.getBenchmark().substring(PACKAGE.length())
              : bp.getBenchmark();
      double median = primary.getStatistics().getPercentile(50);
      out.add(new BenchResult(name, params, median, primary.getScoreError()));
    }
    return out;
  }
}
