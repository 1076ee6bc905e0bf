package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.cache.CachedResponse;
import ai.holysheep.k8s.sidecar.cache.StaleCache;
import ai.holysheep.k8s.sidecar.config.KeyStore;
import ai.holysheep.k8s.sidecar.upstream.RetryAfter;
import ai.holysheep.k8s.sidecar.upstream.Upstream;
import ai.holysheep.k8s.sidecar.upstream.UpstreamSelector;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What went wrong across one request's attempts, and the answer the app gets when no attempt
 * succeeded: 429 with the shortest {@code Retry-After} when every attempt was rate-limited, 504
 * after a time-out, 503 for a missing key or local overload, else 502.
 */
final class FailureSummary {
  static final String RATE_LIMITED_MESSAGE =
      "every upstream is rate limited; retry after the time in Retry-After";

  private FailureKind lastFailure;
  private boolean allRateLimited = true;
  private Duration shortestRetryAfter;

  void record(FailureKind kind, Duration retryAfter) {
    lastFailure = kind;
    if (kind == FailureKind.RATE_LIMITED) {
      if (retryAfter != null
          && (shortestRetryAfter == null || retryAfter.compareTo(shortestRetryAfter) < 0)) {
        shortestRetryAfter = retryAfter;
      }
    } else {
      allRateLimited = false;
    }
  }

  /** Answers after at least one attempt; returns the status sent. */
  int sendError(HttpServerResponse response, int attempts, String upstream) {
    int status;
    String code;
    String message;
    Long retryAfter = null;
    if (allRateLimited && lastFailure == FailureKind.RATE_LIMITED) {
      status = 429;
      code = "rate_limit_exceeded";
      message = RATE_LIMITED_MESSAGE;
      retryAfter =
          RetryAfter.toHeaderSeconds(
              shortestRetryAfter == null ? Duration.ofSeconds(1) : shortestRetryAfter);
    } else if (lastFailure == FailureKind.TIMEOUT) {
      status = 504;
      code = "upstream_timeout";
      message = "no upstream answered in time (" + attempts + " attempts)";
    } else if (lastFailure == FailureKind.POOL_BUSY) {
      status = 503;
      code = "sidecar_overloaded";
      message = "too many requests are waiting for an upstream connection";
    } else {
      status = 502;
      code = "upstream_failed";
      message =
          "every upstream attempt failed ("
              + attempts
              + " attempts, last: "
              + (lastFailure == null ? "unknown" : lastFailure.label())
              + ")";
    }
    ErrorAnswers.send(
        response, status, "upstream_error", code, message, upstream, attempts, retryAfter);
    return status;
  }

  /** Answers a request that found no upstream to try at all; returns the status sent. */
  static int sendNoUpstream(HttpServerResponse response, List<Upstream> all, Instant now) {
    if (UpstreamSelector.noneHasKey(all)) {
      StringBuilder message = new StringBuilder("no usable upstream: no API key for ");
      for (int i = 0; i < all.size(); i++) {
        Upstream upstream = all.get(i);
        message.append(i == 0 ? "" : "; ").append(upstream.name()).append(" (");
        message.append(KeyStore.describeExpectedLocation(upstream.spec())).append(')');
      }
      ErrorAnswers.send(
          response, 503, "upstream_error", "missing_api_key", message.toString(), null, 0, null);
      return 503;
    }
    Duration wait = shortestRateLimit(all, now);
    if (wait != null) {
      ErrorAnswers.send(
          response,
          429,
          "upstream_error",
          "rate_limit_exceeded",
          RATE_LIMITED_MESSAGE,
          null,
          0,
          RetryAfter.toHeaderSeconds(wait));
      return 429;
    }
    ErrorAnswers.send(
        response,
        503,
        "upstream_error",
        "no_upstream_available",
        "no upstream is available",
        null,
        0,
        null);
    return 503;
  }

  /** Serves a stale cached answer, marked as such. */
  static void sendStale(HttpServerResponse response, CachedResponse cached, int attempts) {
    response
        .setStatusCode(cached.status())
        .putHeader(StaleCache.CACHE_HEADER, StaleCache.CACHE_HEADER_STALE)
        .putHeader(HttpHeaders.AGE, cached.ageHeader())
        .putHeader(ErrorAnswers.UPSTREAM_HEADER, cached.upstream())
        .putHeader(ErrorAnswers.ATTEMPTS_HEADER, Integer.toString(attempts));
    if (cached.contentType() != null) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, cached.contentType());
    }
    response.end(cached.body());
  }

  private static Duration shortestRateLimit(List<Upstream> all, Instant now) {
    Duration shortest = null;
    for (Upstream upstream : all) {
      if (upstream.key() != null && upstream.rateLimitedUntil().isAfter(now)) {
        Duration wait = Duration.between(now, upstream.rateLimitedUntil());
        shortest = shortest == null || wait.compareTo(shortest) < 0 ? wait : shortest;
      }
    }
    return shortest;
  }
}
