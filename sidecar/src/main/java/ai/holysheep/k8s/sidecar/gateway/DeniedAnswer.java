package ai.holysheep.k8s.sidecar.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Writes a rejection as the OpenAI SDKs expect an error: {@code {"error":{"message","type",
 * "param","code"}}} with the status of its {@link Rejection}, {@code x-should-retry} (so an SDK or
 * a sidecar in front does not retry a 401/403, and does retry a 503 that another replica may
 * answer), and for a 401 an RFC 6750 {@code WWW-Authenticate} challenge.
 */
final class DeniedAnswer {
  static final String REALM = "holysheep-gateway";

  /** Seconds an SDK should wait before retrying a 503 (the API server may be back). */
  static final int RETRY_AFTER_SECONDS = 1;

  private DeniedAnswer() {}

  static void send(HttpServerResponse response, Verdict.Denied denied) {
    if (response.ended() || response.closed()) {
      return;
    }
    Rejection reason = denied.reason();
    JsonObject error =
        new JsonObject()
            .put("message", denied.message())
            .put("type", reason.type)
            .putNull("param")
            .put("code", reason.code);
    response
        .setStatusCode(reason.status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader("x-should-retry", Boolean.toString(reason.retryable));
    if (reason.status == 401) {
      response.putHeader(
          "WWW-Authenticate",
          "Bearer realm=\"" + REALM + "\", error=\"" + reason.bearerError + "\"");
    }
    if (reason.retryable) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
    }
    response.end(new JsonObject().put("error", error).toBuffer());
  }
}
