package ai.holysheep.k8s.e2e.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The accounting rules on hand-made runs: times are milliseconds from 0. */
class AccountingTest {
  private static final long TIMEOUT = 2000;
  private static final long KILL_LOOK_BEHIND = 2000;

  /** A 500 burst on the primary from 1000 to 2000. */
  private static final PhaseTimes BURST =
      new PhaseTimes(
          0,
          new Phase(ChaosFault.SERVER_500, Duration.ofSeconds(1)),
          1000,
          1000,
          2000,
          2100,
          3000,
          null);

  /** A reset-after-two-events fault from 5000 to 6000. */
  private static final PhaseTimes RESET =
      new PhaseTimes(
          1,
          new Phase(ChaosFault.RESET_MID_STREAM, Duration.ofSeconds(1)),
          5000,
          5000,
          6000,
          6100,
          7000,
          null);

  private final List<BreakerSampler.Transition> transitions = new ArrayList<>();
  private final Violations violations = new Violations();

  private Accounting check(List<RequestOutcome> outcomes, List<UpstreamRecord> records) {
    Accounting accounting =
        new Accounting(List.of(BURST, RESET), transitions, TIMEOUT, KILL_LOOK_BEHIND, violations);
    accounting.check(outcomes, records);
    return accounting;
  }

  private static RequestOutcome answered(
      String id, boolean stream, long sentAt, String upstream, Verdict verdict) {
    return new RequestOutcome(
        id, 0, stream, sentAt, sentAt, sentAt + 1000, 200, upstream, 2, verdict, null);
  }

  private static UpstreamRecord at(String upstream, String id, long time) {
    return new UpstreamRecord(upstream, 1, id, "POST", "/v1/chat/completions", time);
  }

  @Test
  void aRequestThatReachedBothUpstreamsWithoutAFaultIsADoubleSend() {
    check(
        List.of(answered("a", false, 100, "fallback", Verdict.OK)),
        List.of(at("primary", "a", 110), at("fallback", "a", 120)));
    assertEquals(1, violations.count(Accounting.DOUBLE_SEND));
  }

  @Test
  void aFailoverAfterTheFaultOnThePrimaryIsJustifiedByIt() {
    Accounting accounting =
        check(
            List.of(answered("a", false, 1500, "fallback", Verdict.OK)),
            List.of(at("primary", "a", 1510), at("fallback", "a", 1520)));
    assertEquals(Map.of(), violations.counts());
    assertEquals(Map.of("SERVER_500", 1), accounting.multiUpstreamReasons);
  }

  @Test
  void aCommittedStreamRetriedAfterAResetMidStreamIsADoubleSend() {
    check(
        List.of(answered("s", true, 5500, "fallback", Verdict.COMPLETED)),
        List.of(at("primary", "s", 5510), at("fallback", "s", 5600)));
    assertEquals(1, violations.count(Accounting.DOUBLE_SEND));
  }

  @Test
  void aJsonCallThePrimaryCutMidAnswerEndsWithAnExplicitErrorNotAReplay() {
    RequestOutcome cut =
        new RequestOutcome(
            "j", 0, false, 5500, 5500, 5600, 502, "primary", 1, Verdict.FAILED_STATUS, null);
    Accounting accounting = check(List.of(cut), List.of(at("primary", "j", 5510)));
    assertEquals(Map.of(), violations.counts());
    assertEquals(1, accounting.jsonCut);
  }

  @Test
  void aJsonCallThePrimaryCutMidAnswerAndTheSidecarReplayedIsADoubleSend() {
    check(
        List.of(answered("j", false, 5500, "fallback", Verdict.OK)),
        List.of(at("primary", "j", 5510), at("fallback", "j", 5520)));
    assertEquals(1, violations.count(Accounting.DOUBLE_SEND), "the primary may have billed it");
  }

  @Test
  void aJsonErrorOutsideAFaultThatCutsAnswersIsAnAppVisibleFailure() {
    RequestOutcome failed =
        new RequestOutcome(
            "j", 0, false, 1500, 1500, 1600, 502, "primary", 1, Verdict.FAILED_STATUS, null);
    check(List.of(failed), List.of(at("primary", "j", 1510)));
    assertEquals(1, violations.count(Accounting.JSON_FAILED), "a 500 burst must fail over");
  }

  @Test
  void aStreamRetriedAWholeTimeoutLaterTimedOutBeforeItsFirstEvent() {
    Accounting accounting =
        check(
            List.of(answered("s", true, 100, "fallback", Verdict.COMPLETED)),
            List.of(at("primary", "s", 110), at("fallback", "s", 110 + TIMEOUT)));
    assertEquals(Map.of(), violations.counts());
    assertEquals(Map.of(Accounting.FIRST_EVENT_TIMEOUT, 1), accounting.multiUpstreamReasons);
  }

