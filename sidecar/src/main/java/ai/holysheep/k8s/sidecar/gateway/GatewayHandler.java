package ai.holysheep.k8s.sidecar.gateway;

import ai.holysheep.k8s.sidecar.proxy.ProxyHandler;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The gateway listener's handler: authenticates the caller, then hands the request to the proxy
 * (which replaces the caller's token with the upstream's key) or answers the rejection. While the
 * API server is asked, the request is paused so that no body byte is lost, and the decision is
 * carried out on the request's own event loop.
 */
final class GatewayHandler implements Handler<HttpServerRequest> {
  static final String ALLOWED = "allowed";

  private final CallerAuthenticator authenticator;
  private final ProxyHandler proxy;
  private final GatewayMetrics metrics;

  GatewayHandler(CallerAuthenticator authenticator, ProxyHandler proxy, GatewayMetrics metrics) {
    this.authenticator = authenticator;
    this.proxy = proxy;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpServerRequest request) {
    Future<Verdict> verdict =
        authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
    if (verdict.isComplete()) {
      decide(request, verdict);
      return;
    }
    request.pause();
    Context context = Vertx.currentContext();
    verdict.onComplete(
        done ->
            context.runOnContext(
                v -> {
                  // Resuming only schedules delivery of the held body; the proxy sets its handlers
                  // (or pauses again) before any of it arrives.
                  request.resume();
                  decide(request, done);
                }));
  }

  private void decide(HttpServerRequest request, AsyncResult<Verdict> done) {
    Verdict verdict =
        done.succeeded()
            ? done.result()
            : Verdict.Denied.of(
                Rejection.AUTHENTICATION_UNAVAILABLE,
                Messages.cannotVerifyToken(String.valueOf(done.cause().getMessage())));
    if (verdict instanceof Verdict.Caller caller) {
      metrics.request(caller.namespace(), ALLOWED);
      // The caller's namespace scopes its cache entries: one gateway cache, no shared answers.
      proxy.handle(request, caller.namespace());
    } else if (verdict instanceof Verdict.Denied denied) {
      metrics.request(denied.namespace(), denied.reason().metricLabel());
      DeniedAnswer.send(request.response(), denied);
    }
  }
}
