package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Control-plane calls (simulator {@code /_sim/*}, sidecar {@code /status}), on their own client so
 * that a pool full of load never delays them. Every call is bounded by {@link #CALL_TIMEOUT}.
 */
public final class AdminHttp {
  /** Bound on one control call (a large request log takes a while to serialise). */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClientAgent client;

  public record Reply(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  public AdminHttp(Vertx vertx) {
    // a fresh connection per call: control calls are rare, and a pooled connection that went bad
    // while the processes were being killed and overloaded must never hold a call up
    client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(false), new PoolOptions().setHttp1MaxSize(16));
  }

  public Future<Reply> call(HttpMethod method, String root, String path, JsonObject body) {
    java.net.URI uri = java.net.URI.create(root + path);
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost(uri.getHost())
            .setPort(uri.getPort())
            .setURI(
                uri.getRawQuery() == null
                    ? uri.getRawPath()
                    : uri.getRawPath() + "?" + uri.getRawQuery())
            .setConnectTimeout(CALL_TIMEOUT.toMillis())
            .setIdleTimeout(CALL_TIMEOUT.toMillis());
    return client
        .request(options)
        .compose(r -> body == null ? r.send() : r.send(body.toBuffer()))
        .compose(r -> r.body().map(b -> new Reply(r.statusCode(), text(b))));
  }

  /** The same call, waited for on the calling (non event-loop) thread. */
  public Reply await(HttpMethod method, String root, String path, JsonObject body)
      throws IOException {
    try {
      return call(method, root, path, body)
          .toCompletionStage()
          .toCompletableFuture()
          .get(CALL_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException(method + " " + root + path + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(method + " " + root + path + ": no answer within " + CALL_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String text(Buffer buffer) {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  public Future<Void> close() {
    return client.close();
  }
}
