package dev.timestep.io;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Free-form facts saved beside a model, such as the scaling fitted on the training data: text
 * entries (key → string) and number entries (key → double[]). Numbers round-trip exactly, NaN and
 * infinities included. Immutable; keys keep their insertion order.
 *
 * <pre>{@code
 * ModelMetadata meta = ModelMetadata.builder()
 *     .put("scaler.mean", 0.5, 1.25)
 *     .put("series", "co2 weekly")
 *     .build();
 * }</pre>
 */
public final class ModelMetadata {
  /** No entries. */
  public static final ModelMetadata EMPTY = new ModelMetadata(Map.of(), Map.of());

  private final Map<String, String> text;
  private final Map<String, double[]> numbers;

  private ModelMetadata(Map<String, String> text, Map<String, double[]> numbers) {
    this.text = text;
    this.numbers = numbers;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The text entry with this key, if any. */
  public Optional<String> text(String key) {
    return Optional.ofNullable(text.get(key));
  }

  /** A copy of the number entry with this key, if any. */
  public Optional<double[]> numbers(String key) {
    double[] v = numbers.get(key);
    return v == null ? Optional.empty() : Optional.of(v.clone());
  }

  /** Every text entry, in insertion order (unmodifiable). */
  public Map<String, String> textEntries() {
    return text;
  }

  /** A copy of every number entry, in insertion order. */
  public Map<String, double[]> numberEntries() {
    Map<String, double[]> copy = new LinkedHashMap<>();
    numbers.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  public boolean isEmpty() {
    return text.isEmpty() && numbers.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ModelMetadata other)
        || !text.equals(other.text)
        || !numbers.keySet().equals(other.numbers.keySet())) {
      return false;
    }
    // Arrays.equals compares doubles by bits, so NaN equals NaN and 0.0 differs from -0.0: exact.
    return numbers.entrySet().stream()
        .allMatch(e -> Arrays.equals(e.getValue(), other.numbers.get(e.getKey())));
  }

  @Override
  public int hashCode() {
    int h = text.hashCode();
    for (Map.Entry<String, double[]> e : numbers.entrySet()) {
      h = 31 * h + Objects.hash(e.getKey(), Arrays.hashCode(e.getValue()));
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ModelMetadata{text=").append(text).append(", numbers={");
    String sep = "";
    for (Map.Entry<String, double[]> e : numbers.entrySet()) {
      sb.append(sep).append(e.getKey()).append('=').append(Arrays.toString(e.getValue()));
      sep = ", ";
    }
    return sb.append("}}").toString();
  }

  /** Collects entries; a key put twice keeps the last value. */
  public static final class Builder {
    private final Map<String, String> text = new LinkedHashMap<>();
    private final Map<String, double[]> numbers = new LinkedHashMap<>();

    private Builder() {}

    public Builder put(String key, String value) {
      checkKey(key);
      if (value == null) {
        throw new IllegalArgumentException(
            "metadata: the value of text entry '" + key + "' must not be null");
      }
      text.put(key, value);
      return this;
    }

    public Builder put(String key, double... values) {
      checkKey(key);
      if (values == null) {
        throw new IllegalArgumentException(
            "metadata: the values of number entry '" + key + "' must not be null");
      }
      numbers.put(key, values.clone());
      return this;
    }

    /** Every entry of {@code other}, added to (and overriding) those put so far. */
    public Builder putAll(ModelMetadata other) {
      if (other == null) {
        throw new IllegalArgumentException("metadata: putAll needs metadata, got null");
      }
      text.putAll(other.text);
      other.numbers.forEach((k, v) -> numbers.put(k, v.clone()));
      return this;
    }

    public ModelMetadata build() {
      return new ModelMetadata(
          Collections.unmodifiableMap(new LinkedHashMap<>(text)),
          Collections.unmodifiableMap(new LinkedHashMap<>(numbers)));
    }

    private static void checkKey(String key) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(
            "metadata: a key must be a non-blank string, got "
                + (key == null ? "null" : "'" + key + "'"));
      }
    }
  }
}
