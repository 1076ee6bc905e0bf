package ai.holysheep.k8s.e2e.sim;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One request the simulator received, complete with its body.
 *
 * @param method HTTP method, e.g. "POST"
 * @param path request path without the query, e.g. "/v1/chat/completions"
 * @param uri path with the query string
 * @param headers a copy of the request headers (case-insensitive lookups)
 * @param bodySize bytes received
 * @param bodySha256 lowercase hex SHA-256 of every byte received
 * @param body the body when smaller than {@link #MAX_KEPT_BODY_BYTES}, else null
 * @param receivedAt when the last byte arrived
 */
public record RecordedRequest(
    String method,
    String path,
    String uri,
    MultiMap headers,
    long bodySize,
    String bodySha256,
    Buffer body,
    Instant receivedAt) {

  /** Bodies of this size or more are counted and hashed but not kept (64 KiB). */
  public static final int MAX_KEPT_BODY_BYTES = 64 * 1024;

  /** First value of a header, or null. */
  public String header(String name) {
    return headers.get(name);
  }

  /** The body as UTF-8, or null when it was too large to keep. */
  public String bodyAsString() {
    return body == null ? null : body.toString(StandardCharsets.UTF_8);
  }

  /** The body parsed as a JSON object, or null when not kept. */
  public JsonObject bodyAsJson() {
    return body == null ? null : new JsonObject(body);
  }

  JsonObject toJson() {
    JsonObject headerJson = new JsonObject();
    for (String name : headers.names()) {
      headerJson.put(name.toLowerCase(java.util.Locale.ROOT), new JsonArray(headers.getAll(name)));
    }
    return new JsonObject()
        .put("method", method)
        .put("path", path)
        .put("uri", uri)
        .put("headers", headerJson)
        .put("bodySize", bodySize)
        .put("bodySha256", bodySha256)
        .put("body", bodyAsString())
        .put("receivedAt", receivedAt.toString());
  }
}
