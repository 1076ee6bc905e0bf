package ai.holysheep.k8s.sidecar.upstream;

import java.time.Duration;

/**
 * How the sidecar paces sending a request to an upstream it already tried for that request.
 *
 * @param budgetRatio retries may be at most this share of the recent attempts to an upstream
 * @param minRetries retries always allowed per window, however few the attempts (the floor)
 * @param window how far back "recent" reaches
 * @param backoffBase the first retry of an upstream waits between half of this and this; each
 *     further one twice as long
 * @param backoffMax the longest wait between two attempts on one upstream
 */
public record RetryOptions(
    double budgetRatio,
    int minRetries,
    Duration window,
    Duration backoffBase,
    Duration backoffMax) {

  /** As Envoy's retry budget: one retry for every five attempts. */
  public static final double DEFAULT_BUDGET_RATIO = 0.2;

  /** Retries per window a quiet upstream always gets (Envoy: min_retry_concurrency 3). */
  public static final int DEFAULT_MIN_RETRIES = 10;

  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(100);
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(2);

  public static RetryOptions defaults() {
    return new RetryOptions(
        DEFAULT_BUDGET_RATIO,
        DEFAULT_MIN_RETRIES,
        DEFAULT_WINDOW,
        DEFAULT_BACKOFF_BASE,
        DEFAULT_BACKOFF_MAX);
  }

  /**
   * The wait before the {@code n}-th retry (1, 2, …) of one upstream: {@code base * 2^(n-1)},
   * capped, of which the first half is fixed and the second half random ("equal jitter"), so
   * retries of many requests spread out but never follow each other at once.
   */
  public Duration backoff(int n, double random) {
    long base = backoffBase.toMillis();
    long ceiling = Math.min(backoffMax.toMillis(), base << Math.min(20, Math.max(0, n - 1)));
    return Duration.ofMillis(ceiling / 2 + (long) (random * (ceiling - ceiling / 2)));
  }
}
