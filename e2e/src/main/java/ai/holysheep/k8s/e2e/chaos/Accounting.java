package ai.holysheep.k8s.e2e.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Correlates what the app saw with what the upstreams received, by {@code x-request-id}: every
 * upstream request belongs to a request the load sent; an answer names an upstream that recorded
 * it; a request that reached a second upstream (or the same one twice) first met a fault on the
 * primary that fails that kind of request; a stream ended with the error event only where a fault
 * breaks committed streams.
 */
final class Accounting {
  static final String JSON_FAILED = "JSON request failed (app-visible)";
  static final String STREAM_SILENT = "stream neither completed nor ended with the error event";
  static final String STREAM_REFUSED =
      "stream answered with an HTTP error though the fallback was healthy";
  static final String ERROR_EVENT_UNEXPECTED = "stream error event without a fault after commit";
  static final String DOUBLE_SEND =
      "request reached an upstream again or another one without failing on the first";
  static final String UNRECORDED = "answer from an upstream that has no record of the request";
  static final String PHANTOM = "upstream request the load never sent";
  static final String ATTEMPTS = "more upstream requests than x-holysheep-attempts";
  static final String NOT_SENT = "request not sent (load generator saturated)";

  /** Reason: a stream's next attempt came a whole {@code timeout} after this one. */
  static final String FIRST_EVENT_TIMEOUT = "FIRST_EVENT_TIMEOUT";

  /** Reason: the upstream's breaker opened while the request waited on it. */
  static final String BREAKER_OPENED = "BREAKER_OPENED_WHILE_WAITING";

  /** Timestamps come from different processes' clocks reading (same machine): a little slack. */
  static final long CLOCK_SLACK_MILLIS = 50;

  private final List<PhaseTimes> phases;
  private final List<BreakerSampler.Transition> transitions;
  private final long timeoutMillis;
  private final long killLookBehind;
  private final Violations violations;
  private final Map<String, List<UpstreamRecord>> byId = new HashMap<>();

  /** JSON calls the primary cut mid-answer that ended, as DESIGN wants, with an explicit error. */
  int jsonCut;

  /** Requests that reached more than one upstream, by the fault that justified it ("" = none). */
  final Map<String, Integer> multiUpstreamReasons = new LinkedHashMap<>();

  Accounting(
      List<PhaseTimes> phases,
      List<BreakerSampler.Transition> transitions,
      long timeoutMillis,
      long killLookBehind,
      Violations violations) {
    this.phases = phases;
    this.transitions = transitions;
    this.timeoutMillis = timeoutMillis;
    this.killLookBehind = killLookBehind;
    this.violations = violations;
  }

  void check(List<RequestOutcome> outcomes, List<UpstreamRecord> records) {
    Set<String> sent = new HashSet<>();
    outcomes.forEach(o -> sent.add(o.id()));
    for (UpstreamRecord r : records) {
      if (r.healthCheck()) {
        continue;
      }
      if (r.requestId() == null || !sent.contains(r.requestId())) {
        violations.add(
            PHANTOM, r.upstream() + " " + r.method() + " " + r.path() + " id=" + r.requestId());
        continue;
      }
      byId.computeIfAbsent(r.requestId(), id -> new ArrayList<>()).add(r);
    }
    byId.values().forEach(list -> list.sort(Comparator.comparingLong(UpstreamRecord::receivedAt)));
    outcomes.forEach(this::check);
  }

  List<UpstreamRecord> recordsOf(String id) {
    return byId.getOrDefault(id, List.of());
  }

  private void check(RequestOutcome o) {
    List<UpstreamRecord> recs = recordsOf(o.id());
    checkVerdict(o, recs);
    boolean answered =
        o.upstream() != null && (o.verdict().success() || o.verdict() == Verdict.ERROR_EVENT);
    UpstreamRecord serving = recs.isEmpty() ? null : recs.get(recs.size() - 1);
    if (answered) {
      serving = lastOn(recs, o.upstream());
      if (serving == null && !lostAtKill(o)) {
        violations.add(UNRECORDED, describe(o, recs));
      }
    }
    String firstReason = null;
    for (int i = 0; i < recs.size(); i++) {
      UpstreamRecord r = recs.get(i);
      if (r == serving) {
        continue;
      }
      String reason = justification(o, r, i + 1 < recs.size() ? recs.get(i + 1) : null);
      if (reason == null) {
        violations.add(DOUBLE_SEND, describe(o, recs));
        reason = "";
      }
      if (firstReason == null) {
        firstReason = reason;
      }
    }
    if (firstReason != null) {
      multiUpstreamReasons.merge(firstReason, 1, Integer::sum);
    }
    if (o.attempts() > 0 && recs.size() > o.attempts()) {
      violations.add(ATTEMPTS, describe(o, recs));
    }
  }

  private static UpstreamRecord lastOn(List<UpstreamRecord> recs, String upstream) {
    for (int i = recs.size() - 1; i >= 0; i--) {
      if (recs.get(i).upstream().equals(upstream)) {
        return recs.get(i);
      }
    }
    return null;
  }

