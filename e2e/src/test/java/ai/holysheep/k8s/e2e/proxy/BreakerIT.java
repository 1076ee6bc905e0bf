package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.holysheep.k8s.e2e.sim.Fault;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** failureThreshold 3, resetTimeout 60s on a test clock. */
class BreakerIT extends TwoUpstreams {
  @BeforeEach
  void startSidecar() {
    bed.start(config());
  }

  private String breaker(String upstream) {
    return bed.upstreamStatus(upstream).getString("breaker");
  }

  private void openPrimary() {
    primary.setFault(Fault.ofStatus(500));
    for (int i = 0; i < 3; i++) {
      assertEquals("secondary", bed.chat().upstream());
    }
    assertEquals("open", breaker("primary"));
  }

  @Test
  void opensAfterFailureThresholdConsecutiveFailures() {
    primary.setFault(Fault.ofStatus(500));
    bed.chat();
    bed.chat();
    assertEquals("closed", breaker("primary"));
    bed.chat();
    assertEquals("open", breaker("primary"));
    assertEquals(
        true,
        bed.admin("/metrics").text().contains("holysheep_circuit_state{upstream=\"primary\"} 1.0"));
  }

  @Test
  void failsFastWhileOpenWithoutConnectingToTheUpstream() {
    openPrimary();
    int requests = primary.requestCount();
    int connections = primary.connectionsAccepted();
    for (int i = 0; i < 3; i++) {
      Answer answer = bed.chat();
      assertEquals("secondary", answer.upstream());
      assertEquals(1, answer.attempts());
    }
    assertEquals(requests, primary.requestCount());
    assertEquals(connections, primary.connectionsAccepted());
  }

  @Test
  void halfOpensAfterResetTimeoutAndClosesOnSuccess() {
    openPrimary();
    primary.clearFault();
    bed.clock.advance(Duration.ofSeconds(59));
    assertEquals("secondary", bed.chat().upstream(), "still open before resetTimeout");
    bed.clock.advance(Duration.ofSeconds(2));
    Answer trial = bed.chat();
    assertEquals("primary", trial.upstream(), "the half-open trial goes to the primary");
    assertEquals("closed", breaker("primary"));
    assertEquals("primary", bed.chat().upstream());
  }

  @Test
  void halfOpenTrialFailureReopens() {
    openPrimary();
    bed.clock.advance(Duration.ofSeconds(61));
    assertEquals("secondary", bed.chat().upstream());
    assertEquals("open", breaker("primary"));
  }

  @Test
  void panicModeTriesTheUpstreamThatOpenedFirstWhenAllAreOpen() {
    openPrimary();
    bed.clock.advance(Duration.ofSeconds(1));
    secondary.setFault(Fault.ofStatus(500));
    for (int i = 0; i < 3 && !"open".equals(breaker("secondary")); i++) {
      bed.chat();
    }
    assertEquals("open", breaker("secondary"));
    primary.clearFault();
    secondary.clearFault();
    int secondaryRequests = secondary.requestCount();
    Answer answer = bed.chat();
    assertEquals(200, answer.status());
    assertEquals("primary", answer.upstream(), "the primary opened first");
    assertEquals(1, answer.attempts());
    assertEquals(secondaryRequests, secondary.requestCount());
    assertEquals("closed", breaker("primary"));
  }
}
