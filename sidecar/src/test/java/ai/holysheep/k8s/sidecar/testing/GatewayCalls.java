package ai.holysheep.k8s.sidecar.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/** A caller of a gateway over TLS: one chat completion POST, the whole answer read. */
public final class GatewayCalls {
  private GatewayCalls() {}

  /** What came back: status, headers and the body as text. */
  public record Answer(int status, MultiMap headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    /** The OpenAI-style {@code error} object of a refusal. */
    public JsonObject error() {
      return json().getJsonObject("error");
    }
  }

  /**
   * POST /v1/chat/completions to {@code localhost:port} (the name the gateway's test certificate is
   * for) with {@code authorization} when not null.
   */
  public static Future<Answer> chat(
      HttpClient client, int port, String authorization, String body) {
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost("localhost")
            .setPort(port)
            .setURI("/v1/chat/completions")
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (authorization != null) {
      request.putHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    return client
        .request(request)
        .compose(r -> r.send(body))
        .compose(
            response ->
                response
                    .body()
                    .map(b -> new Answer(response.statusCode(), response.headers(), b.toString())));
  }
}
