package ai.holysheep.k8s.sidecar.proxy;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI-shaped error answers made by the sidecar itself. {@code x-should-retry: false} stops the
 * SDKs from multiplying the retries the sidecar already made. Messages are fixed texts plus
 * upstream names and Secret references: never keys, prompts or completions.
 */
public final class ErrorAnswers {
  public static final String UPSTREAM_HEADER = "x-holysheep-upstream";
  public static final String ATTEMPTS_HEADER = "x-holysheep-attempts";
  public static final String SHOULD_RETRY_HEADER = "x-should-retry";

  /** Value of {@link #SHOULD_RETRY_HEADER} that says every retry was already made. */
  public static final String SHOULD_NOT_RETRY = "false";

  private ErrorAnswers() {}

  public static void send(
      HttpServerResponse response,
      int status,
      String type,
      String code,
      String message,
      String upstream,
      int attempts,
      Long retryAfterSeconds) {
    send(response, status, type, code, message, upstream, attempts, retryAfterSeconds, false);
  }

  /**
   * As above; {@code shouldRetry} tells the SDK to retry itself, only when the sidecar could not (a
   * body too large to replay that never reached an upstream).
   */
  public static void send(
      HttpServerResponse response,
      int status,
      String type,
      String code,
      String message,
      String upstream,
      int attempts,
      Long retryAfterSeconds,
      boolean shouldRetry) {
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    JsonObject error =
        new JsonObject()
            .put("message", message)
            .put("type", type)
            .put("param", null)
            .put("code", code);
    response
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(SHOULD_RETRY_HEADER, Boolean.toString(shouldRetry))
        .putHeader(ATTEMPTS_HEADER, Integer.toString(attempts));
    if (upstream != null) {
      response.putHeader(UPSTREAM_HEADER, upstream);
    }
    if (retryAfterSeconds != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
    response.end(new JsonObject().put("error", error).encode());
  }
}
