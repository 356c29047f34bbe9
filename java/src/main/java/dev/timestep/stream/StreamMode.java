package dev.timestep.stream;

/** How a {@link StreamingForecaster} turns one new observation into a forecast. */
public enum StreamMode {
  /**
   * Each recurrent layer's state is carried from point to point: one step per layer per
   * observation, whatever the history's length. Exact against a batch prediction over the whole
   * history so far.
   */
  INCREMENTAL,
  /**
   * The last {@code window} observations are kept in a ring buffer and the whole model runs over
   * them for every point: for models whose output needs the whole window (Flatten, Conv1D, no
   * recurrent layer). Exact against a batch prediction over that window.
   */
  FULL_WINDOW
}
