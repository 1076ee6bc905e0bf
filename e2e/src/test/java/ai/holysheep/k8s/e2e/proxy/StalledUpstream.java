package ai.holysheep.k8s.e2e.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An upstream that reads each request and holds it without an answer until {@link #resume()}, then
 * answers the held ones and every later one with a chat completion: a provider that stalls and
 * comes back, without a timer in the test.
 */
final class StalledUpstream {
  private final List<HttpServerRequest> held = new ArrayList<>();
  private HttpServer server;
  private boolean resumed;

  private StalledUpstream() {}

  static StalledUpstream start(Vertx vertx) {
    StalledUpstream upstream = new StalledUpstream();
    upstream.server =
        ProxyTestBed.await(
            vertx.createHttpServer().requestHandler(upstream::onRequest).listen(0, "127.0.0.1"));
    return upstream;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  private void onRequest(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              synchronized (held) {
                if (!resumed) {
                  held.add(request);
                  return;
                }
              }
              answer(request);
            });
  }

  /** Requests read and waiting for an answer. */
  int held() {
    synchronized (held) {
      return held.size();
    }
  }

  /** Answers the held requests and every later one. */
  void resume() {
    List<HttpServerRequest> waiting;
    synchronized (held) {
      resumed = true;
      waiting = List.copyOf(held);
      held.clear();
    }
    waiting.forEach(StalledUpstream::answer);
  }

  private static void answer(HttpServerRequest request) {
    JsonObject completion =
        new JsonObject()
            .put("id", "chatcmpl-stalled")
            .put("object", "chat.completion")
            .put("model", "gpt-4o-mini")
            .put(
                "choices",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("index", 0)
                            .put("finish_reason", "stop")
                            .put(
                                "message",
                                new JsonObject().put("role", "assistant").put("content", "hi"))))
            .put(
                "usage",
                new JsonObject()
                    .put("prompt_tokens", 3)
                    .put("completion_tokens", 1)
                    .put("total_tokens", 4));
    request.response().putHeader("content-type", "application/json").end(completion.encode());
  }

  void close() {
    ProxyTestBed.await(server.close());
  }
}
