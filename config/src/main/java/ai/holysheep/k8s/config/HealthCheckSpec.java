package ai.holysheep.k8s.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Active checks: {@code GET {baseUrl}{endpoint}} every {@code interval} (jittered by the sidecar),
 * each bounded by {@code timeout}.
 */
public record HealthCheckSpec(
    boolean enabled, Duration interval, String endpoint, Duration timeout) {
  public static final boolean DEFAULT_ENABLED = true;
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  /** Path appended to the upstream's baseUrl. */
  public static final String DEFAULT_ENDPOINT = "/models";

  /**
   * A check without an answer by then failed. A model list answers in well under a second; this
   * bound decides how fast a hung upstream is found (see the sidecar's README).
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  public HealthCheckSpec {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** With the default {@code timeout}. */
  public HealthCheckSpec(boolean enabled, Duration interval, String endpoint) {
    this(enabled, interval, endpoint, DEFAULT_TIMEOUT);
  }

  public static HealthCheckSpec defaults() {
    return new HealthCheckSpec(DEFAULT_ENABLED, DEFAULT_INTERVAL, DEFAULT_ENDPOINT);
  }
}
