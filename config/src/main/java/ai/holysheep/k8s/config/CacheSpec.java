package ai.holysheep.k8s.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The stale-if-error cache. {@code redisUrl} is null unless set; {@code redisSecretRef} is null
 * when Redis needs no password.
 */
public record CacheSpec(
    CacheMode mode,
    Duration ttl,
    long memoryLimitBytes,
    long maxEntryBytes,
    String redisUrl,
    SecretKeyRef redisSecretRef) {
  public static final CacheMode DEFAULT_MODE = CacheMode.OFF;
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

  /** Bytes (16Mi). */
  public static final long DEFAULT_MEMORY_LIMIT_BYTES = 16L * 1024 * 1024;

  /** Bytes (1Mi). */
  public static final long DEFAULT_MAX_ENTRY_BYTES = 1024L * 1024;

  public CacheSpec {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(ttl, "ttl");
  }

  public static CacheSpec defaults() {
    return new CacheSpec(
        DEFAULT_MODE, DEFAULT_TTL, DEFAULT_MEMORY_LIMIT_BYTES, DEFAULT_MAX_ENTRY_BYTES, null, null);
  }
}
