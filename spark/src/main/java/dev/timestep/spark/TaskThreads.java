package dev.timestep.spark;

import dev.timestep.backend.cpu.CpuBackend;

/**
 * The native CPU kernel threads of the tasks in this JVM: {@code spark.task.cpus} each, set once
 * per JVM by the first task that needs the kernels, so the tasks an executor runs at once (its
 * cores divided by {@code spark.task.cpus}) never run more kernel threads than it has cores. Left
 * at its default, each predict would use every core of the machine, and one task would already fill
 * an executor whose other task slots then only wait for it.
 */
final class TaskThreads {
  private static volatile boolean set;

  private TaskThreads() {}

  /** Sets the kernels to {@code threads} unless a task of this JVM already did. */
  static void setOnce(int threads) {
    if (!set) {
      synchronized (TaskThreads.class) {
        if (!set) {
          CpuBackend.setThreads(threads);
          set = true;
        }
      }
    }
  }

  /** {@code spark.task.cpus} of the job's configuration (1 when unset). */
  static int ofJob(org.apache.spark.sql.SparkSession spark) {
    return spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
  }
}
