package ai.holysheep.k8s.sidecar.proxy;

import ai.holysheep.k8s.sidecar.cache.CachedResponse;
import ai.holysheep.k8s.sidecar.cache.StaleCache;
import ai.holysheep.k8s.sidecar.config.KeyStore;
import ai.holysheep.k8s.sidecar.route.RouteClass.Replay;
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
 * succeeded: 429 with the shortest {@code Retry-After} when every attempt was rate-limited, else
 * the last failure's status from the {@link FailureKind} table (502, 503, 504) with the upstream's
 * own error message when it sent one.
 */
final class FailureSummary {
  static final String RATE_LIMITED_MESSAGE =
      "every upstream is rate limited; retry after the time in Retry-After";

  /** Upstream messages are quoted up to this many characters. */
  static final int MAX_MESSAGE_CHARS = 500;

  private FailureKind lastFailure;
  private String lastMessage;
  private boolean allRateLimited = true;
  private boolean nothingSent = true;
  private Duration shortestRetryAfter;

  void record(FailureKind kind, Duration retryAfter, String message) {
    lastFailure = kind;
    if (message != null) {
      lastMessage =
          message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message;
    }
    if (kind.reached() != Replay.NOT_SENT) {
      nothingSent = false;
    }
    if (kind == FailureKind.RATE_LIMITED) {
      if (retryAfter != null
          && (shortestRetryAfter == null || retryAfter.compareTo(shortestRetryAfter) < 0)) {
        shortestRetryAfter = retryAfter;
      }
    } else {
      allRateLimited = false;
    }
  }

  /** True while no attempt got further than failing to connect. */
  boolean nothingSent() {
    return nothingSent;
  }

  /**
   * Answers after at least one attempt; returns the status sent.
   *
   * @param appMayRetry the sidecar could not retry itself (a body too large to replay that never
   *     reached an upstream), so the SDK should
   */
  int sendError(HttpServerResponse response, int attempts, String upstream, boolean appMayRetry) {
    FailureKind kind = lastFailure == null ? FailureKind.SERVER_ERROR : lastFailure;
    Long retryAfter = null;
    String message;
    int status;
    String code;
    if (allRateLimited && kind == FailureKind.RATE_LIMITED) {
      status = 429;
      code = kind.code();
      message = RATE_LIMITED_MESSAGE;
      retryAfter =
          RetryAfter.toHeaderSeconds(
              shortestRetryAfter == null ? Duration.ofSeconds(1) : shortestRetryAfter);
    } else {
      status = kind == FailureKind.RATE_LIMITED ? 502 : kind.finalStatus();
      code = kind == FailureKind.RATE_LIMITED ? "upstream_failed" : kind.code();
      message =
          "every upstream attempt failed ("
              + attempts
              + (attempts == 1 ? " attempt" : " attempts")
              + ", last: "
              + kind.label()
              + ")"
              + (lastMessage == null ? "" : ": " + lastMessage);
    }
    ErrorAnswers.send(
        response,
        status,
        "upstream_error",
        code,
        message,
        upstream,
        attempts,
        retryAfter,
        appMayRetry);
    return status;
  }

  /** Answers a request that found no upstream to try at all; returns the status sent. */
  static int sendNoUpstream(
      HttpServerResponse response, List<Upstream> all, Instant now, String model) {
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
    Duration wait = shortestRateLimit(all, now, model);
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

  private static Duration shortestRateLimit(List<Upstream> all, Instant now, String model) {
    Duration shortest = null;
    for (Upstream upstream : all) {
      Instant until = upstream.rateLimitedUntil(model);
      if (upstream.key() != null && until.isAfter(now)) {
        Duration wait = Duration.between(now, until);
        shortest = shortest == null || wait.compareTo(shortest) < 0 ? wait : shortest;
      }
    }
    return shortest;
  }
}
