package ai.holysheep.k8s.sidecar.upstream;

import java.time.Clock;

/**
 * The retry budget of one upstream (as Envoy's): a request may be sent again to an upstream it
 * already tried only while the retries of the last {@code window} stay under {@code budgetRatio} of
 * the attempts, with a floor of {@code minRetries}. Clients that ignore {@code x-should-retry}
 * (some retry six times) then multiply the load on a failing upstream by at most 1.25, not by 1 +
 * maxRetries. Counts sit in ten buckets on the injected clock; the lock is held for a few
 * additions.
 */
public final class RetryBudget {
  static final int BUCKETS = 10;

  private final RetryOptions options;
  private final Clock clock;
  private final long bucketMillis;
  private final long[] attempts = new long[BUCKETS];
  private final long[] retries = new long[BUCKETS];
  private final long[] bucketStart = new long[BUCKETS];

  public RetryBudget(RetryOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
    this.bucketMillis = Math.max(1, options.window().toMillis() / BUCKETS);
  }

  public RetryOptions options() {
    return options;
  }

  /** An attempt that is not a retry of this upstream. */
  public synchronized void recordAttempt() {
    attempts[bucket()]++;
  }

  /** Takes one retry from the budget; false when it is spent. */
  public synchronized boolean tryRetry() {
    int current = bucket();
    long recentAttempts = 0;
    long recentRetries = 0;
    for (int i = 0; i < BUCKETS; i++) {
      recentAttempts += attempts[i];
      recentRetries += retries[i];
    }
    double allowed = Math.max(options.minRetries(), options.budgetRatio() * recentAttempts);
    if (recentRetries + 1 > allowed) {
      return false;
    }
    retries[current]++;
    attempts[current]++;
    return true;
  }

  /** The bucket of now, emptying buckets that fell out of the window. */
  private int bucket() {
    long now = clock.millis();
    long slot = Math.floorDiv(now, bucketMillis);
    int index = (int) Math.floorMod(slot, (long) BUCKETS);
    if (bucketStart[index] != slot) {
      bucketStart[index] = slot;
      attempts[index] = 0;
      retries[index] = 0;
    }
    for (int i = 0; i < BUCKETS; i++) {
      if (slot - bucketStart[i] >= BUCKETS) {
        attempts[i] = 0;
        retries[i] = 0;
        bucketStart[i] = slot - BUCKETS;
      }
    }
    return index;
  }
}
