package ai.holysheep.k8s.e2e.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a finished run's raw material into its report and list of broken expectations. */
final class ChaosAnalysis {
  static final String NOT_BACK = "traffic did not return to the primary after it recovered";
  static final String LOG_INCOMPLETE =
      "upstream log incomplete (records lost before they were read)";
  static final String SIDECAR_DIED = "the sidecar process died";
  static final String PHASE_SKIPPED = "phase skipped (the simulator cannot produce the fault)";
  static final String LOG_SEVERE = "the sidecar logged SEVERE lines for faults it handles";

  /** Requests sent this long after the primary recovered must all be answered by it. */
  static final Duration SETTLE = Duration.ofMillis(500);

  /** A killed primary's records from this long before the kill may be lost with its process. */
  static final Duration KILL_LOOK_BEHIND = Duration.ofSeconds(2);

  private ChaosAnalysis() {}

  record Inputs(
      ChaosOptions options,
      String runId,
      long runStart,
      long loadEnd,
      List<PhaseTimes> phases,
      List<RequestOutcome> outcomes,
      SimLog simLog,
      BreakerSampler sampler,
      long maxLagMillis,
      Duration closeBound,
      boolean sidecarAlive,
      String machineLoad,
      io.vertx.core.json.JsonObject sidecarCounters,
      String sidecarJvm,
      double sidecarCpuSeconds) {}

  static ChaosReport analyse(Inputs in) throws java.io.IOException {
    Violations violations = new Violations();
    SidecarLog log = SidecarLog.read(in.options().outDir().resolve("logs").resolve("sidecar.log"));
    List<BreakerSampler.Transition> transitions = new ArrayList<>(in.sampler().transitions());
    transitions.addAll(log.transitions);
    transitions.sort(java.util.Comparator.comparingLong(BreakerSampler.Transition::at));
    log.severe.forEach((message, count) -> violations.add(LOG_SEVERE, count + " x " + message));
    Accounting accounting =
        new Accounting(
            in.phases(),
            transitions,
            in.options().sidecar().timeout().toMillis(),
            KILL_LOOK_BEHIND.toMillis(),
            violations);
    accounting.check(in.outcomes(), in.simLog().records());
    BreakerChecks breakers =
        new BreakerChecks(in.options(), in.sampler().transitions(), violations);
    breakers.checkFallback();
    List<PhaseStats> stats = stretches(in);
    for (RequestOutcome o : in.outcomes()) {
      for (PhaseStats s : stats) {
        if (s.contains(o.sentAt())) {
          s.count(o, accounting.recordsOf(o.id()).size());
          countNotBack(s, o, violations);
        }
      }
    }
    for (PhaseStats s : stats) {
      if (s.times != null) {
        s.breaker = breakers.check(s.times, in.closeBound());
        if (s.times.skipped() != null) {
          violations.add(PHASE_SKIPPED, s.label + ": " + s.times.skipped());
        }
      }
    }
    Map<String, Long> counted = in.simLog().counted();
    Map<String, Long> lost = in.simLog().lost();
    lost.forEach(
        (process, n) -> {
          if (n > 0) {
            violations.add(
                LOG_INCOMPLETE,
                process + ": " + n + " of " + counted.get(process) + " dropped unread");
          }
        });
    if (!in.sidecarAlive()) {
      violations.add(SIDECAR_DIED, "see logs/sidecar.log");
    }
    return new ChaosReport(in, stats, log.transitions, accounting, counted, lost, violations);
  }

  private static void countNotBack(PhaseStats s, RequestOutcome o, Violations violations) {
    PhaseTimes t = s.times;
    if (t == null || t.skipped() != null || t.recovered() < 0) {
      return;
    }
    if (o.sentAt() >= t.recovered() + SETTLE.toMillis()
        && o.sentAt() < t.end()
        && (o.verdict().success() || o.verdict() == Verdict.ERROR_EVENT)
        && !Topology.PRIMARY.equals(o.upstream())) {
      s.notBackOnPrimary++;
      violations.add(
          NOT_BACK,
          s.label
              + ": "
              + o.id()
              + " sent "
              + (o.sentAt() - t.recovered())
              + " ms after recovery, answered by "
              + o.upstream());
    }
  }

  private static List<PhaseStats> stretches(Inputs in) {
    List<PhaseStats> stats = new ArrayList<>();
    List<PhaseTimes> phases = in.phases();
    long firstStart = phases.isEmpty() ? in.loadEnd() : phases.get(0).start();
    stats.add(new PhaseStats("warm-up", null, in.runStart(), firstStart));
    for (int i = 0; i < phases.size(); i++) {
      PhaseTimes t = phases.get(i);
      long to = i + 1 < phases.size() ? phases.get(i + 1).start() : in.loadEnd() + 1;
      stats.add(new PhaseStats((i + 1) + ". " + t.fault().title(), t, t.start(), to));
    }
    return stats;
  }
}
