package ai.holysheep.k8s.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the typed fields of one JSON object at {@code path}. A bad field records one message and
 * yields its default, so reading goes on and every mistake is reported together.
 */
final class ObjectReader {
  private final JsonNode node;
  private final String path;
  private final Problems problems;
  private final boolean present;

  private ObjectReader(JsonNode node, String path, Problems problems, boolean present) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    this.present = present;
  }

  /** A reader of {@code node}; absent, null or not an object (recorded) reads as empty. */
  static ObjectReader of(JsonNode node, String path, Problems problems, List<String> allowed) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return new ObjectReader(JsonNodeFactory.instance.objectNode(), path, problems, false);
    }
    if (!node.isObject()) {
      problems.add(
          path,
          Problems.quote(node)
              + " is not an object; allowed fields: "
              + String.join(", ", allowed));
      return new ObjectReader(JsonNodeFactory.instance.objectNode(), path, problems, false);
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        problems.add(child(path, name), "unknown field; allowed: " + String.join(", ", allowed));
      }
    }
    return new ObjectReader(node, path, problems, true);
  }

  static String child(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  Problems problems() {
    return problems;
  }

  /** Whether the object was given (not absent, not null, and an object). */
  boolean present() {
    return present;
  }

  String path(String field) {
    return child(path, field);
  }

  /** The field's value, or null when absent or JSON null (both mean "use the default"). */
  JsonNode value(String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  void bad(String field, String message) {
    problems.add(path(field), message);
  }

  String string(String field, String defaultValue) {
    JsonNode value = value(field);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isTextual()) {
      bad(field, Problems.quote(value) + " is not a string");
      return defaultValue;
    }
    return value.textValue();
  }

  boolean bool(String field, boolean defaultValue) {
    JsonNode value = value(field);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isBoolean()) {
      bad(field, Problems.quote(value) + " is not a boolean; allowed: true, false");
      return defaultValue;
    }
    return value.booleanValue();
  }

  int integer(String field, int defaultValue, int min, int max) {
    JsonNode value = value(field);
    if (value == null) {
      return defaultValue;
    }
    String allowed = "; allowed: whole numbers from " + min + " to " + max;
    if (!value.isIntegralNumber()) {
      bad(field, Problems.quote(value) + " is not a whole number" + allowed);
      return defaultValue;
    }
    if (!value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
      bad(field, value + " is out of range" + allowed);
      return defaultValue;
    }
    return value.intValue();
  }

  /** A duration in {@code (0, max]}. */
  Duration duration(String field, Duration defaultValue, Duration max) {
    JsonNode value = value(field);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isTextual()) {
      bad(field, Problems.quote(value) + " is not a duration; " + Durations.ALLOWED);
      return defaultValue;
    }
    try {
      Duration parsed = Durations.parse(path(field), value.textValue());
      if (parsed.isZero() || parsed.compareTo(max) > 0) {
        bad(
            field,
            Problems.quote(value) + " is out of range; allowed: 1ms to " + Durations.format(max));
        return defaultValue;
      }
      return parsed;
    } catch (ConfigException e) {
      problems.addRaw(path(field), e.errors().get(0));
      return defaultValue;
    }
  }

  /** A size in bytes in {@code [min, max]}: a string with a unit or a whole number of bytes. */
  long size(String field, long defaultValue, long min, long max) {
    JsonNode value = value(field);
    if (value == null) {
      return defaultValue;
    }
    long bytes;
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      bytes = value.longValue();
    } else if (value.isTextual()) {
      try {
        bytes = Sizes.parse(path(field), value.textValue());
      } catch (ConfigException e) {
        problems.addRaw(path(field), e.errors().get(0));
        return defaultValue;
      }
    } else {
      bad(field, Problems.quote(value) + " is not a size; " + Sizes.ALLOWED);
      return defaultValue;
    }
    if (bytes < min || bytes > max) {
      bad(
          field,
          Problems.quote(value)
              + " is out of range; allowed: "
              + Sizes.format(min)
              + " to "
              + Sizes.format(max));
      return defaultValue;
    }
    return bytes;
  }
}
