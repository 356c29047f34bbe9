/**
 * Timestep on Apache Spark: batch scoring of a saved model as a Spark ML {@code Transformer}
 * ({@link dev.timestep.spark.TimestepForecaster}) and one model per series as an {@code Estimator}
 * over long-format rows ({@link dev.timestep.spark.TimestepPerSeries}). Each executor JVM loads a
 * broadcast model once and keeps it for every task ({@link dev.timestep.spark.ExecutorModels}). May
 * import every package of the core library and Spark; the core never imports this one.
 */
package dev.timestep.spark;
