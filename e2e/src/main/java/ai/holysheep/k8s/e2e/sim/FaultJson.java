package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The JSON form of a {@link Fault} used by {@code POST /_sim/fault}: one table of fields, each with
 * its type, its reader into the builder and its accessor on the fault.
 */
final class FaultJson {
  private enum Type {
    INT,
    LONG_SIZE,
    BOOL,
    TEXT,
    DURATION
  }

  private record Field(
      String name, Type type, BiConsumer<FaultBuilder, Object> set, Function<Fault, Object> get) {}

  private static final List<Field> FIELDS =
      List.of(
          new Field("status", Type.INT, (b, v) -> b.status((Integer) v), Fault::status),
          new Field("retryAfter", Type.TEXT, (b, v) -> b.retryAfter((String) v), Fault::retryAfter),
          new Field(
              "headerDelay",
              Type.DURATION,
              (b, v) -> b.headerDelay((Duration) v),
              Fault::headerDelay),
          new Field(
              "eventDelay", Type.DURATION, (b, v) -> b.eventDelay((Duration) v), Fault::eventDelay),
          new Field(
              "errorInStream",
              Type.BOOL,
              (b, v) -> b.errorInStream((Boolean) v),
              Fault::errorInStream),
          new Field(
              "resetBeforeHeaders",
              Type.BOOL,
              (b, v) -> b.resetBeforeHeaders((Boolean) v),
              Fault::resetBeforeHeaders),
          new Field(
              "resetAfterEvents",
              Type.INT,
              (b, v) -> b.resetAfterEvents((Integer) v),
              Fault::resetAfterEvents),
          new Field(
              "stallAfterEvents",
              Type.INT,
              (b, v) -> b.stallAfterEvents((Integer) v),
              Fault::stallAfterEvents),
          new Field("hang", Type.BOOL, (b, v) -> b.hang((Boolean) v), Fault::hang),
          new Field("times", Type.INT, (b, v) -> b.times((Integer) v), Fault::times),
          new Field("path", Type.TEXT, (b, v) -> b.path((String) v), Fault::path),
          new Field("html", Type.BOOL, (b, v) -> b.html((Boolean) v), Fault::html),
          new Field(
              "errorObject", Type.TEXT, (b, v) -> b.errorObject((String) v), Fault::errorObject),
          new Field("errorCode", Type.TEXT, (b, v) -> b.errorCode((String) v), Fault::errorCode),
          new Field(
              "errorKeyLast",
              Type.BOOL,
              (b, v) -> b.errorKeyLast((Boolean) v),
              Fault::errorKeyLast),
          new Field(
              "commentEvery",
              Type.DURATION,
              (b, v) -> b.commentEvery((Duration) v),
              Fault::commentEvery),
          new Field(
              "firstEventDelay",
              Type.DURATION,
              (b, v) -> b.firstEventDelay((Duration) v),
              Fault::firstEventDelay),
          new Field("noDone", Type.BOOL, (b, v) -> b.noDone((Boolean) v), Fault::noDone),
          new Field(
              "answerSize", Type.LONG_SIZE, (b, v) -> b.answerSize((Long) v), Fault::answerSize),
          new Field("drip", Type.DURATION, (b, v) -> b.drip((Duration) v), Fault::drip),
          new Field("notSse", Type.BOOL, (b, v) -> b.notSse((Boolean) v), Fault::notSse),
          new Field(
              "repeatUsage", Type.BOOL, (b, v) -> b.repeatUsage((Boolean) v), Fault::repeatUsage),
          new Field(
              "eventSize", Type.LONG_SIZE, (b, v) -> b.eventSize((Long) v), Fault::eventSize));

  private FaultJson() {}

  static JsonObject toJson(Fault fault) {
    JsonObject json = new JsonObject();
    for (Field field : FIELDS) {
      Object value = field.get().apply(fault);
      if (value == null || Boolean.FALSE.equals(value)) {
        continue;
      }
      json.put(field.name(), value instanceof Duration d ? SimDurations.format(d) : value);
    }
    return json;
  }

  static Fault fromJson(JsonObject json) {
    for (String name : json.fieldNames()) {
      if (FIELDS.stream().noneMatch(f -> f.name().equals(name))) {
        TreeSet<String> allowed = new TreeSet<>();
        FIELDS.forEach(f -> allowed.add(f.name()));
        throw new IllegalArgumentException(
            name + ": unknown field; allowed: " + String.join(", ", allowed));
      }
    }
    FaultBuilder builder = Fault.builder();
    for (Field field : FIELDS) {
      Object raw = json.getValue(field.name());
      if (raw != null) {
        field.set().accept(builder, read(field, raw));
      }
    }
    return builder.build();
  }

  private static Object read(Field field, Object value) {
    String name = field.name();
    return switch (field.type()) {
      case INT -> {
        if (value instanceof Number number && number.doubleValue() == number.intValue()) {
          yield number.intValue();
        }
        throw new IllegalArgumentException(name + ": " + value + " is not a whole number");
      }
      case LONG_SIZE -> SimSizes.parse(name, value);
      case BOOL -> {
        if (value instanceof Boolean bool) {
          yield bool;
        }
        throw new IllegalArgumentException(name + ": " + value + " is not true or false");
      }
      case TEXT -> {
        if (value instanceof String || value instanceof Number) {
          yield value.toString();
        }
        throw new IllegalArgumentException(name + ": " + value + " is not a string");
      }
      case DURATION ->
          value instanceof Number number
              ? Duration.ofMillis(number.longValue())
              : SimDurations.parse(name, value.toString());
    };
  }
}
