package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.TreeSet;

/** The JSON form of a {@link Fault} used by {@code POST /_sim/fault}. */
final class FaultJson {
  private FaultJson() {}

  static JsonObject toJson(Fault fault) {
    JsonObject json = new JsonObject();
    putIfSet(json, "status", fault.status());
    putIfSet(json, "retryAfter", fault.retryAfter());
    if (fault.headerDelay() != null) {
      json.put("headerDelay", SimDurations.format(fault.headerDelay()));
    }
    if (fault.eventDelay() != null) {
      json.put("eventDelay", SimDurations.format(fault.eventDelay()));
    }
    putIfTrue(json, "errorInStream", fault.errorInStream());
    putIfTrue(json, "resetBeforeHeaders", fault.resetBeforeHeaders());
    putIfSet(json, "resetAfterEvents", fault.resetAfterEvents());
    putIfSet(json, "stallAfterEvents", fault.stallAfterEvents());
    putIfTrue(json, "hang", fault.hang());
    json.put("times", fault.times());
    putIfSet(json, "path", fault.path());
    return json;
  }

  static Fault fromJson(JsonObject json) {
    for (String field : json.fieldNames()) {
      if (!Fault.FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            field + ": unknown field; allowed: " + String.join(", ", new TreeSet<>(Fault.FIELDS)));
      }
    }
    Fault.Builder builder =
        Fault.builder()
            .status(integer(json, "status"))
            .retryAfter(text(json, "retryAfter"))
            .headerDelay(duration(json, "headerDelay"))
            .eventDelay(duration(json, "eventDelay"))
            .errorInStream(flag(json, "errorInStream"))
            .resetBeforeHeaders(flag(json, "resetBeforeHeaders"))
            .resetAfterEvents(integer(json, "resetAfterEvents"))
            .stallAfterEvents(integer(json, "stallAfterEvents"))
            .hang(flag(json, "hang"))
            .path(text(json, "path"));
    Integer times = integer(json, "times");
    if (times != null) {
      builder.times(times);
    }
    return builder.build();
  }

  private static Integer integer(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Number number && number.doubleValue() == number.intValue()) {
      return number.intValue();
    }
    throw new IllegalArgumentException(field + ": " + value + " is not a whole number");
  }

  private static boolean flag(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean bool) {
      return bool;
    }
    throw new IllegalArgumentException(field + ": " + value + " is not true or false");
  }

  private static String text(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof String string) {
      return string;
    }
    if (value instanceof Number number) {
      return number.toString();
    }
    throw new IllegalArgumentException(field + ": " + value + " is not a string");
  }

  private static Duration duration(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Number number) {
      return Duration.ofMillis(number.longValue());
    }
    return SimDurations.parse(field, value.toString());
  }

  private static void putIfSet(JsonObject json, String field, Object value) {
    if (value != null) {
      json.put(field, value);
    }
  }

  private static void putIfTrue(JsonObject json, String field, boolean value) {
    if (value) {
      json.put(field, true);
    }
  }
}
