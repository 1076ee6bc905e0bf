package ai.holysheep.k8s.sidecar.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Priority choice: the first upstream (primary, then fallbacks in order) that has a key, is not
 * rate-limited and whose breaker gives a permission, preferring those this request has not tried.
 * Then a rate-limited one whose wait fits the deadline. Then, when every breaker is open, the one
 * that opened first (panic mode) rather than failing fast.
 */
public final class UpstreamSelector {
  private UpstreamSelector() {}

  /**
   * @param tried upstreams this request already used
   * @param untriedOnly only consider upstreams not in {@code tried} (hedging)
   * @param allowPanic whether panic mode may still be used by this request
   * @param model the request's model (rate limits may be per model), or null
   * @return a selection, or {@code null} when none fits
   */
  public static Selection select(
      List<Upstream> upstreams,
      Set<Upstream> tried,
      Instant now,
      Duration remaining,
      boolean untriedOnly,
      boolean allowPanic,
      String model) {
    boolean anyKey = false;
    for (int pass = 0; pass < (untriedOnly ? 1 : 2); pass++) {
      for (Upstream upstream : upstreams) {
        if (tried.contains(upstream) == (pass == 0) || upstream.key() == null) {
          continue;
        }
        anyKey = true;
        if (upstream.rateLimitedUntil(model).isAfter(now)) {
          continue;
        }
        if (upstream.breaker().tryAcquirePermission()) {
          return new Selection(upstream, true, false, Duration.ZERO);
        }
      }
    }
    if (!anyKey) {
      return null;
    }
    Selection waiting = shortestFittingWait(upstreams, tried, now, remaining, untriedOnly, model);
    if (waiting != null) {
      return waiting;
    }
    return allowPanic ? panic(upstreams, tried, untriedOnly) : null;
  }

  private static Selection shortestFittingWait(
      List<Upstream> upstreams,
      Set<Upstream> tried,
      Instant now,
      Duration remaining,
      boolean untriedOnly,
      String model) {
    Upstream best = null;
    Duration bestWait = null;
    for (Upstream upstream : upstreams) {
      if (upstream.key() == null || (untriedOnly && tried.contains(upstream))) {
        continue;
      }
      Duration wait = Duration.between(now, upstream.rateLimitedUntil(model));
      if (wait.isNegative()
          || wait.compareTo(remaining) >= 0
          || upstream.breaker().state() == BreakerState.OPEN) {
        continue;
      }
      if (bestWait == null || wait.compareTo(bestWait) < 0) {
        best = upstream;
        bestWait = wait;
      }
    }
    if (best == null || !best.breaker().tryAcquirePermission()) {
      return null;
    }
    return new Selection(best, true, false, bestWait);
  }

  private static Selection panic(
      List<Upstream> upstreams, Set<Upstream> tried, boolean untriedOnly) {
    Upstream firstOpened = null;
    for (Upstream upstream : upstreams) {
      if (upstream.key() == null) {
        continue;
      }
      Instant openedAt = upstream.breaker().openedAt();
      if (openedAt == null) {
        return null;
      }
      if (untriedOnly && tried.contains(upstream)) {
        continue;
      }
      if (firstOpened == null || openedAt.isBefore(firstOpened.breaker().openedAt())) {
        firstOpened = upstream;
      }
    }
    return firstOpened == null ? null : new Selection(firstOpened, false, true, Duration.ZERO);
  }

  /** True when no upstream has a key at all. */
  public static boolean noneHasKey(List<Upstream> upstreams) {
    for (Upstream upstream : upstreams) {
      if (upstream.key() != null) {
        return false;
      }
    }
    return true;
  }
}
