package dev.timestep.data.series;

import java.util.List;

/**
 * Text from a file or a user, as quoted in an error message: at most {@value #MAX_CHARS} characters
 * (a 5 MB cell would otherwise become a 5 MB message) and control characters shown as '?', so the
 * message stays one readable line.
 */
public final class Quoted {
  public static final int MAX_CHARS = 80;

  /** Names listed in one message, e.g. a header's columns. */
  static final int MAX_ITEMS = 20;

  private Quoted() {}

  /** {@code text} cut to {@value #MAX_CHARS} characters, saying how many more there were. */
  public static String of(String text) {
    if (text == null) {
      return "null";
    }
    String cut =
        text.length() <= MAX_CHARS
            ? text
            : text.substring(0, MAX_CHARS)
                + "... ("
                + (text.length() - MAX_CHARS)
                + " more characters)";
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  /** A list as [a, b, ...], each item quoted, at most {@value #MAX_ITEMS} of them. */
  public static String list(List<String> items) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < Math.min(items.size(), MAX_ITEMS); i++) {
      sb.append(i == 0 ? "" : ", ").append(of(items.get(i)));
    }
    if (items.size() > MAX_ITEMS) {
      sb.append(", ... (").append(items.size()).append(" in all)");
    }
    return sb.append(']').toString();
  }
}
