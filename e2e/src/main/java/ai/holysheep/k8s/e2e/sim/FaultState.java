package ai.holysheep.k8s.e2e.sim;

/** The current fault and how many more requests it applies to. Thread-safe. */
final class FaultState {
  private Fault fault;
  private int remaining;

  synchronized void set(Fault value) {
    fault = value;
    remaining = value.times();
  }

  synchronized void clear() {
    fault = null;
  }

  /** The fault as it stands (with the remaining count as {@code times}), or null. */
  synchronized Fault current() {
    return fault == null ? null : fault.withTimes(remaining);
  }

  /** Claims the fault for one request on {@code path}: {@link Fault#NONE} when none applies. */
  synchronized Fault claim(String path) {
    if (fault == null || !fault.matches(path)) {
      return Fault.NONE;
    }
    Fault claimed = fault;
    if (remaining != Fault.EVERY_REQUEST && --remaining == 0) {
      fault = null;
    }
    return claimed;
  }
}
