package ai.holysheep.k8s.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Active checks: {@code GET {baseUrl}{endpoint}} every {@code interval} (jittered by the sidecar).
 */
public record HealthCheckSpec(boolean enabled, Duration interval, String endpoint) {
  public static final boolean DEFAULT_ENABLED = true;
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  /** Path appended to the upstream's baseUrl. */
  public static final String DEFAULT_ENDPOINT = "/models";

  public HealthCheckSpec {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(endpoint, "endpoint");
  }

  public static HealthCheckSpec defaults() {
    return new HealthCheckSpec(DEFAULT_ENABLED, DEFAULT_INTERVAL, DEFAULT_ENDPOINT);
  }
}
