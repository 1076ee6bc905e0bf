package ai.holysheep.k8s.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-upstream breaker: opens after {@code failureThreshold} consecutive failures or when more than
 * {@code failureRateThreshold} percent of the last {@code slidingWindowSize} calls failed.
 */
public record CircuitBreakerSpec(
    boolean enabled,
    int failureThreshold,
    int failureRateThreshold,
    int slidingWindowSize,
    Duration resetTimeout) {
  public static final boolean DEFAULT_ENABLED = true;

  /** Consecutive failures. */
  public static final int DEFAULT_FAILURE_THRESHOLD = 5;

  /** Percent of the sliding window. */
  public static final int DEFAULT_FAILURE_RATE_THRESHOLD = 50;

  /** Calls. */
  public static final int DEFAULT_SLIDING_WINDOW_SIZE = 20;

  public static final Duration DEFAULT_RESET_TIMEOUT = Duration.ofSeconds(60);

  public CircuitBreakerSpec {
    Objects.requireNonNull(resetTimeout, "resetTimeout");
  }

  public static CircuitBreakerSpec defaults() {
    return new CircuitBreakerSpec(
        DEFAULT_ENABLED,
        DEFAULT_FAILURE_THRESHOLD,
        DEFAULT_FAILURE_RATE_THRESHOLD,
        DEFAULT_SLIDING_WINDOW_SIZE,
        DEFAULT_RESET_TIMEOUT);
  }
}
