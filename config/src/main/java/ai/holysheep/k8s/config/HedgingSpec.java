package ai.holysheep.k8s.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Opt-in hedging for stateless routes: when no answer has arrived {@code delay} after the first
 * attempt started, a second upstream is tried too; the first answer wins and the other is cancelled
 * (never charged to its breaker). Off by default: a hedged call may run, and be billed, twice.
 */
public record HedgingSpec(boolean enabled, Duration delay) {
  public static final boolean DEFAULT_ENABLED = false;
  public static final Duration DEFAULT_DELAY = Duration.ofSeconds(30);

  public HedgingSpec {
    Objects.requireNonNull(delay, "delay");
  }

  public static HedgingSpec defaults() {
    return new HedgingSpec(DEFAULT_ENABLED, DEFAULT_DELAY);
  }
}
