package ai.holysheep.k8s.e2e.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The longest stretch of a run in which no answer ended although requests were in flight. At 200
 * req/s through a proxy that answers in about 150 ms, answers end every few milliseconds; a stretch
 * of seconds without one means some process on the path was not running: on a shared machine, one
 * the scheduler did not give a CPU. It is evidence to read beside the sidecar's own responsiveness
 * ({@link BreakerSampler#slowestPollMillis()}), never a check.
 *
 * @param from epoch ms the stretch began (the last answer before it, or the first send)
 * @param millis its length
 */
record Stall(long from, long millis) {
  static final Stall NONE = new Stall(0, 0);

  static Stall longest(List<RequestOutcome> outcomes) {
    // +1 at each send, -1 at each answer's end; at equal times ends first
    List<long[]> events = new ArrayList<>(outcomes.size() * 2);
    for (RequestOutcome o : outcomes) {
      events.add(new long[] {o.sentAt(), 1});
      events.add(new long[] {o.endedAt(), -1});
    }
    events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    Stall longest = NONE;
    int inFlight = 0;
    long since = 0;
    for (long[] event : events) {
      if (event[1] > 0) {
        if (inFlight++ == 0) {
          since = event[0];
        }
      } else {
        if (event[0] - since > longest.millis()) {
          longest = new Stall(since, event[0] - since);
        }
        since = event[0];
        inFlight--;
      }
    }
    return longest;
  }
}
