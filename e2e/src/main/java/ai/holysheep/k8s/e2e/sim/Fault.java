package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * A misbehaviour applied to matching requests. Null / false fields are inactive; several may be
 * combined (e.g. {@code headerDelay} then {@code status}). Build with {@link #builder()} or a
 * shortcut such as {@link #ofStatus(int)}. The JSON form ({@code POST /_sim/fault}) uses the same
 * names; e2e/README.md lists them.
 *
 * <p>Order of application: {@code resetBeforeHeaders}, {@code hang}, {@code headerDelay}, then
 * {@code html} (a {@code text/html} page with {@code status}, default 200), {@code status} (an
 * OpenAI-style error body), {@code errorObject} (a 200 error object: the JSON answer, or the first
 * SSE event of a stream); then the normal answer shaped by the answer and stream fields.
 *
 * @param status answer this status with an OpenAI-style error body (or the HTML page)
 * @param retryAfter {@code Retry-After} header value sent with {@code status}
 * @param headerDelay wait before sending the response headers
 * @param eventDelay wait before each stream event (overrides the simulator's option)
 * @param errorInStream a 200 stream whose first data event is a server error object, then the end
 * @param resetBeforeHeaders reset the connection instead of answering
 * @param resetAfterEvents reset the connection after this many stream data events
 * @param stallAfterEvents stop sending, connection left open, after this many stream data events
 * @param hang read the request and never answer
 * @param times number of matching requests this applies to; {@link #EVERY_REQUEST} = unlimited
 * @param path only requests whose path starts with this prefix; null = every path
 * @param html answer an HTML page (as a CDN or a login wall does), {@code text/html}
 * @param errorObject a 200 error object in this shape: {@code error} ({@code {"error":{…}}}),
 *     {@code type} ({@code {"type":"error","error":{…}}}) or {@code object} ({@code
 *     {"object":"error","message":…}})
 * @param errorCode the error's code: {@code server_error} (default), {@code
 *     context_length_exceeded}, {@code content_filter}, {@code invalid_request_error}
 * @param errorKeyLast write the key that makes it an error object last, not first
 * @param commentEvery send {@code : keep-alive} comments this often while no event is due
 * @param firstEventDelay wait this long before the first stream event only
 * @param noDone end a stream cleanly without {@code data: [DONE]}
 * @param answerSize a chat completion of about this many bytes, chunked, no Content-Length
 * @param drip send answer bodies and events in {@link #DRIP_BYTES}-byte pieces this far apart
 * @param notSse answer a stream request with the plain JSON completion
 * @param repeatUsage put the cumulative usage on every stream chunk (some providers do)
 * @param eventSize make every content event about this many bytes
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
    String path,
    boolean html,
    String errorObject,
    String errorCode,
    boolean errorKeyLast,
    Duration commentEvery,
    Duration firstEventDelay,
    boolean noDone,
    Long answerSize,
    Duration drip,
    boolean notSse,
    boolean repeatUsage,
    Long eventSize) {

  public static final int EVERY_REQUEST = -1;

  /** Piece size of a dripped body. */
  public static final int DRIP_BYTES = 64;

  public static final List<String> ERROR_OBJECT_SHAPES = List.of("error", "type", "object");
  public static final List<String> ERROR_CODES =
      List.of("server_error", "context_length_exceeded", "content_filter", "invalid_request_error");

  /** No misbehaviour: what a request gets when no fault applies. */
  public static final Fault NONE = builder().build();

  public Fault {
    if (status != null && (status < 100 || status > 599)) {
      throw new IllegalArgumentException(
          "status: " + status + " is not an HTTP status; use 100-599");
    }
    requireNonNegative("headerDelay", headerDelay);
    requireNonNegative("eventDelay", eventDelay);
    requireNonNegative("firstEventDelay", firstEventDelay);
    requirePositive("commentEvery", commentEvery);
    requirePositive("drip", drip);
    requireNonNegative("resetAfterEvents", resetAfterEvents);
    requireNonNegative("stallAfterEvents", stallAfterEvents);
    requireNonNegative("answerSize", answerSize);
    requireNonNegative("eventSize", eventSize);
    requireOneOf("errorObject", errorObject, ERROR_OBJECT_SHAPES);
    requireOneOf("errorCode", errorCode, ERROR_CODES);
    if (times < EVERY_REQUEST || times == 0) {
      throw new IllegalArgumentException(
          "times: " + times + " is not allowed; use -1 (every request) or a positive count");
    }
    if (path != null && !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "path: \"" + path + "\" must start with '/', e.g. /v1/chat/completions");
    }
  }

  public static FaultBuilder builder() {
    return new FaultBuilder();
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

  /** An HTML page with this status (as CDNs, proxies and login walls answer). */
  public static Fault ofHtml(int status) {
    return builder().html(true).status(status).build();
  }

  /** A 200 error object in {@code shape} with {@code code} (see {@link #ERROR_CODES}). */
  public static Fault ofErrorObject(String shape, String code) {
    return builder().errorObject(shape).errorCode(code).build();
  }

  /** This fault limited to the next {@code count} matching requests. */
  public Fault withTimes(int count) {
    return toBuilder().times(count).build();
  }

  /** This fault limited to paths starting with {@code prefix}. */
  public Fault withPath(String prefix) {
    return toBuilder().path(prefix).build();
  }

  public FaultBuilder toBuilder() {
    return FaultBuilder.from(this);
  }

  boolean matches(String requestPath) {
    return path == null || requestPath.startsWith(path);
  }

  /** The error code to use, {@code server_error} unless set. */
  String effectiveErrorCode() {
    return errorCode == null ? "server_error" : errorCode;
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

  private static void requirePositive(String field, Duration value) {
    if (value != null && (value.isNegative() || value.isZero())) {
      throw new IllegalArgumentException(field + ": " + value + " must be positive, e.g. 1s");
    }
  }

  private static void requireNonNegative(String field, Number value) {
    if (value != null && value.longValue() < 0) {
      throw new IllegalArgumentException(field + ": " + value + " is negative; use 0 or more");
    }
  }

  private static void requireOneOf(String field, String value, List<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw new IllegalArgumentException(
          field + ": \"" + value + "\" is not allowed; use one of " + String.join(", ", allowed));
    }
  }
}
