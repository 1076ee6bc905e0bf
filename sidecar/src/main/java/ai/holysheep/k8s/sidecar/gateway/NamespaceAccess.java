package ai.holysheep.k8s.sidecar.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether a caller's namespace may use the gateway: listed in the options, or (when the options
 * name a label) labelled so on its Namespace object. Labels are read with one GET per namespace and
 * kept for {@link AccessOptions#labelTtl()}; while the API server fails, a known answer serves for
 * the stale grace more, else the caller gets a 503 that says why.
 */
final class NamespaceAccess {
  static final String CALL = "namespace";
  static final String ACTION = "get namespaces";

  private final KubeApi api;
  private final AccessOptions access;
  private final Duration staleGrace;
  private final Clock clock;
  private final GatewayMetrics metrics;
  private final ExpiringCache<String, Boolean> labelled;
  private final SingleFlight<String, Boolean> lookups = new SingleFlight<>();

  NamespaceAccess(
      KubeApi api,
      AccessOptions access,
      ReviewOptions review,
      Clock clock,
      GatewayMetrics metrics) {
    this.api = api;
    this.access = access;
    this.staleGrace = review.staleGrace();
    this.clock = clock;
    this.metrics = metrics;
    this.labelled = new ExpiringCache<>(review.maxEntries(), clock);
  }

  Future<Verdict> check(Verdict.Caller caller) {
    String namespace = caller.namespace();
    if (access.namespaces().contains(namespace)) {
      return Future.succeededFuture(caller);
    }
    if (!access.checksLabel()) {
      return Future.succeededFuture(denied(namespace));
    }
    Boolean known = labelled.fresh(namespace);
    if (known != null) {
      return Future.succeededFuture(known ? caller : denied(namespace));
    }
    return lookups
        .run(namespace, () -> lookUp(namespace), () -> {})
        .transform(
            done -> {
              if (done.succeeded()) {
                return Future.succeededFuture(done.result() ? caller : denied(namespace));
              }
              Boolean stale = labelled.usable(namespace);
              if (stale != null) {
                return Future.succeededFuture(stale ? caller : denied(namespace));
              }
              return Future.succeededFuture(
                  Verdict.Denied.of(
                      Rejection.AUTHENTICATION_UNAVAILABLE,
                      Messages.cannotReadNamespace(namespace, done.cause().getMessage())));
            });
  }

  private Future<Boolean> lookUp(String namespace) {
    return api.get("/api/v1/namespaces/" + namespace, ACTION)
        .map(this::hasLabel)
        .recover(
            failure -> {
              if (failure instanceof ApiFailure.KubeApiException e
                  && e.kind() == ApiFailure.NOT_FOUND) {
                return Future.succeededFuture(false);
              }
              return Future.failedFuture(failure);
            })
        .andThen(
            done -> {
              metrics.apiCall(CALL, done.succeeded() ? "ok" : failureLabel(done.cause()));
              if (done.succeeded()) {
                Instant now = clock.instant();
                Instant fresh = now.plus(access.labelTtl());
                labelled.put(namespace, done.result(), fresh, fresh.plus(staleGrace));
              }
            });
  }

  private boolean hasLabel(JsonObject namespace) {
    try {
      JsonObject metadata = namespace.getJsonObject("metadata");
      JsonObject labels = metadata == null ? null : metadata.getJsonObject("labels");
      return labels != null && access.labelValue().equals(labels.getValue(access.labelKey()));
    } catch (ClassCastException e) {
      throw ApiFailure.MALFORMED.exception(ACTION);
    }
  }

  private Verdict.Denied denied(String namespace) {
    return new Verdict.Denied(
        Rejection.NAMESPACE_NOT_ALLOWED,
        Messages.namespaceNotAllowed(namespace, access),
        namespace);
  }

  static String failureLabel(Throwable failure) {
    return failure instanceof ApiFailure.KubeApiException e ? e.kind().label : "error";
  }
}
