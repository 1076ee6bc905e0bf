package ai.holysheep.k8s.webhook.admission;

import ai.holysheep.k8s.webhook.inject.Scope;
import ai.holysheep.k8s.webhook.metrics.AdmissionOutcome;
import ai.holysheep.k8s.webhook.metrics.WebhookMetrics;
import ai.holysheep.k8s.webhook.tls.ServingCertificate;
import ai.holysheep.k8s.webhook.tls.TlsOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTPS listener: {@code /mutate/namespace}, {@code /mutate/pod}, {@code /healthz}, {@code
 * /readyz}, {@code /metrics}. Every failure is answered with a JSON {@code {"error": …}} body; no
 * input can stop the server. Admissions run on their own worker threads; connections, buffered
 * bytes and slow clients are bounded ({@link AdmissionServerOptions}). {@link #drain()} makes every
 * answer close its connection, {@link #shutdown(Duration)} stops accepting and lets in-flight
 * admissions finish.
 */
public final class AdmissionServer {
  public static final String NAMESPACE_PATH = "/mutate/namespace";
  public static final String POD_PATH = "/mutate/pod";

  /** Marks the loopback warm-up reviews, which are not counted in the admission metrics. */
  public static final String WARM_UP_HEADER = "x-holysheep-warm-up";

  private static final System.Logger LOG = System.getLogger(AdmissionServer.class.getName());
  private static final String JSON = "application/json";

  private final Vertx vertx;
  private final AdmissionServerOptions options;
  private final AdmissionService service;
  private final Readiness readiness;
  private final Liveness liveness;
  private final WebhookMetrics metrics;
  private final BodyBudget budget;
  private final ConnectionGuard connections;
  private final LingeringClose lingering;
  private final WorkerWatch workers = new WorkerWatch(System::nanoTime);
  private final WorkerExecutor executor;
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong warmUpAnswered =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean draining;
  private HttpServer server;

  private AdmissionServer(
      Vertx vertx,
      AdmissionServerOptions options,
      AdmissionService service,
      Readiness readiness,
      Liveness liveness,
      WebhookMetrics metrics) {
    this.vertx = vertx;
    this.options = options;
    this.service = service;
    this.readiness = readiness;
    this.liveness = liveness.add("admission-workers", workers::stuck);
    this.metrics = metrics;
    this.budget =
        new BodyBudget(options.maxBufferedBytes(), AdmissionServerOptions.FREE_BYTES_PER_REQUEST);
    this.connections =
        new ConnectionGuard(vertx, options.maxConnections(), options.requestHeadTimeout());
    this.lingering = new LingeringClose(vertx, options.lingerTime(), options.lingerBytes());
    this.executor =
        vertx.createSharedWorkerExecutor(
            "holysheep-admission",
            options.workerThreads(),
            WorkerWatch.STUCK_AFTER.toSeconds(),
            TimeUnit.SECONDS);
    metrics.gauge("holysheep.webhook.connections", "Open connections", connections::open);
    metrics.gauge(
        "holysheep.webhook.buffered.bytes",
        "Request bytes buffered beyond the free share",
        budget::reserved);
  }

  public static Future<AdmissionServer> start(
      Vertx vertx,
      AdmissionServerOptions options,
      AdmissionService service,
      Readiness readiness,
      Liveness liveness,
      WebhookMetrics metrics,
      ServingCertificate certificate) {
    AdmissionServer admission =
        new AdmissionServer(vertx, options, service, readiness, liveness, metrics);
    HttpServerOptions http =
        TlsOptions.apply(new HttpServerOptions(), certificate)
            .setIdleTimeout((int) options.idleTimeout().toMillis())
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            .setSslHandshakeTimeout(options.requestHeadTimeout().toMillis())
            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    return vertx
        .createHttpServer(http)
        .connectionHandler(admission.connections)
        .requestHandler(admission.router())
        .listen(options.port(), options.host())
        .map(
            listening -> {
              admission.server = listening;
              return admission;
            });
  }

  public int port() {
    return server.actualPort();
  }

  /** Serves {@code certificate} to new connections from now on. */
  public Future<Boolean> updateCertificate(ServingCertificate certificate) {
    return server.updateSSLOptions(TlsOptions.sslOptions(certificate));
  }

  /**
   * From now on every answer carries {@code Connection: close} and its connection is closed once it
   * is sent, so the API server opens new connections, which reach the replicas that stay.
   */
  public void drain() {
    draining = true;
  }

  /** Connections open now. */
  public int openConnections() {
    return connections.open();
  }

  /** Requests received (their head at least) and not answered yet. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Stops accepting connections; closes idle ones at once and the others as soon as their current
   * request is answered; after {@code grace}, whatever is left is cut.
   */
  public Future<Void> shutdown(Duration grace) {
    if (server == null) {
      return Future.succeededFuture();
    }
    return server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS).eventually(executor::close);
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(this::arrived);
    router
        .post("/mutate/*")
        .handler(new BoundedBody(vertx, options.maxBodyBytes(), budget, options.bodyReadTimeout()));
    router.post(NAMESPACE_PATH).handler(ctx -> admit(ctx, Scope.NAMESPACE, NAMESPACE_PATH));
    router.post(POD_PATH).handler(ctx -> admit(ctx, Scope.POD, POD_PATH));
    router.get("/healthz").handler(this::healthy);
    router.get("/readyz").handler(this::ready);
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    router.route().failureHandler(this::failure);
    return router;
  }

  private void arrived(RoutingContext ctx) {
    connections.requestArrived(ctx.request().connection());
    inFlight.incrementAndGet();
    ctx.addEndHandler(done -> inFlight.decrementAndGet());
    closeAfterAnswerIfDraining(ctx);
    ctx.next();
  }

  /**
   * While draining, the answer says {@code Connection: close} and Vert.x closes the connection
   * right after it (the grace only bounds a client that stops reading). Checked when a request
   * arrives and again when its answer is written, for requests that arrived before the drain.
   */
  private void closeAfterAnswerIfDraining(RoutingContext ctx) {
    if (draining && !ctx.response().headWritten()) {
      ctx.response().putHeader("connection", "close");
      ctx.request()
          .connection()
          .shutdown(options.bodyReadTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void admit(RoutingContext ctx, Scope scope, String path) {
    long started = System.nanoTime();
    byte[] body = BoundedBody.of(ctx);
    boolean counted = ctx.request().getHeader(WARM_UP_HEADER) == null;
    executor
        .executeBlocking(
            () -> {
              long id = workers.started();
              try {
                return service.review(scope, body);
              } finally {
                workers.finished(id);
              }
            },
            false)
        .onComplete(
            done -> {
              Duration took = Duration.ofNanos(System.nanoTime() - started);
              closeAfterAnswerIfDraining(ctx);
              if (done.succeeded()) {
                AdmissionReply reply = done.result();
                record(counted, path, reply.outcome(), took);
                ctx.response().putHeader("content-type", JSON).end(reply.json());
              } else if (done.cause() instanceof BadAdmissionRequest bad) {
                record(counted, path, AdmissionOutcome.error(bad.reason()), took);
                error(ctx, bad.status(), bad.getMessage());
              } else {
                LOG.log(Level.ERROR, "admission on " + path + " failed", done.cause());
                record(counted, path, AdmissionOutcome.error("internal"), took);
                error(ctx, 500, "internal error while handling the admission; see the webhook log");
              }
            });
  }

  private void record(boolean counted, String path, AdmissionOutcome outcome, Duration took) {
    if (counted) {
      metrics.recordAdmission(path, outcome.result(), outcome.reason(), took);
    } else {
      warmUpAnswered.incrementAndGet();
    }
  }

  /** Warm-up reviews answered so far (they are not in the admission metrics). */
  public long warmUpAnswered() {
    return warmUpAnswered.get();
  }

  private void healthy(RoutingContext ctx) {
    Map<String, String> failures = liveness.failures();
    JsonObject body = new JsonObject().put("status", failures.isEmpty() ? "ok" : "failing");
    if (!failures.isEmpty()) {
      body.put("failures", new JsonObject(Map.copyOf(failures)));
    }
    ctx.response()
        .setStatusCode(failures.isEmpty() ? 200 : 503)
        .putHeader("content-type", JSON)
        .end(body.encode());
  }

  private void ready(RoutingContext ctx) {
    Map<String, String> waiting = readiness.reasons();
    JsonObject body = new JsonObject().put("ready", waiting.isEmpty());
    if (!waiting.isEmpty()) {
      body.put("waitingFor", new JsonArray(java.util.List.copyOf(waiting.keySet())));
      JsonObject reasons = new JsonObject();
      waiting.forEach(reasons::put);
      body.put("reasons", reasons);
    }
    ctx.response()
        .setStatusCode(waiting.isEmpty() ? 200 : 503)
        .putHeader("content-type", JSON)
        .end(body.encode());
  }

  private void failure(RoutingContext ctx) {
    int status = ctx.statusCode() < 0 ? 500 : ctx.statusCode();
    String path = ctx.normalizedPath();
    boolean admission = NAMESPACE_PATH.equals(path) || POD_PATH.equals(path);
    BodyRefusal refusal = BodyRefusal.of(status);
    if (refusal != null) {
      if (admission) {
        record(true, path, AdmissionOutcome.error(refusal.reason()), Duration.ZERO);
      }
      // the rest of the body was never read: this connection cannot carry another request
      ctx.response().putHeader("connection", "close");
      refusal.headers().forEach(ctx.response()::putHeader);
      error(ctx, status, refusal.message(options, budget))
          .onComplete(
              sent -> lingering.close(ctx.request(), sent.succeeded() && refusal.lingers()));
      return;
    }
    if (status >= 500 && ctx.failure() != null) {
      LOG.log(Level.ERROR, "request to " + path + " failed", ctx.failure());
    }
    error(
        ctx,
        status,
        status >= 500
            ? "internal error"
            : "request to " + path + " rejected (HTTP " + status + ")");
  }

  private static Future<Void> error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return Future.succeededFuture();
    }
    return ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", JSON)
        .end(new JsonObject().put("error", message).encode());
  }
}
