package ai.holysheep.k8s.webhook.admission;

import ai.holysheep.k8s.webhook.inject.Scope;
import ai.holysheep.k8s.webhook.metrics.AdmissionOutcome;
import ai.holysheep.k8s.webhook.metrics.WebhookMetrics;
import ai.holysheep.k8s.webhook.tls.ServingCertificate;
import ai.holysheep.k8s.webhook.tls.TlsOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

/**
 * The HTTPS listener: {@code /mutate/namespace}, {@code /mutate/pod}, {@code /healthz}, {@code
 * /readyz}, {@code /metrics}. Every failure is answered with a JSON {@code {"error": …}} body; no
 * input can stop the server.
 */
public final class AdmissionServer {
  public static final String NAMESPACE_PATH = "/mutate/namespace";
  public static final String POD_PATH = "/mutate/pod";
  private static final System.Logger LOG = System.getLogger(AdmissionServer.class.getName());
  private static final String JSON = "application/json";

  private final Vertx vertx;
  private final AdmissionServerOptions options;
  private final AdmissionService service;
  private final Readiness readiness;
  private final WebhookMetrics metrics;
  private HttpServer server;

  private AdmissionServer(
      Vertx vertx,
      AdmissionServerOptions options,
      AdmissionService service,
      Readiness readiness,
      WebhookMetrics metrics) {
    this.vertx = vertx;
    this.options = options;
    this.service = service;
    this.readiness = readiness;
    this.metrics = metrics;
  }

  public static Future<AdmissionServer> start(
      Vertx vertx,
      AdmissionServerOptions options,
      AdmissionService service,
      Readiness readiness,
      WebhookMetrics metrics,
      ServingCertificate certificate) {
    AdmissionServer admission = new AdmissionServer(vertx, options, service, readiness, metrics);
    HttpServerOptions http = TlsOptions.apply(new HttpServerOptions(), certificate);
    return vertx
        .createHttpServer(http)
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

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.post("/mutate/*").handler(new BoundedBody(options.maxBodyBytes()));
    router.post(NAMESPACE_PATH).handler(ctx -> admit(ctx, Scope.NAMESPACE, NAMESPACE_PATH));
    router.post(POD_PATH).handler(ctx -> admit(ctx, Scope.POD, POD_PATH));
    router
        .get("/healthz")
        .handler(ctx -> ctx.response().putHeader("content-type", JSON).end("{\"status\":\"ok\"}"));
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

  private void admit(RoutingContext ctx, Scope scope, String path) {
    long started = System.nanoTime();
    byte[] body = BoundedBody.of(ctx);
    vertx
        .executeBlocking(() -> service.review(scope, body), false)
        .onComplete(
            done -> {
              Duration took = Duration.ofNanos(System.nanoTime() - started);
              if (done.succeeded()) {
                AdmissionReply reply = done.result();
                record(path, reply.outcome(), took);
                ctx.response().putHeader("content-type", JSON).end(reply.json());
              } else if (done.cause() instanceof BadAdmissionRequest bad) {
                record(path, AdmissionOutcome.error(bad.reason()), took);
                error(ctx, bad.status(), bad.getMessage());
              } else {
                LOG.log(Level.ERROR, "admission on " + path + " failed", done.cause());
                record(path, AdmissionOutcome.error("internal"), took);
                error(ctx, 500, "internal error while handling the admission; see the webhook log");
              }
            });
  }

  private void record(String path, AdmissionOutcome outcome, Duration took) {
    metrics.recordAdmission(path, outcome.result(), outcome.reason(), took);
  }

  private void ready(RoutingContext ctx) {
    List<String> waiting = readiness.waitingFor();
    JsonObject body = new JsonObject().put("ready", waiting.isEmpty());
    if (!waiting.isEmpty()) {
      body.put("waitingFor", new JsonArray(waiting));
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
    if (status == 413) {
      if (admission) {
        record(path, AdmissionOutcome.error("too-large"), Duration.ZERO);
      }
      ctx.response().putHeader("connection", "close");
      error(
          ctx,
          413,
          "body: larger than "
              + options.maxBodyBytes()
              + " bytes; an AdmissionReview for one Pod is far smaller");
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

  private static void error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", JSON)
        .end(new JsonObject().put("error", message).encode());
  }
}
