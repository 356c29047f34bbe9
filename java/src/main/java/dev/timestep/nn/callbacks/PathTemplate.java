package dev.timestep.nn.callbacks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file name with Python-style fields, as Keras' checkpoint paths take them: {@code {epoch}},
 * {@code {epoch:02d}}, {@code {val_loss:.4f}}; {@code {{} and {@code }}} stand for braces. A spec
 * is {@code [0][width][.precision][d|f|e|g]} (width and precision up to 3 digits); a field without
 * one prints an integer as it is and a value as {@link Double#toString}.
 */
final class PathTemplate {
  private static final Pattern FIELD =
      Pattern.compile(
          "([A-Za-z_][A-Za-z0-9_]*)(?::(0?)([0-9]{0,3})(?:\\.([0-9]{1,3}))?([dfeg]?))?");

  /** A literal text or one field. */
  private record Part(String text, String name, String format, char type) {}

  private final String template;
  private final List<Part> parts = new ArrayList<>();

  /**
   * Parses {@code template}.
   *
   * @throws IllegalArgumentException naming the template and the fault: an unclosed or stray brace,
   *     or a field that is not a name with an optional spec
   */
  PathTemplate(String template) {
    this.template = template;
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if ((c == '{' || c == '}') && i + 1 < template.length() && template.charAt(i + 1) == c) {
        text.append(c);
        i += 2;
      } else if (c == '}') {
        throw bad("a '}' without its '{' at character " + (i + 1) + " (write '}}' for a brace)");
      } else if (c == '{') {
        int close = template.indexOf('}', i);
        if (close < 0) {
          throw bad("a '{' that is never closed at character " + (i + 1));
        }
        String field = template.substring(i + 1, close);
        Matcher m = FIELD.matcher(field);
        if (!m.matches()) {
          throw bad("'{" + field + "}' is not a field such as {epoch:02d} or {val_loss:.4f}");
        }
        if (text.length() > 0) {
          parts.add(new Part(text.toString(), null, null, ' '));
          text.setLength(0);
        }
        parts.add(field(m));
        i = close + 1;
      } else {
        text.append(c);
        i++;
      }
    }
    if (text.length() > 0) {
      parts.add(new Part(text.toString(), null, null, ' '));
    }
  }

  private static Part field(Matcher m) {
    String name = m.group(1);
    String width = m.group(3) == null ? "" : m.group(3);
    String zero = m.group(2) == null || width.isEmpty() ? "" : m.group(2);
    String precision = m.group(4) == null ? "" : "." + m.group(4);
    String type = m.group(5) == null ? "" : m.group(5);
    if (type.isEmpty() && precision.isEmpty()) {
      // No spec, or a width only: Python pads the plain value.
      return new Part(null, name, zero + width, ' ');
    }
    char javaType = type.isEmpty() ? 'g' : type.charAt(0);
    return new Part(null, name, "%" + zero + width + precision + javaType, javaType);
  }

  /**
   * The name for 1-based {@code epoch} and the epoch's {@code logs}.
   *
   * @throws IllegalArgumentException for a field the epoch has no value for, or {@code d} on a
   *     value that is not a whole number
   */
  String format(int epoch, Map<String, Double> logs) {
    StringBuilder out = new StringBuilder();
    for (Part p : parts) {
      if (p.text() != null) {
        out.append(p.text());
        continue;
      }
      double value;
      if (p.name().equals("epoch")) {
        value = epoch;
      } else {
        Double v = logs.get(p.name());
        if (v == null) {
          throw bad(
              "{" + p.name() + "} names no value of the epoch; it has epoch and " + logs.keySet());
        }
        value = v;
      }
      boolean whole = value == Math.rint(value) && !Double.isInfinite(value);
      if (p.type() == ' ') {
        String plain = p.name().equals("epoch") ? String.valueOf(epoch) : String.valueOf(value);
        out.append(pad(plain, p.format()));
      } else if (p.type() == 'd') {
        if (!whole) {
          throw bad("{" + p.name() + ":d} needs a whole number, got " + value);
        }
        out.append(String.format(Locale.ROOT, p.format(), (long) value));
      } else {
        out.append(String.format(Locale.ROOT, p.format(), value));
      }
    }
    return out.toString();
  }

  /**
   * Pads {@code text} to the width of {@code spec} ("[0]width"), with zeros if it starts with 0.
   */
  private static String pad(String text, String spec) {
    if (spec.isEmpty()) {
      return text;
    }
    char fill = spec.startsWith("0") ? '0' : ' ';
    int width = Integer.parseInt(spec);
    return String.valueOf(fill).repeat(Math.max(0, width - text.length())) + text;
  }

  private IllegalArgumentException bad(String why) {
    return new IllegalArgumentException("ModelCheckpoint path template '" + template + "': " + why);
  }
}
