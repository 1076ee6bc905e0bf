package ai.holysheep.k8s.sidecar.stream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The event that ends a committed stream which failed: exactly {@code data: {"error":{…}}} and a
 * blank line, no {@code event:} line and no {@code [DONE]}, which the OpenAI SDKs raise as an
 * error. Messages are fixed texts: nothing from the upstream or the request is echoed.
 */
public final class StreamErrorEvent {
  public static final String CODE_INTERRUPTED = "upstream_stream_interrupted";
  public static final String CODE_IDLE = "upstream_stream_idle_timeout";
  public static final String CODE_DEADLINE = "upstream_response_timeout";
  public static final String CODE_INCOMPLETE = "upstream_stream_incomplete";
  public static final String CODE_TOO_LARGE = "upstream_event_too_large";

  private StreamErrorEvent() {}

  public static Buffer of(String message, String code) {
    JsonObject error =
        new JsonObject().put("message", message).put("type", "upstream_error").put("code", code);
    String json = new JsonObject().put("error", error).encode();
    return Buffer.buffer("data: " + json + "\n\n");
  }
}
