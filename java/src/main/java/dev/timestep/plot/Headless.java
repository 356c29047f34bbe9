package dev.timestep.plot;

import java.awt.AWTError;
import java.awt.HeadlessException;

/** Plots render into images only; this keeps AWT from looking for a display. */
final class Headless {
  static final String PROPERTY = "java.awt.headless";

  private Headless() {}

  /**
   * Sets {@code java.awt.headless=true} unless the caller chose a value. It must run before AWT
   * first asks whether it is headless, which is why {@link PngPlot} calls it when loaded.
   */
  static void ensure() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "true");
    }
  }

  /** Turns AWT's display errors into one that says what to do. */
  static IllegalStateException noDisplay(Throwable cause) {
    return new IllegalStateException(
        "plotting needs no display, but AWT looked for one ("
            + cause.getClass().getSimpleName()
            + ": "
            + cause.getMessage()
            + "); run Java with -D"
            + PROPERTY
            + "=true (it is now "
            + System.getProperty(PROPERTY)
            + ")",
        cause);
  }

  static boolean isDisplayError(Throwable t) {
    return t instanceof HeadlessException || t instanceof AWTError;
  }
}
