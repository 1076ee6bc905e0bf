package ai.holysheep.k8s.sidecar.overload;

import ai.holysheep.k8s.sidecar.proxy.ErrorAnswers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts with two atomics shared by every event loop. An exchange holds its slot until its answer's
 * last byte is written or its connection closes, whichever comes first; the per-connection state is
 * touched only on that connection's event loop.
 */
final class FrontDoor implements LoadShedder {
  private final Vertx vertx;
  private final OverloadOptions options;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final ConcurrentMap<HttpConnection, Admitted> admitted = new ConcurrentHashMap<>();
  private final ConcurrentMap<HttpConnection, Long> excess = new ConcurrentHashMap<>();
  private final Counter shedRequests;
  private final Counter shedConnections;

  FrontDoor(Vertx vertx, OverloadOptions options, MeterRegistry registry) {
    this.vertx = vertx;
    this.options = options;
    this.shedRequests = shedCounter(registry, IN_FLIGHT);
    this.shedConnections = shedCounter(registry, CONNECTIONS);
    Gauge.builder("holysheep.in.flight.requests", inFlight, AtomicInteger::get)
        .description("Proxy exchanges in flight, from request head to the answer's last byte")
        .register(registry);
    Gauge.builder("holysheep.app.connections", connections, AtomicInteger::get)
        .description("App connections open on the proxy listeners (excess ones not counted)")
        .register(registry);
  }

  private static Counter shedCounter(MeterRegistry registry, String limit) {
    return Counter.builder(SHED_METRIC)
        .description("Requests and connections answered 503 sidecar_overloaded, by the bound hit")
        .tag("limit", limit)
        .register(registry);
  }

  @Override
  public Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> next) {
    return request -> admit(request, next);
  }

  private void admit(HttpServerRequest request, Handler<HttpServerRequest> next) {
    HttpConnection connection = request.connection();
    if (excess.containsKey(connection)) {
      HttpServerResponse response = request.response();
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      response.bodyEndHandler(v -> connection.close());
      shed(response, "the sidecar has too many open app connections");
      return;
    }
    if (inFlight.incrementAndGet() > options.maxInFlight()) {
      inFlight.decrementAndGet();
      shedRequests.increment();
      shed(request.response(), "the sidecar has too many requests in flight");
      return;
    }
    Slot slot = new Slot();
    Admitted state = admitted.get(connection);
    if (state != null) {
      state.slots.add(slot);
    }
    request.response().bodyEndHandler(v -> release(slot, state));
    next.handle(request);
  }

  private void shed(HttpServerResponse response, String why) {
    ErrorAnswers.send(
        response,
        503,
        "server_error",
        "sidecar_overloaded",
        why + "; retry after " + options.retryAfter().toSeconds() + " s",
        null,
        0,
        options.retryAfter().toSeconds(),
        true);
  }

  private void release(Slot slot, Admitted state) {
    if (!slot.released) {
      slot.released = true;
      inFlight.decrementAndGet();
      if (state != null) {
        state.slots.remove(slot);
      }
    }
  }

  @Override
  public void onConnection(HttpConnection connection) {
    if (connections.incrementAndGet() > options.maxConnections()) {
      connections.decrementAndGet();
      shedConnections.increment();
      long timer =
          vertx.setTimer(options.excessConnectionGrace().toMillis(), id -> connection.close());
      excess.put(connection, timer);
      connection.closeHandler(
          v -> {
            Long pending = excess.remove(connection);
            if (pending != null) {
              vertx.cancelTimer(pending);
            }
          });
      return;
    }
    Admitted state = new Admitted();
    admitted.put(connection, state);
    connection.closeHandler(
        v -> {
          admitted.remove(connection);
          connections.decrementAndGet();
          for (Slot slot : List.copyOf(state.slots)) {
            release(slot, state);
          }
        });
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public int connections() {
    return connections.get();
  }

  /** One admitted exchange; touched only on its connection's event loop. */
  private static final class Slot {
    boolean released;
  }

  /** The exchanges of one admitted connection, released together when it closes. */
  private static final class Admitted {
    final List<Slot> slots = new ArrayList<>(1);
  }
}
