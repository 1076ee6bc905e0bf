package ai.holysheep.k8s.webhook.admission;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds connections: at most {@code max} open (more are closed as they arrive), and a new one must
 * bring its first request head within {@code headTimeout}. The API server connects in order to send
 * a request; a client that opens connections and sends half a request line (or nothing) only holds
 * sockets. Later requests on a kept-alive connection are bounded by the idle timeout instead, since
 * a kept-alive connection may rightly wait a long time for its next request.
 */
final class ConnectionGuard implements Handler<HttpConnection> {
  private final Vertx vertx;
  private final int max;
  private final Duration headTimeout;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final Map<HttpConnection, Long> awaitingFirstRequest = new ConcurrentHashMap<>();

  ConnectionGuard(Vertx vertx, int max, Duration headTimeout) {
    this.vertx = vertx;
    this.max = max;
    this.headTimeout = headTimeout;
  }

  @Override
  public void handle(HttpConnection connection) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      refused.incrementAndGet();
      connection.close();
      return;
    }
    long timer =
        vertx.setTimer(
            headTimeout.toMillis(),
            id -> {
              if (awaitingFirstRequest.remove(connection) != null) {
                connection.close();
              }
            });
    awaitingFirstRequest.put(connection, timer);
    connection.closeHandler(
        closed -> {
          open.decrementAndGet();
          Long pending = awaitingFirstRequest.remove(connection);
          if (pending != null) {
            vertx.cancelTimer(pending);
          }
        });
  }

  /** A request head arrived on {@code connection}: it is in use, the head deadline is off. */
  void requestArrived(HttpConnection connection) {
    Long pending = awaitingFirstRequest.remove(connection);
    if (pending != null) {
      vertx.cancelTimer(pending);
    }
  }

  int open() {
    return open.get();
  }

  long refused() {
    return refused.get();
  }
}
