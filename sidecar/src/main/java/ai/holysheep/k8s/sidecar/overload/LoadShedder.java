package ai.holysheep.k8s.sidecar.overload;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

/**
 * The proxy listeners' front door: admits an exchange or an app connection while the sidecar is
 * within its {@link OverloadOptions} bounds, and sheds the rest at once with {@code 503
 * sidecar_overloaded} (as Envoy's overload manager and Linkerd's in-flight limit do), so a pile-up
 * costs the app a retry instead of costing the pod an OOM kill. Shed work never reaches an
 * upstream, so no breaker ever sees it. The admin port does not pass through here and is never
 * shed.
 */
public interface LoadShedder {

  /** Metric (Prometheus {@code holysheep_shed_total{limit}}) of shed requests and connections. */
  String SHED_METRIC = "holysheep.shed";

  /** Label value of a request shed because {@link OverloadOptions#maxInFlight()} was reached. */
  String IN_FLIGHT = "in_flight";

  /**
   * Label value of a connection shed because {@link OverloadOptions#maxConnections()} was reached.
   */
  String CONNECTIONS = "connections";

  static LoadShedder create(Vertx vertx, OverloadOptions options, MeterRegistry registry) {
    return new FrontDoor(vertx, options, registry);
  }

  /** The listener's request handler: counts and bounds the exchanges {@code next} runs. */
  Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> next);

  /** The listener's connection handler: counts and bounds app connections. */
  void onConnection(HttpConnection connection);

  int inFlight();

  int connections();
}
