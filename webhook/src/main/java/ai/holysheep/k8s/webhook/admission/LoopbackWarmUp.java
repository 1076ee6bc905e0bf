package ai.holysheep.k8s.webhook.admission;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends dry-run reviews to the listener itself over loopback TLS before the replica reports ready:
 * the handshake, the HTTP codec, the router, the worker threads and the injector's JIT are warm
 * when the API server's first admissions arrive (with its 5 s timeout), instead of the first dozen
 * paying seconds for it. Not counted in the admission metrics.
 */
public final class LoopbackWarmUp {
  /** Rounds of parallel reviews (flag {@code --warm-up-rounds}). */
  public static final int DEFAULT_ROUNDS = 4;

  /** Reviews in flight per round, each on its own connection (as an API server's first burst). */
  public static final int PARALLEL = 12;

  private LoopbackWarmUp() {}

  /** Completes when every review has been answered (or failed: warm-up never blocks readiness). */
  public static Future<Void> run(Vertx vertx, int port, int roundCount) {
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setKeepAlive(false),
            new PoolOptions().setHttp1MaxSize(PARALLEL));
    Buffer body = Buffer.buffer(AdmissionService.WARM_UP_REVIEW);
    Future<Void> rounds = Future.succeededFuture();
    for (int round = 0; round < roundCount; round++) {
      rounds = rounds.compose(previous -> round(client, port, body));
    }
    return rounds.eventually(client::close).recover(failed -> Future.succeededFuture());
  }

  private static Future<Void> round(HttpClientAgent client, int port, Buffer body) {
    List<Future<?>> reviews = new ArrayList<>();
    for (int i = 0; i < PARALLEL; i++) {
      reviews.add(
          client
              .request(
                  new RequestOptions()
                      .setMethod(HttpMethod.POST)
                      .setHost("127.0.0.1")
                      .setPort(port)
                      .setURI(AdmissionServer.NAMESPACE_PATH)
                      .putHeader("content-type", "application/json")
                      .putHeader(AdmissionServer.WARM_UP_HEADER, "1"))
              .compose(request -> request.send(body))
              .compose(response -> response.body()));
    }
    return Future.join(reviews).mapEmpty();
  }
}
