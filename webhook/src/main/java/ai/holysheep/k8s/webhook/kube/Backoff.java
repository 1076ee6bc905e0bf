package ai.holysheep.k8s.webhook.kube;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: after the n-th failure in a row, wait a random time between half
 * and all of {@code min(first × 2^(n-1), max)}. Replicas that keep meeting each other's writes
 * drift apart instead of retrying in lock step.
 */
record Backoff(Duration first, Duration max, DoubleSupplier random) {
  /** After the first overwritten caBundle patch. */
  static final Duration FIRST = Duration.ofSeconds(1);

  /** Never longer than this between attempts. */
  static final Duration MAX = Duration.ofMinutes(1);

  static Backoff standard() {
    return new Backoff(FIRST, MAX, Math::random);
  }

  Duration after(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    Duration full = first.multipliedBy(1L << Math.min(failures - 1, 30));
    if (full.compareTo(max) > 0 || full.isNegative()) {
      full = max;
    }
    long half = full.toMillis() / 2;
    return Duration.ofMillis(half + (long) (random.getAsDouble() * (full.toMillis() - half)));
  }
}
