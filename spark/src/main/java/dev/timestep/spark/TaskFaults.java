package dev.timestep.spark;

import java.util.function.Consumer;
import org.apache.spark.TaskContext;

/**
 * Where the module's tests make a training task fail, to show that Spark's retry gives the same
 * results. Package-private and unset outside those tests: a task calls {@link #afterWork} when its
 * work is done and before it returns its rows, which does nothing while no hook is set.
 */
final class TaskFaults {
  private static volatile Consumer<TaskContext> afterWork;

  private TaskFaults() {}

  /** Sets (or, with null, clears) the hook; it runs in the JVM that runs the task. */
  static void setAfterWork(Consumer<TaskContext> hook) {
    afterWork = hook;
  }

  static void afterWork() {
    Consumer<TaskContext> hook = afterWork;
    if (hook != null) {
      hook.accept(TaskContext.get());
    }
  }
}
