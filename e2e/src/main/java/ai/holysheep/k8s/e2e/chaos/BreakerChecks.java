package ai.holysheep.k8s.e2e.chaos;

import java.time.Duration;
import java.util.List;

/**
 * The breaker assertions, from the /status history: the primary's breaker opens within its bound
 * after a fault that fails requests starts ({@code tolerance}, plus {@code timeout} for a hang
 * whose failures only show after it), stays closed through faults that must not open it, is closed
 * again within {@code resetTimeout + timeout + healthCheck.interval + tolerance} after the fault
 * ends, and the healthy fallback's breaker never opens.
 */
final class BreakerChecks {
  static final String DID_NOT_OPEN = "primary breaker did not open during the fault";
  static final String OPENED_LATE = "primary breaker opened later than its bound";
  static final String OPENED_UNEXPECTEDLY =
      "primary breaker opened on a fault that must not open it";
  static final String DID_NOT_RECOVER =
      "primary breaker not closed within its bound after the fault";
  static final String FALLBACK_OPENED = "the healthy fallback's breaker opened";

  /** When the breaker opened, relative to the fault start, or -1. */
  record Figures(long openedAfterMs, long closedAfterMs) {}

  private final ChaosOptions options;
  private final List<BreakerSampler.Transition> transitions;
  private final Violations violations;

  BreakerChecks(
      ChaosOptions options, List<BreakerSampler.Transition> transitions, Violations violations) {
    this.options = options;
    this.transitions = transitions;
    this.violations = violations;
  }

  /** The longest after a fault starts that the primary's breaker may take to open. */
  static Duration openBound(ChaosOptions options, ChaosFault fault) {
    Duration bound = options.tolerance();
    return fault.failsAfterTimeout() ? bound.plus(options.sidecar().timeout()) : bound;
  }

  Duration openBound(ChaosFault fault) {
    return openBound(options, fault);
  }

  void checkFallback() {
    for (BreakerSampler.Transition t : transitions) {
      if (t.upstream().equals(Topology.FALLBACK) && t.to().equals("open")) {
        violations.add(FALLBACK_OPENED, "at " + t.at() + " (" + t.from() + " -> open)");
      }
    }
  }

  Figures check(PhaseTimes phase, Duration closeBound) {
    if (phase.skipped() != null) {
      return new Figures(-1, -1);
    }
    long opened = firstOpen(phase.faultOn() - BreakerSampler.INTERVAL.toMillis(), phase.end());
    String label = phase.fault().name();
    if (phase.fault().breaker() == ChaosFault.BreakerExpectation.OPENS) {
      if (opened < 0) {
        violations.add(
            DID_NOT_OPEN, label + ": fault on " + (phase.faultOff() - phase.faultOn()) + " ms");
      } else if (opened - phase.faultOn() > openBound(phase.fault()).toMillis()) {
        violations.add(
            OPENED_LATE,
            label
                + ": opened "
                + (opened - phase.faultOn())
                + " ms after the fault, bound "
                + openBound(phase.fault()).toMillis()
                + " ms");
      }
    } else if (phase.fault().breaker() == ChaosFault.BreakerExpectation.STAYS_CLOSED
        && opened >= 0) {
      violations.add(
          OPENED_UNEXPECTEDLY,
          label + ": opened " + (opened - phase.faultOn()) + " ms after the fault");
    }
    if (phase.recovered() < 0) {
      violations.add(
          DID_NOT_RECOVER,
          label + ": still not closed " + closeBound.toMillis() + " ms after the fault ended");
    }
    return new Figures(
        opened < 0 ? -1 : opened - phase.faultOn(),
        phase.recovered() < 0 ? -1 : phase.recovered() - phase.faultOff());
  }

  /** The first primary open in [from, to]: the sidecar's openedAt, else the sample time. */
  private long firstOpen(long from, long to) {
    for (BreakerSampler.Transition t : transitions) {
      if (!t.upstream().equals(Topology.PRIMARY)) {
        continue;
      }
      long at = t.openedAt() > 0 ? t.openedAt() : t.to().equals("open") ? t.at() : -1;
      if (at >= from && at <= to) {
        return at;
      }
    }
    return -1;
  }
}
