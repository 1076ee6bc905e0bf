package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.json.JsonObject;

/** Counts and times of one stretch of the run (a phase, or the warm-up before the first fault). */
final class PhaseStats {
  final String label;
  final PhaseTimes times;
  final long from;
  final long to;
  int sent;
  int jsonOk;
  int jsonFailed;
  int streamsCompleted;
  int streamsErrorEvent;
  int streamsOther;
  int multiUpstream;
  int servedByFallback;
  int notBackOnPrimary;
  BreakerChecks.Figures breaker = new BreakerChecks.Figures(-1, -1);
  private final java.util.List<Long> millis = new java.util.ArrayList<>();

  PhaseStats(String label, PhaseTimes times, long from, long to) {
    this.label = label;
    this.times = times;
    this.from = from;
    this.to = to;
  }

  boolean contains(long sentAt) {
    return sentAt >= from && sentAt < to;
  }

  void count(RequestOutcome o, int upstreamsReached) {
    sent++;
    millis.add(o.endedAt() - o.sentAt());
    if (!o.stream()) {
      if (o.verdict() == Verdict.OK) {
        jsonOk++;
      } else {
        jsonFailed++;
      }
    } else if (o.verdict() == Verdict.COMPLETED) {
      streamsCompleted++;
    } else if (o.verdict() == Verdict.ERROR_EVENT) {
      streamsErrorEvent++;
    } else {
      streamsOther++;
    }
    if (upstreamsReached > 1) {
      multiUpstream++;
    }
    if (Topology.FALLBACK.equals(o.upstream())) {
      servedByFallback++;
    }
  }

  /** The {@code share} percentile of the time from sending to the answer's end, or -1. */
  long latencyMillis(double share) {
    if (millis.isEmpty()) {
      return -1;
    }
    java.util.List<Long> sorted = new java.util.ArrayList<>(millis);
    java.util.Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(share * sorted.size()) - 1));
  }

  JsonObject toJson(long runStart) {
    JsonObject json =
        new JsonObject()
            .put("phase", label)
            .put("fromS", seconds(from - runStart))
            .put("toS", seconds(to - runStart))
            .put("sent", sent)
            .put("jsonOk", jsonOk)
            .put("jsonFailed", jsonFailed)
            .put("streamsCompleted", streamsCompleted)
            .put("streamsErrorEvent", streamsErrorEvent)
            .put("streamsOther", streamsOther)
            .put("reachedTwoUpstreams", multiUpstream)
            .put("servedByFallback", servedByFallback)
            .put("p50Ms", latencyMillis(0.50))
            .put("p99Ms", latencyMillis(0.99));
    if (times != null) {
      json.put("fault", times.fault().name())
          .put("title", times.fault().title())
          .put("skipped", times.skipped())
          .put("faultOnS", seconds(times.faultOn() - runStart))
          .put("faultOffS", seconds(times.faultOff() - runStart))
          .put("breakerOpenedAfterMs", breaker.openedAfterMs())
          .put("breakerClosedAfterMs", breaker.closedAfterMs())
          .put("notBackOnPrimary", notBackOnPrimary);
    }
    return json;
  }

  static double seconds(long millis) {
    return Math.round(millis / 100.0) / 10.0;
  }
}
