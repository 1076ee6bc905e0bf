package ai.holysheep.k8s.e2e.chaos;

import java.io.IOException;
import java.time.Duration;

/**
 * Puts each phase's fault on the primary, takes it off after its hold, then waits (bounded) for the
 * sidecar to report the primary recovered and watches traffic for {@code observe}. Runs on the
 * orchestrating thread; its pauses are the schedule itself, not waits for a race.
 */
final class PhaseRunner {
  /** How often the recovery wait looks at the latest /status sample. */
  static final Duration RECOVERY_POLL = Duration.ofMillis(50);

  private final ChaosOptions options;
  private final Topology topology;
  private final FaultSwitch faults;
  private final SimLog simLog;
  private final BreakerSampler sampler;

  PhaseRunner(
      ChaosOptions options,
      Topology topology,
      AdminHttp http,
      SimLog simLog,
      BreakerSampler sampler) {
    this.options = options;
    this.topology = topology;
    this.faults = new FaultSwitch(topology, http);
    this.simLog = simLog;
    this.sampler = sampler;
  }

  /** The longest a primary may take to be closed again after its fault ended. */
  Duration closeBound() {
    ChaosOptions.SidecarTiming t = options.sidecar();
    return t.resetTimeout().plus(t.timeout()).plus(t.healthInterval()).plus(options.tolerance());
  }

  PhaseTimes run(int index, Phase phase) throws IOException, InterruptedException {
    long start = System.currentTimeMillis();
    if (phase.fault() == ChaosFault.KILL) {
      // the killed process's log dies with it: read it first
      simLog.read(Topology.PRIMARY, topology.primaryIncarnation(), topology.primaryRoot());
    }
    long faultOn = System.currentTimeMillis();
    String refused = faults.on(phase.fault());
    if (refused != null) {
      return new PhaseTimes(
          index, phase, start, faultOn, faultOn, faultOn, System.currentTimeMillis(), refused);
    }
    Thread.sleep(phase.hold().toMillis());
    faults.off(phase.fault());
    long faultOff = System.currentTimeMillis();
    long recovered = awaitRecovery(phase.fault(), faultOn, faultOff);
    Thread.sleep(options.observe().toMillis());
    return new PhaseTimes(
        index, phase, start, faultOn, faultOff, recovered, System.currentTimeMillis(), null);
  }

  /**
   * The first /status sample showing the primary closed and not rate-limited, taken after the fault
   * ended, after its {@code Retry-After} (the sidecar may keep a per-model limit that /status does
   * not show) and, for a fault that must open the breaker, after it opened (a hang only fails
   * requests after {@code timeout}, possibly after the fault ended); -1 when none came in time.
   */
  private long awaitRecovery(ChaosFault fault, long faultOn, long faultOff)
      throws InterruptedException {
    long notBefore = faultOff + fault.retryAfter().toMillis();
    if (fault.breaker() == ChaosFault.BreakerExpectation.OPENS) {
      long openDeadline = faultOn + BreakerChecks.openBound(options, fault).toMillis();
      long since = faultOn - BreakerSampler.INTERVAL.toMillis();
      while (sampler.openedSince(Topology.PRIMARY, since) < 0
          && System.currentTimeMillis() < openDeadline) {
        Thread.sleep(RECOVERY_POLL.toMillis());
      }
      notBefore = Math.max(notBefore, sampler.openedSince(Topology.PRIMARY, since));
    }
    long deadline = faultOff + closeBound().toMillis();
    while (System.currentTimeMillis() < deadline) {
      BreakerSampler.Seen seen = sampler.latest(Topology.PRIMARY);
      if (seen != null
          && seen.at() > notBefore
          && seen.breaker().equals("closed")
          && seen.rateLimitedUntil() <= seen.at()) {
        return seen.at();
      }
      Thread.sleep(RECOVERY_POLL.toMillis());
    }
    return -1;
  }
}
