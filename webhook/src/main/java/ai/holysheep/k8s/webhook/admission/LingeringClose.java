package ai.holysheep.k8s.webhook.admission;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * Closes the connection of a request answered before its body was read whole, the way nginx's
 * lingering close does. Closing a socket whose receive buffer holds unread bytes makes the kernel
 * send a reset instead of an orderly end, and a reset makes the client's kernel drop what it
 * received and the client has not read yet: our answer. A client still sending its body (the JDK
 * client, Go's net/http, hence the API server) may then see "connection reset" instead of the 413.
 * So the rest of the body is read and dropped (no memory held), and the connection is closed when
 * it ends, after {@code maxBytes} more bytes, or after {@code time}, whichever comes first. A rest
 * declared longer than {@code maxBytes} is not waited for. Unlike nginx, the write side is not shut
 * first: in TLS 1.2 a close_notify ends both directions (the client could not send the rest), and
 * the answer carries its length, so the client needs no end of stream to read it.
 */
final class LingeringClose {
  private final Vertx vertx;
  private final Duration time;
  private final long maxBytes;

  LingeringClose(Vertx vertx, Duration time, long maxBytes) {
    this.vertx = vertx;
    this.time = time;
    this.maxBytes = maxBytes;
  }

  /**
   * Called once the answer to {@code request} is sent (on its context): closes its connection, at
   * once unless {@code linger} and the rest of the body may still come within the bounds.
   */
  void close(HttpServerRequest request, boolean linger) {
    HttpConnection connection = request.connection();
    if (!linger || request.isEnded() || declaredRest(request) > maxBytes) {
      connection.close();
      return;
    }
    long[] dropped = {0};
    boolean[] closed = {false};
    Runnable close =
        () -> {
          if (!closed[0]) {
            closed[0] = true;
            connection.close();
          }
        };
    long timer = vertx.setTimer(time.toMillis(), id -> close.run());
    request.handler(
        chunk -> {
          dropped[0] += chunk.length();
          if (dropped[0] > maxBytes) {
            vertx.cancelTimer(timer);
            close.run();
          }
        });
    request.endHandler(
        end -> {
          vertx.cancelTimer(timer);
          close.run();
        });
    request.exceptionHandler(
        e -> {
          vertx.cancelTimer(timer);
          close.run();
        });
    request.resume();
  }

  /** Body bytes the client declared and has not sent yet; 0 for a chunked body (unknown). */
  private static long declaredRest(HttpServerRequest request) {
    String declared = request.getHeader("content-length");
    if (declared == null || !declared.matches("\\d{1,18}")) {
      return 0;
    }
    return Long.parseLong(declared) - request.bytesRead();
  }
}
