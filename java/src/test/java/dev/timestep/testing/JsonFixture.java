package dev.timestep.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON fixtures peers wrote (PyTorch's outputs, Keras layouts) as plain maps, lists,
 * doubles and strings.
 */
public final class JsonFixture {
  private JsonFixture() {}

  /** The JSON object of class-path resource {@code path}. */
  public static Map<String, Object> resource(String path) throws IOException {
    try (InputStream in = JsonFixture.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("no test resource " + path);
      }
      try (JsonParser p = new JsonFactory().createParser(in)) {
        return map(read(p, p.nextToken()));
      }
    }
  }

  /** {"shape": [...], valuesKey: [...]} as an array (values rounded to float32). */
  public static NDArray array(Object json, String valuesKey) {
    Map<String, Object> m = map(json);
    List<Object> dims = list(m.get("shape"));
    int[] shape = new int[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = ((Number) dims.get(i)).intValue();
    }
    List<Object> values = list(m.get(valuesKey));
    float[] data = new float[values.size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = ((Number) values.get(i)).floatValue();
    }
    return new NDArray(Shape.of(shape), data);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  public static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  private static Object read(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          out.put(key, read(p, p.nextToken()));
        }
        return out;
      }
      case START_ARRAY -> {
        List<Object> out = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          out.add(read(p, e));
        }
        return out;
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      default -> {
        return p.getText();
      }
    }
  }
}
