package ai.holysheep.k8s.sidecar.upstream;

import ai.holysheep.k8s.config.HealthCheckSpec;
import ai.holysheep.k8s.sidecar.config.ApiKey;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Active checks, only for upstreams that are open, half-open or idle for an interval: traffic
 * already proves a busy upstream healthy, so a thousand pods do not poll it. A pass moves an open
 * breaker to half-open, never to closed. Every check is jittered by ±25%.
 */
public final class HealthChecker {
  private static final System.Logger LOG = System.getLogger(HealthChecker.class.getName());
  static final double JITTER = 0.25;

  private final Vertx vertx;
  private final List<Upstream> upstreams;
  private final HealthCheckSpec spec;
  private final Duration timeout;
  private final Clock clock;
  private final Consumer<Upstream> onModels;
  private final long[] timers;
  private volatile boolean closed;

  public HealthChecker(
      Vertx vertx,
      List<Upstream> upstreams,
      HealthCheckSpec spec,
      Duration timeout,
      Clock clock,
      Consumer<Upstream> onModels) {
    this.vertx = vertx;
    this.upstreams = upstreams;
    this.spec = spec;
    this.timeout = timeout;
    this.clock = clock;
    this.onModels = onModels;
    this.timers = new long[upstreams.size()];
  }

  public void start() {
    if (!spec.enabled()) {
      return;
    }
    for (int i = 0; i < upstreams.size(); i++) {
      int index = i;
      // One check per upstream at start, busy or not: it learns the models the upstream lists
      // (the bound of the tokens metric's model label; a busy upstream is never checked again) and
      // reports a rejected key before traffic finds it.
      check(upstreams.get(index)).onComplete(done -> schedule(index));
    }
  }

  public void stop() {
    closed = true;
    for (long timer : timers) {
      vertx.cancelTimer(timer);
    }
  }

  private void schedule(int index) {
    if (closed) {
      return;
    }
    long base = spec.interval().toMillis();
    double factor = 1 - JITTER + ThreadLocalRandom.current().nextDouble() * 2 * JITTER;
    timers[index] = vertx.setTimer(Math.max(1, (long) (base * factor)), id -> tick(index));
  }

  private void tick(int index) {
    Upstream upstream = upstreams.get(index);
    if (!needsCheck(upstream, clock.instant(), spec.interval())) {
      schedule(index);
      return;
    }
    check(upstream).onComplete(done -> schedule(index));
  }

  /** Open, half-open, or no traffic for at least an interval. */
  static boolean needsCheck(Upstream upstream, Instant now, Duration interval) {
    return upstream.breaker().state() != BreakerState.CLOSED
        || !upstream.lastActivity().plus(interval).isAfter(now);
  }

  /** Runs one check now. */
  public io.vertx.core.Future<Upstream.HealthCheckResult> check(Upstream upstream) {
    ApiKey key = upstream.key();
    if (key == null) {
      Upstream.HealthCheckResult missing =
          new Upstream.HealthCheckResult(clock.instant(), false, 0, "no API key");
      upstream.recordCheck(missing);
      return io.vertx.core.Future.succeededFuture(missing);
    }
    UpstreamTarget target = upstream.target();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(target.host())
            .setPort(target.port())
            .setSsl(target.ssl())
            .setURI(target.basePath() + spec.endpoint())
            .setTimeout(timeout.toMillis())
            .putHeader(HttpHeaders.AUTHORIZATION, key.authorizationHeader())
            .putHeader(HttpHeaders.ACCEPT, "application/json");
    return upstream
        .client()
        .request(options)
        // body() in the send() callback itself: chained on an outer future it may be called after
        // the body went by and never complete (Vert.x issue 5904); a healthy check would then time
        // out and, as failed checks count, push a healthy upstream's breaker towards open.
        .compose(
            request ->
                request
                    .send()
                    .compose(
                        response ->
                            response.body().map(body -> evaluate(upstream, response, body))))
        .recover(
            failure ->
                io.vertx.core.Future.succeededFuture(
                    record(
                        upstream,
                        new Upstream.HealthCheckResult(
                            clock.instant(), false, 0, failure.getClass().getSimpleName()),
                        true)));
  }

  private Upstream.HealthCheckResult evaluate(
      Upstream upstream, HttpClientResponse response, Buffer body) {
    int status = response.statusCode();
    boolean passed = status >= 200 && status < 300;
    if (passed) {
      upstream.learnModels(ai.holysheep.k8s.sidecar.metrics.ModelList.parse(body));
      onModels.accept(upstream);
    }
    Upstream.HealthCheckResult result =
        new Upstream.HealthCheckResult(
            clock.instant(), passed, status, passed ? null : "HTTP status");
    return record(upstream, result, provesDown(status));
  }

  /**
   * A check proves the upstream down when it could not be reached or timed out, or answered with a
   * status the request path fails over on (5xx, 408, 52x, 529); a 4xx from the check endpoint
   * (missing on this provider, key rejected) says nothing about serving requests.
   */
  static boolean provesDown(int status) {
    return status >= 500 || status == 408;
  }

  private Upstream.HealthCheckResult record(
      Upstream upstream, Upstream.HealthCheckResult result, boolean provesDown) {
    upstream.recordCheck(result);
    if (result.passed()) {
      upstream.breaker().onHealthCheckPassed();
    } else {
      if (provesDown) {
        upstream.breaker().onHealthCheckFailed();
      }
      LOG.log(
          System.Logger.Level.DEBUG,
          "health check of upstream {0} failed: status {1} {2}",
          upstream.name(),
          result.status(),
          result.error());
    }
    return result;
  }
}
