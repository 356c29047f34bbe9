package dev.timestep.io;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, checked access to one JSON object of a model file's header. Every failure is an
 * IllegalArgumentException naming where in the header ({@code where}), the key, what was expected
 * and what was found.
 */
final class JsonFields {
  private final String where;
  private final Map<String, Object> map;

  JsonFields(String where, Map<String, Object> map) {
    this.where = where;
    this.map = map;
  }

  String where() {
    return where;
  }

  boolean has(String key) {
    return map.containsKey(key) && map.get(key) != null;
  }

  /**
   * Refuses keys other than {@code allowed}: a header this build does not fully understand is not
   * guessed at.
   */
  void allowOnly(Collection<String> allowed) {
    Set<String> unknown = new TreeSet<>(map.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          where + " has unknown keys " + unknown + "; expected only " + new TreeSet<>(allowed));
    }
  }

  Object raw(String key) {
    if (!map.containsKey(key)) {
      throw new IllegalArgumentException(where + " has no '" + key + "'");
    }
    return map.get(key);
  }

  String string(String key) {
    Object v = raw(key);
    if (!(v instanceof String s)) {
      throw wrongType(key, "a string", v);
    }
    return s;
  }

  /** The string, or null when the key is absent or null. */
  String optionalString(String key) {
    return has(key) ? string(key) : null;
  }

  boolean bool(String key) {
    Object v = raw(key);
    if (!(v instanceof Boolean b)) {
      throw wrongType(key, "true or false", v);
    }
    return b;
  }

  long longValue(String key) {
    Object v = raw(key);
    if (!(v instanceof Long l)) {
      throw wrongType(key, "an integer", v);
    }
    return l;
  }

  /** A long that must lie in [min, max]. */
  long longValue(String key, long min, long max) {
    long v = longValue(key);
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          where + ": '" + key + "' must be in [" + min + ", " + max + "], got " + v);
    }
    return v;
  }

  double doubleValue(String key) {
    return asDouble(key, raw(key));
  }

  JsonFields object(String key) {
    return asObject(where + "." + key, key, raw(key));
  }

  List<Object> list(String key) {
    Object v = raw(key);
    if (!(v instanceof List<?> l)) {
      throw wrongType(key, "an array", v);
    }
    return new ArrayList<>(l);
  }

  /** The array at {@code key} as objects, each named {@code where.key[i]} in errors. */
  List<JsonFields> objects(String key) {
    List<Object> items = list(key);
    List<JsonFields> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(asObject(where + "." + key + "[" + i + "]", key + "[" + i + "]", items.get(i)));
    }
    return out;
  }

  /** This object's own entries, in document order. */
  Map<String, Object> entries() {
    return map;
  }

  /** The entries of the object at {@code key}, in document order. */
  Map<String, Object> entries(String key) {
    Object v = raw(key);
    if (!(v instanceof Map<?, ?>)) {
      throw wrongType(key, "an object", v);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    return m;
  }

  /**
   * A JSON number as a double. Non-finite values are written as the strings "NaN", "Infinity" and
   * "-Infinity" (JSON has no literal for them), so those strings are accepted too.
   */
  double asDouble(String key, Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof String s) {
      switch (s) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw wrongType(key, "a number", v);
  }

  private JsonFields asObject(String path, String key, Object v) {
    if (!(v instanceof Map<?, ?>)) {
      throw wrongType(key, "an object", v);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    return new JsonFields(path, m);
  }

  private IllegalArgumentException wrongType(String key, String expected, Object got) {
    String shown =
        got == null ? "null" : got instanceof String s ? "\"" + s + "\"" : String.valueOf(got);
    if (shown.length() > 60) {
      shown = shown.substring(0, 57) + "...";
    }
    return new IllegalArgumentException(
        where + ": '" + key + "' must be " + expected + ", got " + shown);
  }
}
