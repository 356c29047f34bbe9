package dev.timestep.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON document with Jackson's streaming parser into plain Java values: objects as {@code
 * Map<String, Object>} (in document order), arrays as {@code List<Object>}, strings, booleans,
 * null, integers as {@code Long} and other numbers as {@code Double}. Duplicate keys are refused,
 * so a hand-edited header cannot say two things at once.
 */
final class JsonTree {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JsonTree() {}

  /** The top-level object of {@code json}, or an IllegalArgumentException saying what is wrong. */
  static Map<String, Object> parseObject(byte[] json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(
            "the header is not a JSON object (it starts with " + first + ")");
      }
      Map<String, Object> root = readObject(p);
      JsonToken after = p.nextToken();
      if (after != null) {
        throw new IllegalArgumentException(
            "the header has content after its JSON object (" + after + ")");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the header is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      // Parsing a byte array does no I/O; a failure here is malformed input.
      throw new IllegalArgumentException("the header cannot be read as JSON: " + e.getMessage(), e);
    }
  }

  private static Object readValue(JsonParser p, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> readObject(p);
      case START_ARRAY -> readArray(p);
      case VALUE_STRING -> p.getText();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      case VALUE_NUMBER_INT -> {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw new IllegalArgumentException(
              "the header has an integer too large for 64 bits: " + p.getText());
        }
        yield p.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      default ->
          throw new IllegalArgumentException("the header has an unexpected JSON token " + token);
    };
  }

  private static Map<String, Object> readObject(JsonParser p) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      map.put(key, readValue(p, p.nextToken()));
    }
    if (t != JsonToken.END_OBJECT) {
      throw new IllegalArgumentException("the header's JSON ends inside an object");
    }
    return map;
  }

  private static List<Object> readArray(JsonParser p) throws IOException {
    List<Object> list = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new IllegalArgumentException("the header's JSON ends inside an array");
      }
      list.add(readValue(p, t));
    }
    return list;
  }
}