  @Test
  void aJsonCallSentAgainAfterTimeoutWhileThePrimaryStayedClosedIsADoubleSend() {
    check(
        List.of(answered("a", false, 100, "primary", Verdict.OK)),
        List.of(at("primary", "a", 110), at("fallback", "a", 110 + TIMEOUT)));
    assertEquals(
        1, violations.count(Accounting.DOUBLE_SEND), "a hedge: both upstreams did the work");
  }

  @Test
  void aJsonCallThatMovedWhenThePrimaryBreakerOpenedIsJustified() {
    transitions.add(new BreakerSampler.Transition("primary", 900, "closed", "open", 850));
    check(
        List.of(answered("a", false, 100, "fallback", Verdict.OK)),
        List.of(at("primary", "a", 110), at("fallback", "a", 860)));
    assertEquals(Map.of(), violations.counts());
  }

  @Test
  void aCallMovedWhenTheBreakerOpenedIsJustifiedEvenIfThePrimaryLoggedItAfterTheFallback() {
    transitions.add(new BreakerSampler.Transition("primary", 900, "closed", "open", 850));
    check(
        List.of(answered("a", false, 800, "fallback", Verdict.OK)),
        List.of(at("fallback", "a", 860), at("primary", "a", 870)));
    assertEquals(Map.of(), violations.counts());
  }

  @Test
  void anUpstreamRequestTheLoadNeverSentIsAPhantom() {
    check(List.of(), List.of(at("primary", "nobody", 10), at("primary", null, 20)));
    assertEquals(2, violations.count(Accounting.PHANTOM));
  }

  @Test
  void healthChecksAreNotAppTraffic() {
    check(List.of(), List.of(new UpstreamRecord("primary", 1, null, "GET", "/v1/models", 10)));
    assertEquals(Map.of(), violations.counts());
  }

  @Test
  void anAnswerFromAnUpstreamWithNoRecordOfItIsUnrecorded() {
    check(List.of(answered("a", false, 100, "primary", Verdict.OK)), List.of());
    assertEquals(1, violations.count(Accounting.UNRECORDED));
  }

  @Test
  void anAnswerWhoseRecordDiedWithAKilledPrimaryAfterItsLogWasReadIsNotUnrecorded() {
    PhaseTimes kill =
        new PhaseTimes(
            0,
            new Phase(ChaosFault.KILL, Duration.ofSeconds(1)),
            10_000,
            10_100,
            12_000,
            12_100,
            13_000,
            null);
    Accounting accounting =
        new Accounting(List.of(kill), transitions, TIMEOUT, KILL_LOOK_BEHIND, violations);
    accounting.check(
        List.of(
            new RequestOutcome(
                "late", 0, false, 9_990, 9_990, 10_050, 200, "primary", 1, Verdict.OK, null),
            new RequestOutcome(
                "early", 1, false, 8_000, 8_000, 8_050, 200, "primary", 1, Verdict.OK, null)),
        List.of());
    assertEquals(
        Map.of(Accounting.UNRECORDED, 1), violations.counts(), "only the one read before the kill");
  }

  @Test
  void anErrorEventIsExpectedOnlyWhereAFaultBreaksCommittedStreams() {
    check(
        List.of(
            answered("in-reset", true, 5500, "primary", Verdict.ERROR_EVENT),
            answered("healthy", true, 8000, "primary", Verdict.ERROR_EVENT)),
        List.of(at("primary", "in-reset", 5510), at("primary", "healthy", 8010)));
    assertEquals(1, violations.count(Accounting.ERROR_EVENT_UNEXPECTED));
  }

  @Test
  void aFailedJsonCallIsAppVisibleAndAStreamWithoutItsEndIsSilent() {
    check(
        List.of(
            new RequestOutcome(
                "j", 0, false, 0, 0, 1, 529, "primary", 1, Verdict.FAILED_STATUS, null),
            new RequestOutcome("s", 1, true, 0, 0, 1, 200, "primary", 1, Verdict.SILENT_END, null)),
        List.of(at("primary", "j", 1), at("primary", "s", 1)));
    assertEquals(1, violations.count(Accounting.JSON_FAILED));
    assertEquals(1, violations.count(Accounting.STREAM_SILENT));
  }

  @Test
  void moreUpstreamRequestsThanTheAttemptsHeaderSaysAreCounted() {
    RequestOutcome one =
        new RequestOutcome("a", 0, false, 1500, 1500, 1600, 200, "fallback", 1, Verdict.OK, null);
    check(List.of(one), List.of(at("primary", "a", 1510), at("fallback", "a", 1520)));
    assertEquals(1, violations.count(Accounting.ATTEMPTS));
  }
}