  /**
   * Why the attempt that produced {@code r} legitimately did not give the answer: the primary's
   * fault failed it; or (a stream) the next attempt came a whole {@code timeout} later, so no first
   * event arrived in time (DESIGN: a stream silent for {@code timeout} fails over, on a busy
   * machine too); or the upstream's breaker opened while it waited (DESIGN: a waiting call then
   * moves on) while the request was in flight, from the app sending it to its answer: on a busy
   * machine an upstream may log a request after the sidecar already moved it to the next one, so
   * the order of the upstreams' records is not the order of the attempts. Null when nothing
   * explains it: a double send.
   */
  private String justification(RequestOutcome o, UpstreamRecord r, UpstreamRecord next) {
    boolean stream = o.stream();
    PhaseTimes fault = faultOn(r, stream);
    if (fault != null) {
      return fault.fault().name();
    }
    if (stream
        && next != null
        && next.receivedAt() - r.receivedAt() >= timeoutMillis - CLOCK_SLACK_MILLIS) {
      return FIRST_EVENT_TIMEOUT;
    }
    for (BreakerSampler.Transition t : transitions) {
      if (t.upstream().equals(r.upstream())
          && t.openedAt() >= o.sentAt()
          && t.openedAt() <= o.endedAt()) {
        return BREAKER_OPENED;
      }
    }
    return null;
  }

  private void checkVerdict(RequestOutcome o, List<UpstreamRecord> recs) {
    Verdict v = o.verdict();
    if (v == Verdict.NOT_SENT) {
      violations.add(NOT_SENT, o.id() + " " + o.detail());
    } else if (!o.stream() && v == Verdict.FAILED_STATUS && cutByFault(o, recs)) {
      jsonCut++;
    } else if (!o.stream() && v != Verdict.OK) {
      violations.add(JSON_FAILED, describe(o, recs));
    } else if (o.stream() && v == Verdict.FAILED_STATUS) {
      violations.add(STREAM_REFUSED, describe(o, recs));
    } else if (o.stream() && v == Verdict.ERROR_EVENT) {
      if (!cutByFault(o, recs)) {
        violations.add(ERROR_EVENT_UNEXPECTED, describe(o, recs));
      }
    } else if (o.stream() && v != Verdict.COMPLETED) {
      violations.add(STREAM_SILENT, describe(o, recs));
    }
  }

  /** The last upstream to get the request was the primary, under a fault that cuts answers. */
  private boolean cutByFault(RequestOutcome o, List<UpstreamRecord> recs) {
    UpstreamRecord served = recs.isEmpty() ? null : recs.get(recs.size() - 1);
    if (served == null) {
      return lostAtKill(o);
    }
    return faultOn(served, o.stream(), true) != null;
  }

  private PhaseTimes faultOn(UpstreamRecord r, boolean stream) {
    return faultOn(r, stream, false);
  }

  /** The phase whose fault the primary applied to {@code r}, when that fault fails it. */
  private PhaseTimes faultOn(UpstreamRecord r, boolean stream, boolean afterCommit) {
    if (!r.upstream().equals(Topology.PRIMARY)) {
      return null;
    }
    for (PhaseTimes phase : phases) {
      boolean fails =
          afterCommit
              ? phase.fault().effectOn(stream).cuts()
              : phase.fault().effectOn(stream).failsOver();
      if (fails && phase.covers(r.receivedAt(), killLookBehind)) {
        return phase;
      }
    }
    return null;
  }

  /**
   * A primary record lost with its process: the request reached it after the last read of its log
   * (which starts the kill phase) and before the kill.
   */
  private boolean lostAtKill(RequestOutcome o) {
    if (!Topology.PRIMARY.equals(o.upstream())) {
      return false;
    }
    for (PhaseTimes phase : phases) {
      if (phase.fault() == ChaosFault.KILL
          && phase.skipped() == null
          && o.sentAt() <= phase.faultOn()
          && o.endedAt() >= phase.start() - CLOCK_SLACK_MILLIS) {
        return true;
      }
    }
    return false;
  }

  private static String describe(RequestOutcome o, List<UpstreamRecord> recs) {
    StringBuilder text =
        new StringBuilder(o.id())
            .append(o.stream() ? " stream " : " json ")
            .append(o.verdict())
            .append(" status=")
            .append(o.status())
            .append(" upstream=")
            .append(o.upstream())
            .append(" attempts=")
            .append(o.attempts())
            .append(" reached=[");
    for (int i = 0; i < recs.size(); i++) {
      UpstreamRecord r = recs.get(i);
      text.append(i == 0 ? "" : ", ").append(r.upstream()).append('#').append(r.incarnation());
      text.append(" at +").append(r.receivedAt() - o.sentAt()).append("ms");
    }
    text.append(']');
    if (o.detail() != null) {
      text.append(' ').append(o.detail());
    }
    return text.toString();
  }
}
