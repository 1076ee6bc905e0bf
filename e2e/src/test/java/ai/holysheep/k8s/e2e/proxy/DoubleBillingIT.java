package ai.holysheep.k8s.e2e.proxy;

import static ai.holysheep.k8s.e2e.proxy.ProxyTestBed.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.holysheep.k8s.e2e.sim.Fault;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A completion slower than {@code timeout} runs on exactly one upstream (no hedging unless
 * configured); a hung upstream still fails over in bounded time, when its breaker opens.
 */
class DoubleBillingIT extends TwoUpstreams {
  private static JsonObject hedging(String delay) {
    return new JsonObject().put("enabled", true).put("delay", delay);
  }

  @Test
  void jsonCallsSlowerThanTimeoutReachExactlyOneUpstreamAndLeaveItsBreakerClosed() {
    bed.start(config());
    primary.setFault(Fault.ofHeaderDelay(Duration.ofMillis(600)));
    for (int i = 0; i < 4; i++) {
      Answer answer = bed.chat();
      assertEquals(200, answer.status());
      assertEquals("primary", answer.upstream());
      assertEquals(1, answer.attempts());
    }
    assertEquals(0, secondary.requestCount(), "never duplicated on the fallback");
    assertEquals(0, primary.cancelledRequests(), "never cancelled at timeout");
    assertEquals("closed", bed.upstreamStatus("primary").getString("breaker"));
  }

  @Test
  void slowAnswersNeverOpenTheBreakerOfAHealthyPrimary() {
    bed.start(config().put("hedging", hedging("200ms")));
    primary.setFault(Fault.ofHeaderDelay(Duration.ofMillis(1500)));
    for (int i = 0; i < 4; i++) {
      assertEquals("secondary", bed.chat().upstream(), "the hedge wins");
    }
    await(primary.awaitCancelled(4));
    assertEquals("closed", bed.upstreamStatus("primary").getString("breaker"));
    assertEquals(
        4.0,
        bed.metric("holysheep_upstream_attempts_total{result=\"cancelled\",upstream=\"primary\"}"));
    assertEquals(
        0.0,
        bed.metric("holysheep_upstream_attempts_total{result=\"timeout\",upstream=\"primary\"}"));
  }

  @Test
  void hedgingWhenEnabledRacesTheNextUpstreamAndTheFirstAnswerWins() {
    bed.start(config().put("hedging", hedging("200ms")));
    primary.setFault(Fault.ofHeaderDelay(Duration.ofSeconds(3)));
    Answer answer = bed.chat();
    assertEquals(200, answer.status());
    assertEquals("secondary", answer.upstream());
    assertEquals(2, answer.attempts());
    await(primary.awaitCancelled(1));
    assertEquals(
        1.0,
        bed.metric(
            "holysheep_failovers_total{from=\"primary\",reason=\"hedge\",to=\"secondary\"}"));
  }

  @Test
  void hedgingNeverAppliesToStatefulRoutes() {
    bed.start(config().put("hedging", hedging("100ms")));
    primary.setFault(Fault.ofHeaderDelay(Duration.ofMillis(800)));
    Answer answer = bed.post("/v1/batches", new JsonObject().put("input_file_id", "file-1"));
    assertEquals(200, answer.status());
    assertEquals("primary", answer.upstream());
    assertEquals(0, secondary.requestCount());
  }

  @Test
  void anInFlightJsonCallMovesOnAtOnceWhenOtherRequestsOpenItsBreaker() {
    // timeout and responseTimeout are long: only the breaker can release the waiting call.
    bed.start(config().put("timeout", "20s").put("responseTimeout", "20s"));
    primary.setFault(Fault.ofHang().withTimes(1));
    Future<Answer> waiting = bed.chatAsync();
    await(primary.awaitRequests(1));
    primary.setFault(Fault.ofStatus(500));
    for (int i = 0; i < 3; i++) {
      assertEquals("secondary", bed.chat().upstream());
    }
    assertEquals("open", bed.upstreamStatus("primary").getString("breaker"));
    Answer answer = await(waiting);
    assertEquals(200, answer.status());
    assertEquals("secondary", answer.upstream());
    assertEquals(2, answer.attempts());
    await(primary.awaitCancelled(1));
    assertEquals(
        1.0,
        bed.metric(
            "holysheep_failovers_total{from=\"primary\",reason=\"breaker_opened\","
                + "to=\"secondary\"}"));
  }

  @Test
  void anInFlightJsonCallMovesOnWhenHealthChecksFindItsUpstreamHung() {
    bed.start(
        config()
            .put("timeout", "20s")
            .put("responseTimeout", "20s")
            .put(
                "healthCheck",
                new JsonObject()
                    .put("enabled", true)
                    .put("interval", "100ms")
                    .put("timeout", "200ms")));
    primary.setFault(Fault.ofHang());
    Answer answer = await(bed.chatAsync());
    assertEquals(200, answer.status());
    assertEquals("secondary", answer.upstream());
    assertEquals(2, answer.attempts());
    assertEquals("open", bed.upstreamStatus("primary").getString("breaker"));
  }
}
