package ai.holysheep.k8s.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validated {@code HolySheepConfig.spec} with every default filled in. Build it with {@link
 * ConfigParser}; the constructor only checks for nulls. The primary's key comes from {@code
 * apiKeySecretRef} or {@code apiKeyFile}, exactly one of them; {@code caFile} and {@code caPem}
 * (inline CA certificates) are nullable.
 */
public record HolySheepConfig(
    String baseUrl,
    SecretKeyRef apiKeySecretRef,
    boolean allowInsecure,
    String caFile,
    Duration connectTimeout,
    Duration timeout,
    Duration responseTimeout,
    Duration streamIdleTimeout,
    int maxRetries,
    CircuitBreakerSpec circuitBreaker,
    HealthCheckSpec healthCheck,
    List<FallbackSpec> fallbacks,
    CacheSpec cache,
    HedgingSpec hedging,
    long maxEventSizeBytes,
    String apiKeyFile,
    String caPem) {
  public static final String DEFAULT_BASE_URL = "https://api.holysheep.ai/v1";
  public static final SecretKeyRef DEFAULT_API_KEY_SECRET_REF =
      new SecretKeyRef("holysheep-credentials", "api-key");
  public static final boolean DEFAULT_ALLOW_INSECURE = false;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(600);
  public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** Extra attempts after the first, across upstreams. */
  public static final int DEFAULT_MAX_RETRIES = 3;

  /**
   * Bytes of one server-sent event (16 MiB): large enough for a streamed partial image, small
   * enough that a broken upstream cannot fill the sidecar's heap.
   */
  public static final long DEFAULT_MAX_EVENT_SIZE_BYTES = 16L * 1024 * 1024;

  /** Name of the primary upstream in {@link #upstreams()}, metrics and /status. */
  public static final String PRIMARY_NAME = "primary";

  /** Env variable with the primary's key; the N-th fallback uses this plus {@code _N}. */
  public static final String PRIMARY_KEY_ENV = "HOLYSHEEP_API_KEY";

  private static final int HASH_HEX_CHARS = 16;

  public HolySheepConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    UpstreamSpec.requireOneKeySource(apiKeySecretRef, apiKeyFile);
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    Objects.requireNonNull(streamIdleTimeout, "streamIdleTimeout");
    Objects.requireNonNull(circuitBreaker, "circuitBreaker");
    Objects.requireNonNull(healthCheck, "healthCheck");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(hedging, "hedging");
    fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
  }

  /** The spec with nothing set: every field at its documented default. */
  public static HolySheepConfig defaults() {
    return new HolySheepConfig(
        DEFAULT_BASE_URL,
        DEFAULT_API_KEY_SECRET_REF,
        DEFAULT_ALLOW_INSECURE,
        null,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_TIMEOUT,
        DEFAULT_RESPONSE_TIMEOUT,
        DEFAULT_STREAM_IDLE_TIMEOUT,
        DEFAULT_MAX_RETRIES,
        CircuitBreakerSpec.defaults(),
        HealthCheckSpec.defaults(),
        List.of(),
        CacheSpec.defaults(),
        HedgingSpec.defaults(),
        DEFAULT_MAX_EVENT_SIZE_BYTES,
        null,
        null);
  }

  /** The primary (named {@value #PRIMARY_NAME}) then the fallbacks, in the order they are tried. */
  public List<UpstreamSpec> upstreams() {
    List<UpstreamSpec> upstreams = new ArrayList<>(fallbacks.size() + 1);
    upstreams.add(
        new UpstreamSpec(
            PRIMARY_NAME,
            baseUrl,
            apiKeySecretRef,
            PRIMARY_KEY_ENV,
            allowInsecure,
            caFile,
            apiKeyFile,
            caPem,
            Map.of()));
    for (int i = 0; i < fallbacks.size(); i++) {
      FallbackSpec f = fallbacks.get(i);
      upstreams.add(
          new UpstreamSpec(
              f.name(),
              f.baseUrl(),
              f.apiKeySecretRef(),
              PRIMARY_KEY_ENV + "_" + (i + 1),
              f.allowInsecure(),
              f.caFile(),
              f.apiKeyFile(),
              f.caPem(),
              f.models()));
    }
    return List.copyOf(upstreams);
  }

  /**
   * Compact JSON with every field in schema order, defaults filled and durations and sizes as
   * strings ({@code "30s"}, {@code "16Mi"}); {@link ConfigParser#parse(String)} reads it back to an
   * equal config.
   */
  public String toCanonicalJson() {
    return CanonicalJson.write(this);
  }

  /** The first 16 hex characters of the SHA-256 of {@link #toCanonicalJson()}. */
  public String hash() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(toCanonicalJson().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-256", e);
    }
  }
}
