package ai.holysheep.k8s.sidecar.proxy;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** Maps an upstream status or exception to what the attempt loop does with it. */
public final class Classifier {
  private Classifier() {}

  /** The failure kind of an answer status, or {@code null} when the answer goes to the app. */
  public static FailureKind ofStatus(int status) {
    return switch (status) {
      case 500, 502, 503, 504 -> FailureKind.SERVER_ERROR;
      case 429 -> FailureKind.RATE_LIMITED;
      case 401, 402, 403 -> FailureKind.AUTH;
      default -> null;
    };
  }

  /** True for statuses relayed as they are, never retried, never counted against a breaker. */
  public static boolean isPassThrough(int status) {
    return status < 200 || status >= 300 && ofStatus(status) == null;
  }

  /** Kind of a transport failure. */
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
