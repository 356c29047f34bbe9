package dev.timestep.nn;

/**
 * A model held for read-only use across several calls (see {@link Sequential#lease}): until it is
 * closed, {@link Sequential#close} waits and training is refused. Close it exactly as a
 * try-with-resources block does; closing twice does nothing.
 */
public interface ModelLease extends AutoCloseable {
  @Override
  void close();
}
