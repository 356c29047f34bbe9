package dev.timestep.spark;

/**
 * Every task's message, in task order, once every task of a synchronous stage has sent its own:
 * Spark's {@code BarrierTaskContext.allGather}, or one task alone.
 */
@FunctionalInterface
interface ParameterExchange {
  String[] allGather(String message);
}
