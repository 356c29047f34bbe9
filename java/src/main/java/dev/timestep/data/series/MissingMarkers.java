package dev.timestep.data.series;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which cell texts mean "no value". Always missing: an empty cell, {@code NA}, {@code N/A},
 * {@code NaN} and {@code null} (any case). Numeric sentinels such as {@code -99.99} count only when
 * the caller names them, because in another file the same number can be a real measurement; they
 * match by value, so {@code -99.990} matches {@code -99.99}.
 */
public final class MissingMarkers {
  private static final Set<String> ALWAYS = Set.of("", "na", "n/a", "nan", "null");

  /** Plain decimal numbers: what a value cell may hold (no hex, no 'f'/'d' suffix, no Infinity). */
  static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private final Set<String> words;
  private final List<Double> numbers;

  private MissingMarkers(Set<String> words, List<Double> numbers) {
    this.words = words;
    this.numbers = numbers;
  }

  /** Only the markers that are always missing. */
  public static MissingMarkers standard() {
    return new MissingMarkers(ALWAYS, List.of());
  }

  /**
   * The standard markers plus {@code extra}: numbers (such as {@code "-99.99"} or {@code "-1"})
   * match by value, other texts match ignoring case.
   */
  public MissingMarkers with(String... extra) {
    if (extra == null) {
      throw new IllegalArgumentException("missing markers: expected texts, got null");
    }
    Set<String> w = new LinkedHashSet<>(words);
    List<Double> n = new ArrayList<>(numbers);
    for (String marker : extra) {
      if (marker == null) {
        throw new IllegalArgumentException(
            "missing markers: a marker is null; use \"\" for empty cells");
      }
      String m = marker.trim();
      if (NUMBER.matcher(m).matches()) {
        n.add(Double.parseDouble(m));
      } else {
        w.add(m.toLowerCase(Locale.ROOT));
      }
    }
    return new MissingMarkers(Collections.unmodifiableSet(w), List.copyOf(n));
  }

  /** Whether the (trimmed) cell text marks a missing value. */
  public boolean isMissing(String cell) {
    String c = cell.trim();
    if (words.contains(c.toLowerCase(Locale.ROOT))) {
      return true;
    }
    if (!numbers.isEmpty() && NUMBER.matcher(c).matches()) {
      double v = Double.parseDouble(c);
      for (double marker : numbers) {
        if (marker == v) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    List<String> all = new ArrayList<>();
    for (String w : words) {
      all.add(w.isEmpty() ? "(empty)" : w);
    }
    for (Double d : numbers) {
      all.add(d.toString());
    }
    return all.toString();
  }
}
