package dev.timestep.cli;

/**
 * Why a command wrote its results but no PNG charts: the charts need the java.desktop module
 * (java.awt), which a trimmed runtime (the GPU check's jlink image) leaves out. The numbers a
 * command computed are never lost for want of a picture.
 */
final class ChartsUnavailable {
  private ChartsUnavailable() {}

  /** One line for the user, naming what was missing. */
  static String because(LinkageError e) {
    return "no charts: this Java runtime cannot draw them ("
        + e
        + "; they need the java.desktop module)";
  }
}
