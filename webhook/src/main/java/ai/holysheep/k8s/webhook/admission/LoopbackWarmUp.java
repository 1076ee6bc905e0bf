package ai.holysheep.k8s.webhook.admission;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends dry-run reviews to the listener itself over loopback TLS before the replica reports ready:
 * the handshake, the HTTP codec, the router, the worker threads and the injector's JIT are warm
 * when the API server's first admissions arrive (with its 5 s timeout), instead of the first dozen
 * paying seconds for it. Rounds go on until the JIT compiler falls quiet (it competes with the
 * first admissions for the CPU otherwise), at least {@link #MIN_ROUNDS}, at most the configured
 * number and none started after {@link #BUDGET}. Not counted in the admission metrics.
 */
public final class LoopbackWarmUp {
  /** At most this many rounds of parallel reviews (flag {@code --warm-up-rounds}). */
  public static final int DEFAULT_ROUNDS = 40;

  /** Rounds always run (unless fewer are allowed). */
  public static final int MIN_ROUNDS = 4;

  /** A round during which the JIT compiled for less than this ends the warm-up. */
  public static final Duration QUIET_JIT = Duration.ofMillis(20);

  /** No new round starts after this: a busy node must not keep a replica unready for long. */
  public static final Duration BUDGET = Duration.ofSeconds(10);

  /** Reviews in flight per round, each on its own connection (as an API server's first burst). */
  public static final int PARALLEL = 12;

  private LoopbackWarmUp() {}

  /**
   * Completes with the number of rounds run, once the JIT is quiet or {@code maxRounds} ran (or a
   * review failed: warm-up never blocks readiness).
   */
  public static Future<Integer> run(Vertx vertx, int port, int maxRounds) {
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setKeepAlive(false),
            new PoolOptions().setHttp1MaxSize(PARALLEL));
    Buffer body = Buffer.buffer(AdmissionService.WARM_UP_REVIEW);
    long deadline = System.nanoTime() + BUDGET.toNanos();
    return rounds(client, port, body, 0, maxRounds, deadline)
        .eventually(client::close)
        .recover(failed -> Future.succeededFuture(-1));
  }

  private static Future<Integer> rounds(
      HttpClientAgent client, int port, Buffer body, int done, int maxRounds, long deadline) {
    if (done >= maxRounds || (done >= MIN_ROUNDS && System.nanoTime() > deadline)) {
      return Future.succeededFuture(done);
    }
    long jitBefore = jitMillis();
    return round(client, port, body)
        .compose(
            finished -> {
              boolean quiet = jitMillis() - jitBefore < QUIET_JIT.toMillis();
              return done + 1 >= MIN_ROUNDS && quiet
                  ? Future.succeededFuture(done + 1)
                  : rounds(client, port, body, done + 1, maxRounds, deadline);
            });
  }

  /** Time the JIT compilers have spent so far; 0 where the JVM does not say. */
  private static long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : 0;
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
