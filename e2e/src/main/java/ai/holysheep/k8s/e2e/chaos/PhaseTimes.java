package ai.holysheep.k8s.e2e.chaos;

/**
 * When one phase's steps happened (epoch milliseconds). {@code faultOn} is when the fault was
 * requested (a kill: when the signal was sent), {@code faultOff} when the simulator confirmed it
 * was cleared (a kill: when the new process was listening): together the widest window in which a
 * request can have met the fault. {@code recovered} is the first /status sample after {@code
 * faultOff} showing the primary closed and not rate-limited, or -1 when that did not happen within
 * the bound. {@code skipped} says why a phase did not run (the simulator refused its fault).
 */
public record PhaseTimes(
    int index,
    Phase phase,
    long start,
    long faultOn,
    long faultOff,
    long recovered,
    long end,
    String skipped) {

  public ChaosFault fault() {
    return phase.fault();
  }

  /** Whether a request the primary received at {@code at} met this phase's fault. */
  boolean covers(long at, long killLookBehindMillis) {
    if (skipped != null) {
      return false;
    }
    long from = fault() == ChaosFault.KILL ? faultOn - killLookBehindMillis : faultOn;
    return at >= from && at <= faultOff;
  }
}
