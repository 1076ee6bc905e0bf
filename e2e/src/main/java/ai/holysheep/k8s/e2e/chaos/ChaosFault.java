package ai.holysheep.k8s.e2e.chaos;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The faults a chaos schedule can put on the primary, and what each one means for the checks: the
 * one table the schedule, the accounting and the breaker assertions consult.
 *
 * <p>For each kind of request (JSON, stream), what a request the primary received while the fault
 * was on may legitimately go through ({@link Effect}): {@code PASSES} — the primary answers it in
 * full, so a second upstream is a double send and an error is a defect; {@code FAILS_OVER} — it
 * failed at the primary before any answer (DESIGN's fail-over classes), so the sidecar must take it
 * to the fallback and the app sees a success; {@code CUT} — the primary had started answering when
 * it failed, so DESIGN forbids a replay (the work may have been done and billed) and the app gets
 * an explicit error: the SSE error event, or a JSON error answer. {@code breaker} is what the
 * primary's breaker must do; {@code simFault} the {@code POST /_sim/fault} body, null for a kill.
 */
public enum ChaosFault {
  SERVER_500(
      "500 burst",
      "{\"status\":500}",
      Effect.FAILS_OVER,
      Effect.FAILS_OVER,
      BreakerExpectation.OPENS),
  RATE_LIMIT_429(
      "429 storm with Retry-After",
      "{\"status\":429,\"retryAfter\":\"1\"}",
      Effect.FAILS_OVER,
      Effect.FAILS_OVER,
      BreakerExpectation.STAYS_CLOSED),
  OVERLOADED_529(
      "529 overloaded",
      "{\"status\":529}",
      Effect.FAILS_OVER,
      Effect.FAILS_OVER,
      BreakerExpectation.OPENS),
  HTML_502(
      "HTML 502 page",
      "{\"status\":502,\"html\":true}",
      Effect.FAILS_OVER,
      Effect.FAILS_OVER,
      BreakerExpectation.OPENS),
  /** Requests arriving while it is down fail over; answers in flight when it dies are cut. */
  KILL(
      "process killed and restarted",
      null,
      Effect.FAILS_OVER_OR_CUT,
      Effect.FAILS_OVER_OR_CUT,
      BreakerExpectation.OPENS),
  HANG(
      "hang before headers",
      "{\"hang\":true}",
      Effect.FAILS_OVER,
      Effect.FAILS_OVER,
      BreakerExpectation.OPENS),
  RESET_MID_STREAM(
      "reset mid-answer (streams after two events, JSON after half the body)",
      "{\"resetAfterEvents\":2}",
      Effect.CUT,
      Effect.CUT,
      BreakerExpectation.OPENS),
  DRIP(
      "slow drip: 64-byte pieces 30 ms apart",
      "{\"drip\":\"30ms\"}",
      Effect.PASSES,
      Effect.PASSES,
      BreakerExpectation.STAYS_CLOSED),
  ERROR_FIRST_EVENT(
      "error object in the first event (JSON: a 200 error object)",
      "{\"errorInStream\":true}",
      Effect.FAILS_OVER,
      Effect.FAILS_OVER,
      BreakerExpectation.OPENS),
  ERROR_OBJECT_KEY_LAST(
      "error object of another shape, error key last",
      "{\"errorObject\":\"type\",\"errorKeyLast\":true}",
      Effect.FAILS_OVER,
      Effect.FAILS_OVER,
      BreakerExpectation.OPENS),
  KEEP_ALIVE_THEN_ANSWER(
      "keep-alive comments, first event after timeout",
      "{\"commentEvery\":\"1s\",\"firstEventDelay\":\"6s\"}",
      Effect.PASSES,
      Effect.PASSES,
      BreakerExpectation.STAYS_CLOSED),
  NO_DONE(
      "stream ends without [DONE]",
      "{\"noDone\":true}",
      Effect.PASSES,
      Effect.CUT,
      BreakerExpectation.ANY),
  NOT_SSE(
      "JSON answer to a stream request",
      "{\"notSse\":true}",
      Effect.PASSES,
      Effect.FAILS_OVER,
      BreakerExpectation.ANY);

  /** What a request that met the fault at the primary may go through (see the class comment). */
  public enum Effect {
    PASSES(false, false),
    FAILS_OVER(true, false),
    CUT(false, true),
    FAILS_OVER_OR_CUT(true, true);

    private final boolean failsOver;
    private final boolean cuts;

    Effect(boolean failsOver, boolean cuts) {
      this.failsOver = failsOver;
      this.cuts = cuts;
    }

    public boolean failsOver() {
      return failsOver;
    }

    public boolean cuts() {
      return cuts;
    }
  }

  /** What the primary's breaker must do during a fault and its recovery. */
  public enum BreakerExpectation {
    OPENS,
    STAYS_CLOSED,
    /** Only some requests fail (e.g. streams, not JSON calls): opening is allowed, not required. */
    ANY
  }

  private final String title;
  private final JsonObject simFault;
  private final Effect json;
  private final Effect stream;
  private final BreakerExpectation breaker;

  ChaosFault(
      String title, String simFault, Effect json, Effect stream, BreakerExpectation breaker) {
    this.title = title;
    this.simFault = simFault == null ? null : new JsonObject(simFault);
    this.json = json;
    this.stream = stream;
    this.breaker = breaker;
  }

  public String title() {
    return title;
  }

  /** The simulator fault body (a copy), or null when the fault is a process kill. */
  public JsonObject simFault() {
    return simFault == null ? null : simFault.copy();
  }

  /** What a request of this kind that met the fault at the primary may go through. */
  public Effect effectOn(boolean streamRequest) {
    return streamRequest ? stream : json;
  }

  public BreakerExpectation breaker() {
    return breaker;
  }

  /** A hang fails requests only once the sidecar's {@code timeout} has passed. */
  public boolean failsAfterTimeout() {
    return this == HANG;
  }

  /**
   * The {@code Retry-After} the fault answers with: the sidecar may avoid the primary that long.
   */
  public Duration retryAfter() {
    return simFault == null || simFault.getString("retryAfter") == null
        ? Duration.ZERO
        : Duration.ofSeconds(Long.parseLong(simFault.getString("retryAfter")));
  }
}
