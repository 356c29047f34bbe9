/**
 * The runnable benchmark of {@code timestep-spark-bench.jar}: scoring throughput through {@code
 * TimestepForecaster} against the same model in one process, and per-series training throughput.
 * May import {@code dev.timestep.spark}, the core library and Spark.
 */
package dev.timestep.spark.bench;
