package dev.timestep.benchmarks;

/**
 * One measured point of the shape sweep.
 *
 * @param point the shape
 * @param timestepUs Timestep's median µs per training step (one thread)
 * @param peerUs PyTorch's median µs per training step (one thread), NaN when the peer did not run
 * @param floorUs the floor: the step's FLOPs at the one-thread FMA peak, µs
 * @param fastestUs Timestep's time in its fastest round, µs
 * @param slowestUs Timestep's time in its slowest round, µs
 */
record SweepResult(
    ShapePoint point,
    double timestepUs,
    double peerUs,
    double floorUs,
    double fastestUs,
    double slowestUs) {
  /** One round's result: its time is its fastest and its slowest. */
  SweepResult(ShapePoint point, double timestepUs, double peerUs, double floorUs) {
    this(point, timestepUs, peerUs, floorUs, timestepUs, timestepUs);
  }

  /** PyTorch time / Timestep time: above 1, Timestep is faster. NaN without a peer. */
  double vsPeer() {
    return peerUs / timestepUs;
  }

  /** Timestep time / floor: 1 would be the hardware limit. */
  double xFloor() {
    return timestepUs / floorUs;
  }
}
