package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FailoverIT extends TwoUpstreams {
  @Test
  void failsOverWhenThePrimaryRefusesConnections() {
    bed.start(
        ProxyTestBed.config(
            "http://127.0.0.1:" + ProxyTestBed.closedPort() + "/v1", secondary.baseUrl()));
    Answer answer = bed.chat();
    assertEquals(200, answer.status());
    assertEquals("secondary", answer.upstream());
    assertEquals(2, answer.attempts());
    assertEquals("secondary-sim", answer.header("x-sim-name"));
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 401, 403})
  void failsOverOnUpstreamErrorStatus(int status) {
    bed.start(config());
    primary.setFault(Fault.ofStatus(status));
    Answer answer = bed.chat();
    assertEquals(200, answer.status());
    assertEquals("secondary", answer.upstream());
    assertEquals(1, primary.received().size());
    assertEquals(1, secondary.received().size());
  }

  @Test
  void authFailureMarksTheUpstreamInStatus() {
    bed.start(config());
    primary.setFault(Fault.ofStatus(401));
    assertEquals(200, bed.chat().status());
    assertTrue(bed.upstreamStatus("primary").getBoolean("authFailing"));
    assertTrue(
        bed.admin("/metrics")
            .text()
            .contains(
                "holysheep_upstream_attempts_total{result=\"auth_error\",upstream=\"primary\"} 1.0"));
  }

  @Test
  void rateLimitMovesToTheNextUpstreamAtOnceAndIsRemembered() {
    bed.start(config());
    primary.setFault(Fault.ofStatus(429, "30"));
    long started = System.nanoTime();
    Answer first = bed.chat();
    assertTrue((System.nanoTime() - started) < Duration.ofSeconds(2).toNanos());
    assertEquals(200, first.status());
    assertEquals("secondary", first.upstream());
    Answer second = bed.chat();
    assertEquals("secondary", second.upstream());
    assertEquals(
        1, second.attempts(), "the rate-limited primary is skipped while Retry-After runs");
    assertEquals(1, primary.received().size());
  }

  @Test
  void everyUpstreamRateLimitedGivesTheShortestRetryAfter() {
    bed.start(config());
    primary.setFault(Fault.ofStatus(429, "20"));
    secondary.setFault(Fault.ofStatus(429, "7"));
    Answer answer = bed.chat();
    assertEquals(429, answer.status());
    assertEquals("7", answer.header("retry-after"));
    assertEquals("false", answer.header("x-should-retry"));
    assertEquals("upstream_error", answer.json().getJsonObject("error").getString("type"));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 404, 409, 413, 422})
  void clientErrorsPassThroughWithoutRetryOrBreakerCount(int status) {
    bed.start(config());
    primary.setFault(Fault.ofStatus(status));
    for (int i = 0; i < 4; i++) {
      Answer answer = bed.chat();
      assertEquals(status, answer.status());
      assertEquals("primary", answer.upstream());
      assertEquals(1, answer.attempts());
    }
    assertEquals(4, primary.received().size());
    assertEquals(0, secondary.received().size());
    assertEquals("closed", bed.upstreamStatus("primary").getString("breaker"));
  }

  @Test
  void everyUpstreamFailingGivesAnOpenAiErrorThatSdksDoNotRetry() {
    bed.start(config());
    primary.setFault(Fault.ofStatus(500));
    secondary.setFault(Fault.ofStatus(503));
    Answer answer = bed.chat();
    assertEquals(502, answer.status());
    assertEquals("false", answer.header("x-should-retry"));
    assertEquals(4, answer.attempts(), "one attempt plus maxRetries=3");
    assertEquals("upstream_error", answer.json().getJsonObject("error").getString("type"));
  }

  @Test
  void waitsOutRetryAfterWhenNoOtherUpstreamIsAvailableAndItFits() {
    bed.start(ProxyTestBed.config(primary.baseUrl()));
    primary.setFault(Fault.ofStatus(429, "1").withTimes(1));
    long started = System.nanoTime();
    Answer answer = bed.chat();
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(200, answer.status());
    assertEquals(2, answer.attempts());
    assertTrue(elapsedMillis >= 900, "waited for Retry-After: " + elapsedMillis);
  }

  @Test
  void aRetryAfterBeyondTheDeadlineIsNotWaitedFor() {
    bed.start(ProxyTestBed.config(primary.baseUrl()));
    primary.setFault(Fault.ofStatus(429, "60").withTimes(1));
    long started = System.nanoTime();
    Answer answer = bed.chat();
    assertEquals(429, answer.status());
    assertEquals("60", answer.header("retry-after"));
    assertTrue(System.nanoTime() - started < Duration.ofSeconds(2).toNanos());
  }
}
