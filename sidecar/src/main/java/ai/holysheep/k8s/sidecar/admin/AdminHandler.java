package ai.holysheep.k8s.sidecar.admin;

import ai.holysheep.k8s.sidecar.upstream.Upstreams;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/**
 * /health and /ready report the sidecar itself (never upstream health: an upstream outage must not
 * restart the sidecar or pull app pods out of Services); /status; /metrics; and a loopback-only
 * {@code POST /shutdown}.
 */
public final class AdminHandler implements Handler<HttpServerRequest> {
  private static final String JSON = "application/json";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final String configHash;
  private final Upstreams upstreams;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier ready;
  private final Runnable shutdown;
  private final Clock clock;

  public AdminHandler(
      String configHash,
      Upstreams upstreams,
      PrometheusMeterRegistry registry,
      BooleanSupplier ready,
      Runnable shutdown,
      Clock clock) {
    this.configHash = configHash;
    this.upstreams = upstreams;
    this.registry = registry;
    this.ready = ready;
    this.shutdown = shutdown;
    this.clock = clock;
  }

  @Override
  public void handle(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    switch (request.path()) {
      case "/health" -> json(response, 200, "{\"status\":\"ok\"}");
      case "/ready" -> {
        boolean isReady = ready.getAsBoolean();
        json(response, isReady ? 200 : 503, isReady ? "{\"ready\":true}" : "{\"ready\":false}");
      }
      case "/status" ->
          json(
              response,
              200,
              StatusReport.build(configHash, ready.getAsBoolean(), upstreams, clock).encode());
      case "/metrics" ->
          response
              .putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT)
              .end(MetricsText.scrape(registry));
      case "/shutdown" -> shutdown(request, response);
      default -> json(response, 404, "{\"error\":\"unknown path\"}");
    }
  }

  private void shutdown(HttpServerRequest request, HttpServerResponse response) {
    if (request.method() != HttpMethod.POST) {
      response.putHeader(HttpHeaders.ALLOW, "POST");
      json(response, 405, "{\"error\":\"use POST\"}");
      return;
    }
    if (!isLoopback(request.remoteAddress())) {
      json(response, 403, "{\"error\":\"shutdown is accepted from loopback only\"}");
      return;
    }
    json(response, 202, "{\"shutdown\":\"started\"}");
    shutdown.run();
  }

  static boolean isLoopback(SocketAddress address) {
    if (address == null || address.hostAddress() == null) {
      return false;
    }
    try {
      return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void json(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
  }
}
