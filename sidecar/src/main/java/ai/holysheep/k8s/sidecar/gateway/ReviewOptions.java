package ai.holysheep.k8s.sidecar.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * How callers' tokens are checked: the audience they must carry and how long TokenReview answers
 * are kept. Positive answers are fresh for {@code ttl}; while the API server fails they may serve
 * for {@code staleGrace} more (never past the token's own expiry), so a short API outage does not
 * take every AI call down. Rejections are kept for {@code denialTtl}, so a misconfigured client
 * does not turn each of its requests into an API call.
 */
public record ReviewOptions(
    String audience, Duration ttl, Duration denialTtl, Duration staleGrace, int maxEntries) {
  public static final String DEFAULT_AUDIENCE = "holysheep-gateway";
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
  public static final Duration DEFAULT_DENIAL_TTL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_STALE_GRACE = Duration.ofMinutes(5);

  /** Cached answers (tokens are keyed by their SHA-256, never kept in clear). */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  public ReviewOptions {
    Objects.requireNonNull(audience, "audience");
    if (audience.isBlank()) {
      throw new IllegalArgumentException("audience: empty; allowed: e.g. " + DEFAULT_AUDIENCE);
    }
    requirePositive("ttl", ttl);
    requirePositive("denialTtl", denialTtl);
    Objects.requireNonNull(staleGrace, "staleGrace");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries: " + maxEntries + "; allowed: at least 1");
    }
  }

  public static ReviewOptions defaults() {
    return new ReviewOptions(
        DEFAULT_AUDIENCE,
        DEFAULT_TTL,
        DEFAULT_DENIAL_TTL,
        DEFAULT_STALE_GRACE,
        DEFAULT_MAX_ENTRIES);
  }

  public ReviewOptions withAudience(String value) {
    return new ReviewOptions(value, ttl, denialTtl, staleGrace, maxEntries);
  }

  public ReviewOptions withTtl(Duration value) {
    return new ReviewOptions(audience, value, denialTtl, staleGrace, maxEntries);
  }

  static void requirePositive(String field, Duration value) {
    Objects.requireNonNull(value, field);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + ": " + value + "; allowed: more than 0");
    }
  }
}
