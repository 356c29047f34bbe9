package dev.timestep.forecast;

/** What a forecast feeds the model once predictions have been appended to the input. */
public enum InputWindow {
  /**
   * The whole input so far, growing by the appended steps (a recurrent model takes any length; it
   * keeps every observed value in view).
   */
  GROW,
  /**
   * The last {@code steps} values only, the original window length (the book's {@code X[:,
   * step_ahead:]}); needed by models built for one length, such as Flatten → Dense.
   */
  SLIDE
}
