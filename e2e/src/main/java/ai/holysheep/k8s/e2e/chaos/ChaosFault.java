package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.json.JsonObject;

/**
 * The faults a chaos schedule can put on the primary, and what each one means for the checks: the
 * one table the schedule, the accounting and the breaker assertions consult.
 *
 * <p>{@code failsJson}/{@code failsStreamBeforeCommit}: a request the primary received while the
 * fault was on did not get its answer there, so reaching the fallback next is a legitimate failover
 * (DESIGN "fail over" classes); for a fault where this is false a second upstream is a double send.
 * {@code failsCommittedStream}: a stream the primary had started may end with the sidecar's SSE
 * error event. {@code breaker}: what the primary's breaker must do. {@code simFault} is the {@code
 * POST /_sim/fault} body, or null for a process kill.
 */
public enum ChaosFault {
  SERVER_500("500 burst", json("{\"status\":500}"), true, true, false, BreakerExpectation.OPENS),
  RATE_LIMIT_429(
      "429 storm with Retry-After",
      json("{\"status\":429,\"retryAfter\":\"1\"}"),
      true,
      true,
      false,
      BreakerExpectation.STAYS_CLOSED),
  OVERLOADED_529(
      "529 overloaded", json("{\"status\":529}"), true, true, false, BreakerExpectation.OPENS),
  HTML_502(
      "HTML 502 page",
      json("{\"status\":502,\"html\":true}"),
      true,
      true,
      false,
      BreakerExpectation.OPENS),
  KILL("process killed and restarted", null, true, true, true, BreakerExpectation.OPENS),
  HANG("hang before headers", json("{\"hang\":true}"), true, true, false, BreakerExpectation.OPENS),
  RESET_MID_STREAM(
      "reset mid-stream",
      json("{\"resetAfterEvents\":2}"),
      true,
      false,
      true,
      BreakerExpectation.OPENS),
  DRIP(
      "slow drip",
      json("{\"eventDelay\":\"250ms\"}"),
      false,
      false,
      false,
      BreakerExpectation.STAYS_CLOSED),
  ERROR_FIRST_EVENT(
      "error object in the first event",
      json("{\"errorInStream\":true}"),
      true,
      true,
      false,
      BreakerExpectation.OPENS),
  ERROR_OBJECT_KEY_LAST(
      "error object of another shape, error key last",
      json("{\"errorObject\":\"type\",\"errorKeyLast\":true}"),
      true,
      true,
      false,
      BreakerExpectation.OPENS),
  KEEP_ALIVE_THEN_ANSWER(
      "keep-alive comments, first event after timeout",
      json("{\"commentEvery\":\"1s\",\"firstEventDelay\":\"6s\"}"),
      false,
      false,
      false,
      BreakerExpectation.STAYS_CLOSED),
  NO_DONE(
      "stream ends without [DONE]",
      json("{\"noDone\":true}"),
      false,
      false,
      true,
      BreakerExpectation.ANY),
  NOT_SSE(
      "JSON answer to a stream request",
      json("{\"notSse\":true}"),
      false,
      true,
      false,
      BreakerExpectation.ANY);

  /** What the primary's breaker must do during a fault and its recovery. */
  public enum BreakerExpectation {
    OPENS,
    STAYS_CLOSED,
    /** Only some requests fail (e.g. streams, not JSON calls): opening is allowed, not required. */
    ANY
  }

  private final String title;
  private final JsonObject simFault;
  private final boolean failsJson;
  private final boolean failsStreamBeforeCommit;
  private final boolean failsCommittedStream;
  private final BreakerExpectation breaker;

  ChaosFault(
      String title,
      JsonObject simFault,
      boolean failsJson,
      boolean failsStreamBeforeCommit,
      boolean failsCommittedStream,
      BreakerExpectation breaker) {
    this.title = title;
    this.simFault = simFault;
    this.failsJson = failsJson;
    this.failsStreamBeforeCommit = failsStreamBeforeCommit;
    this.failsCommittedStream = failsCommittedStream;
    this.breaker = breaker;
  }

  public String title() {
    return title;
  }

  /** The simulator fault body (a copy), or null when the fault is a process kill. */
  public JsonObject simFault() {
    return simFault == null ? null : simFault.copy();
  }

  /** True when a request of this kind that reached the primary during the fault failed there. */
  public boolean failsOnPrimary(boolean stream) {
    return stream ? failsStreamBeforeCommit : failsJson;
  }

  public boolean failsCommittedStream() {
    return failsCommittedStream;
  }

  public BreakerExpectation breaker() {
    return breaker;
  }

  /** A hang fails requests only once the sidecar's {@code timeout} has passed. */
  public boolean failsAfterTimeout() {
    return this == HANG;
  }

  private static JsonObject json(String text) {
    return new JsonObject(text);
  }
}
