package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;

/**
 * A misbehaviour applied to matching requests. Null / false fields are inactive; several may be
 * combined (e.g. {@code headerDelay} then {@code status}). Build with {@link #builder()} or a
 * shortcut such as {@link #ofStatus(int)}.
 *
 * <p>Order of application: {@code resetBeforeHeaders}, {@code hang}, {@code headerDelay}, {@code
 * status}; then the normal answer shaped by {@code errorInStream}, {@code eventDelay}, {@code
 * resetAfterEvents} and {@code stallAfterEvents} (on a JSON answer the last two cut or stall the
 * body after the headers).
 *
 * @param status answer this status with an OpenAI-style error body
 * @param retryAfter {@code Retry-After} header value sent with {@code status}
 * @param headerDelay wait before sending the response headers
 * @param eventDelay wait before each stream event (overrides the simulator's option)
 * @param errorInStream a 200 stream whose first data event is an error object, then the end
 * @param resetBeforeHeaders reset the connection instead of answering
 * @param resetAfterEvents reset the connection after this many stream data events
 * @param stallAfterEvents stop sending, connection left open, after this many stream data events
 * @param hang read the request and never answer
 * @param times number of matching requests this applies to; {@link #EVERY_REQUEST} = unlimited
 * @param path only requests whose path starts with this prefix; null = every path
 */
public record Fault(
    Integer status,
    String retryAfter,
    Duration headerDelay,
    Duration eventDelay,
    boolean errorInStream,
    boolean resetBeforeHeaders,
    Integer resetAfterEvents,
    Integer stallAfterEvents,
    boolean hang,
    int times,
    String path) {

  public static final int EVERY_REQUEST = -1;

  static final Set<String> FIELDS =
      Set.of(
          "status",
          "retryAfter",
          "headerDelay",
          "eventDelay",
          "errorInStream",
          "resetBeforeHeaders",
          "resetAfterEvents",
          "stallAfterEvents",
          "hang",
          "times",
          "path");

  public Fault {
    if (status != null && (status < 100 || status > 599)) {
      throw new IllegalArgumentException(
          "status: " + status + " is not an HTTP status; use 100-599");
    }
    requireNonNegative("headerDelay", headerDelay);
    requireNonNegative("eventDelay", eventDelay);
    requireNonNegative("resetAfterEvents", resetAfterEvents);
    requireNonNegative("stallAfterEvents", stallAfterEvents);
    if (times < EVERY_REQUEST || times == 0) {
      throw new IllegalArgumentException(
          "times: " + times + " is not allowed; use -1 (every request) or a positive count");
    }
    if (path != null && !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "path: \"" + path + "\" must start with '/', e.g. /v1/chat/completions");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public static Fault ofStatus(int status) {
    return builder().status(status).build();
  }

  public static Fault ofStatus(int status, String retryAfter) {
    return builder().status(status).retryAfter(retryAfter).build();
  }

  public static Fault ofHeaderDelay(Duration delay) {
    return builder().headerDelay(delay).build();
  }

  public static Fault ofEventDelay(Duration delay) {
    return builder().eventDelay(delay).build();
  }

  public static Fault ofErrorInStream() {
    return builder().errorInStream(true).build();
  }

  public static Fault ofResetBeforeHeaders() {
    return builder().resetBeforeHeaders(true).build();
  }

  public static Fault ofResetAfterEvents(int events) {
    return builder().resetAfterEvents(events).build();
  }

  public static Fault ofStallAfterEvents(int events) {
    return builder().stallAfterEvents(events).build();
  }

  public static Fault ofHang() {
    return builder().hang(true).build();
  }

  /** This fault limited to the next {@code count} matching requests. */
  public Fault withTimes(int count) {
    return toBuilder().times(count).build();
  }

  /** This fault limited to paths starting with {@code prefix}. */
  public Fault withPath(String prefix) {
    return toBuilder().path(prefix).build();
  }

  public Builder toBuilder() {
    return new Builder()
        .status(status)
        .retryAfter(retryAfter)
        .headerDelay(headerDelay)
        .eventDelay(eventDelay)
        .errorInStream(errorInStream)
        .resetBeforeHeaders(resetBeforeHeaders)
        .resetAfterEvents(resetAfterEvents)
        .stallAfterEvents(stallAfterEvents)
        .hang(hang)
        .times(times)
        .path(path);
  }

  boolean matches(String requestPath) {
    return path == null || requestPath.startsWith(path);
  }

  /** The admin-endpoint form: only active fields, durations as "250ms". */
  public JsonObject toJson() {
    return FaultJson.toJson(this);
  }

  /**
   * Parses the admin-endpoint form.
   *
   * @throws IllegalArgumentException naming the bad field, its value and what is allowed
   */
  public static Fault fromJson(JsonObject json) {
    return FaultJson.fromJson(json);
  }

  private static void requireNonNegative(String field, Duration value) {
    if (value != null && value.isNegative()) {
      throw new IllegalArgumentException(field + ": " + value + " is negative");
    }
  }

  private static void requireNonNegative(String field, Integer value) {
    if (value != null && value < 0) {
      throw new IllegalArgumentException(field + ": " + value + " is negative; use 0 or more");
    }
  }

  /** Fluent builder; every field starts inactive and {@code times} at every request. */
  public static final class Builder {
    private Integer status;
    private String retryAfter;
    private Duration headerDelay;
    private Duration eventDelay;
    private boolean errorInStream;
    private boolean resetBeforeHeaders;
    private Integer resetAfterEvents;
    private Integer stallAfterEvents;
    private boolean hang;
    private int times = EVERY_REQUEST;
    private String path;

    private Builder() {}

    public Builder status(Integer value) {
      status = value;
      return this;
    }

    public Builder retryAfter(String value) {
      retryAfter = value;
      return this;
    }

    public Builder headerDelay(Duration value) {
      headerDelay = value;
      return this;
    }

    public Builder eventDelay(Duration value) {
      eventDelay = value;
      return this;
    }

    public Builder errorInStream(boolean value) {
      errorInStream = value;
      return this;
    }

    public Builder resetBeforeHeaders(boolean value) {
      resetBeforeHeaders = value;
      return this;
    }

    public Builder resetAfterEvents(Integer value) {
      resetAfterEvents = value;
      return this;
    }

    public Builder stallAfterEvents(Integer value) {
      stallAfterEvents = value;
      return this;
    }

    public Builder hang(boolean value) {
      hang = value;
      return this;
    }

    public Builder times(int value) {
      times = value;
      return this;
    }

    public Builder path(String value) {
      path = value;
      return this;
    }

    public Fault build() {
      return new Fault(
          status,
          retryAfter,
          headerDelay,
          eventDelay,
          errorInStream,
          resetBeforeHeaders,
          resetAfterEvents,
          stallAfterEvents,
          hang,
          times,
          path);
    }
  }
}
