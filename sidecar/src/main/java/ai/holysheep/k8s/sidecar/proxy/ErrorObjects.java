package ai.holysheep.k8s.sidecar.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Set;

/**
 * Error objects inside 2xx answers and SSE events, in the shapes providers use (any key order):
 * {@code {"error":{…}}} (OpenAI), {@code {"type":"error","error":{…}}} (Anthropic, and the
 * Responses API's {@code error} event without the inner object), {@code
 * {"object":"error","message":…}} (vLLM and other OpenAI-compatible servers). A deterministic one
 * (the request itself is wrong: invalid request, context length, content filter) is passed to the
 * app as a 4xx with the upstream's message; any other fails over.
 */
final class ErrorObjects {
  /** Error objects are small; a bigger body is not parsed to find its message. */
  static final int MAX_PARSED_BYTES = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> DETERMINISTIC_TYPES =
      Set.of("invalid_request_error", "BadRequestError");
  private static final Set<String> DETERMINISTIC_CODES =
      Set.of(
          "context_length_exceeded",
          "content_filter",
          "content_policy_violation",
          "invalid_prompt",
          "string_above_max_length");

  private ErrorObjects() {}

  /**
   * The app-facing form of a deterministic error object: {@code {"error":{message,type,param,
   * code}}} with the upstream's values, or null when the error is not deterministic (or cannot be
   * read).
   */
  static Deterministic deterministic(Buffer json, int from, int to) {
    JsonNode error = errorNode(json, from, to);
    if (error == null) {
      return null;
    }
    String type = text(error, "type");
    String code = text(error, "code");
    int numeric = error.path("code").isInt() ? error.path("code").asInt() : 0;
    boolean deterministic =
        DETERMINISTIC_TYPES.contains(type)
            || DETERMINISTIC_CODES.contains(code)
            || numeric >= 400 && numeric < 500 && numeric != 408 && numeric != 429;
    if (!deterministic) {
      return null;
    }
    int status =
        numeric >= 400 && numeric < 500 && numeric != 408 && numeric != 429 ? numeric : 400;
    ObjectNode out = JSON.createObjectNode();
    ObjectNode inner = out.putObject("error");
    inner.put("message", text(error, "message"));
    inner.put("type", type == null ? "invalid_request_error" : type);
    inner.set("param", error.get("param"));
    if (code != null) {
      inner.put("code", code);
    } else {
      inner.putNull("code");
    }
    return new Deterministic(status, Buffer.buffer(out.toString()));
  }

  /** The upstream's error message of an error body, or null. */
  static String message(Buffer json) {
    if (json == null) {
      return null;
    }
    JsonNode error = errorNode(json, 0, json.length());
    return error == null ? null : text(error, "message");
  }

  private static JsonNode errorNode(Buffer json, int from, int to) {
    if (to - from > MAX_PARSED_BYTES || to <= from) {
      return null;
    }
    JsonNode root;
    try {
      root = JSON.readTree(json.getBytes(from, to));
    } catch (IOException e) {
      return null;
    }
    if (root == null || !root.isObject()) {
      return null;
    }
    JsonNode inner = root.get("error");
    if (inner != null && inner.isObject()) {
      return inner;
    }
    if (inner != null && inner.isTextual()) {
      return JSON.createObjectNode().put("message", inner.asText());
    }
    return root;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
  }

  /** A deterministic error as the app receives it. */
  record Deterministic(int status, Buffer body) {}
}
