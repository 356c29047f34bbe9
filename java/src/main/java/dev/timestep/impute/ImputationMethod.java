package dev.timestep.impute;

/** How a trained model fills a gap. */
public enum ImputationMethod {
  /** The model's forecast from the window before the gap, as it is. */
  FORWARD("model forecast from before the gap"),
  /**
   * The forecast from before the gap, shifted by a linear ramp so that it meets the first value
   * after the gap: the model gives the shape, the observation after the gap the level. A gap at the
   * end of the series has nothing to meet and stays a plain forecast.
   */
  BRIDGED("model forecast bridged to the next value");

  private final String description;

  ImputationMethod(String description) {
    this.description = description;
  }

  /** A few words for tables. */
  public String description() {
    return description;
  }
}
