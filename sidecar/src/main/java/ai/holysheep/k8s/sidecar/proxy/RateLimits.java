package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.upstream.RetryAfter;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;

/** Reads an answer's rate-limit hint ({@code retry-after-ms}, {@code Retry-After}). */
final class RateLimits {
  static final String RETRY_AFTER_MS = "retry-after-ms";

  private RateLimits() {}

  /** The wait the answer asks for, or null when it names none. */
  static Duration retryAfter(HttpClientResponse response, Instant now) {
    String millis = response.getHeader(RETRY_AFTER_MS);
    String seconds = response.getHeader(HttpHeaders.RETRY_AFTER);
    if (millis == null && seconds == null) {
      return null;
    }
    return RetryAfter.parse(millis, seconds, now);
  }
}
