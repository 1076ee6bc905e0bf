package ai.holysheep.k8s.sidecar.proxy;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * Maps what an upstream answered (status, content type, retry hint) or how it failed (exception) to
 * a row of the {@link FailureKind} table, or to null when the answer goes to the app.
 */
public final class Classifier {
  private Classifier() {}

  /**
   * The failure kind of an answer's head, or {@code null} when it may go to the app (a 2xx that
   * still has to prove itself, or a pass-through status such as 400, 404, 409, 413, 422).
   *
   * @param contentType the answer's {@code Content-Type}, or null
   * @param streamRequested the app asked for SSE
   * @param hasRetryAfter the answer carries {@code Retry-After} or {@code retry-after-ms}
   */
  public static FailureKind ofHead(
      int status, String contentType, boolean streamRequested, boolean hasRetryAfter) {
    if (status >= 200 && status < 300) {
      if (isHtml(contentType)) {
        return FailureKind.BAD_ANSWER;
      }
      if (streamRequested && !isEventStream(contentType) && status != 204) {
        return FailureKind.BAD_ANSWER;
      }
      return null;
    }
    return ofStatus(status, hasRetryAfter);
  }

  /** The failure kind of a non-2xx status, or {@code null} for a pass-through status. */
  public static FailureKind ofStatus(int status, boolean hasRetryAfter) {
    return switch (status) {
      case 500, 502, 504, 520, 521, 522, 523, 524 -> FailureKind.SERVER_ERROR;
      case 503 -> hasRetryAfter ? FailureKind.RATE_LIMITED : FailureKind.SERVER_ERROR;
      case 529 -> FailureKind.OVERLOADED;
      case 408 -> FailureKind.REQUEST_TIMEOUT;
      case 429 -> FailureKind.RATE_LIMITED;
      case 401, 402, 403 -> FailureKind.AUTH;
      default -> null;
    };
  }

  public static boolean isEventStream(String contentType) {
    return contentType != null && startsWithIgnoreCase(contentType, "text/event-stream");
  }

  public static boolean isHtml(String contentType) {
    return contentType != null && startsWithIgnoreCase(contentType, "text/html");
  }

  public static boolean isJson(String contentType) {
    return contentType != null
        && (startsWithIgnoreCase(contentType, "application/json") || contentType.contains("+json"));
  }

  private static boolean startsWithIgnoreCase(String value, String prefix) {
    return value.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  /** Kind of a transport failure before any answer. */
  public static FailureKind ofException(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectionPoolTooBusyException) {
        return FailureKind.POOL_BUSY;
      }
      if (t instanceof SSLException) {
        return FailureKind.TLS;
      }
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException
          || t instanceof io.netty.channel.ConnectTimeoutException) {
        return FailureKind.CONNECT;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return FailureKind.RESET;
  }
}
