package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;

/**
 * Warms the JVMs before a measured run, as {@code make bench} does: a closed loop of {@link #USERS}
 * users, each sending the next chat (alternately JSON and streamed) when the last one ended, for a
 * fixed time. A closed loop slows down with a cold sidecar instead of burying it, so the measured
 * run starts on compiled code rather than measuring JIT compilation under a fault. Nothing about
 * these requests is checked; the simulators' logs are cleared afterwards.
 */
public final class Warmer {
  /** Concurrent users of the warm-up loop. */
  static final int USERS = 16;

  /** Bound on one warm-up request. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final int port;
  private long deadline;
  private long seq;
  private int running;
  private int sent;
  private final Promise<Integer> done = Promise.promise();

  public Warmer(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(USERS));
  }

  /** Runs for {@code length}; the future gives the number of requests sent. */
  public Future<Integer> run(Duration length) {
    vertx.runOnContext(
        v -> {
          deadline = System.currentTimeMillis() + length.toMillis();
          for (int i = 0; i < USERS; i++) {
            running++;
            next();
          }
        });
    return done.future().eventually(() -> client.close());
  }

  private void next() {
    if (System.currentTimeMillis() >= deadline) {
      if (--running == 0) {
        done.complete(sent);
      }
      return;
    }
    long n = seq++;
    LoadRequest load = new LoadRequest("warm-" + n, n, n % 2 == 1, n % 4 == 1, 0);
    sent++;
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/v1/chat/completions")
                .setIdleTimeout(REQUEST_TIMEOUT.toMillis())
                .putHeader("content-type", "application/json"))
        .compose(r -> r.send(Buffer.buffer(load.body())))
        .compose(r -> r.body())
        .onComplete(r -> next());
  }
}
