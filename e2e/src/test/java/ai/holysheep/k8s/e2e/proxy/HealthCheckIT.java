package ai.holysheep.k8s.e2e.proxy;

import static ai.holysheep.k8s.e2e.proxy.ProxyTestBed.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import ai.holysheep.k8s.e2e.sim.RecordedRequest;
import ai.holysheep.k8s.e2e.sim.Simulator;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Active health checks every 100ms (±25% jitter); breaker state on the test clock. */
class HealthCheckIT extends TwoUpstreams {
  @BeforeEach
  void startSidecar() {
    bed.start(
        config()
            .put("healthCheck", new JsonObject().put("enabled", true).put("interval", "100ms")));
  }

  /** Polls from the test thread, pausing on a Vert.x timer, until the condition holds. */
  private void eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + ProxyTestBed.AWAIT_SECONDS * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met in time");
      Promise<Void> tick = Promise.promise();
      bed.vertx.setTimer(20, id -> tick.complete());
      await(tick.future());
    }
  }

  private long checksOn(Simulator sim) {
    return sim.received().stream().filter(HealthCheckIT::isCheck).count();
  }

  private static boolean isCheck(RecordedRequest request) {
    return request.method().equals("GET") && request.path().endsWith("/models");
  }

  @Test
  void idleUpstreamsAreCheckedWithTheirOwnKey() {
    eventually(() -> primary.received().stream().anyMatch(HealthCheckIT::isCheck));
    RecordedRequest check =
        primary.received().stream().filter(HealthCheckIT::isCheck).findFirst().orElseThrow();
    assertEquals("Bearer " + ProxyTestBed.PRIMARY_KEY, check.header("authorization"));
    eventually(() -> bed.upstreamStatus("secondary").containsKey("lastCheck"));
  }

  @Test
  void modelsAreLearnedAtStartSoTokensOfABusyUpstreamCarryTheirModel() {
    bed.close();
    bed = new ProxyTestBed();
    primary = bed.sim("primary-sim");
    secondary = bed.sim("secondary-sim");
    // An interval of an hour: only the start-up check can have run when the request is made.
    bed.start(
        config().put("healthCheck", new JsonObject().put("enabled", true).put("interval", "1h")));
    eventually(() -> bed.upstreamStatus("primary").containsKey("lastCheck"));

    bed.chat();

    String metrics = bed.admin("/metrics").text();
    assertTrue(
        metrics.contains(
            "holysheep_tokens_total{model=\"gpt-4o-mini\",type=\"prompt\",upstream=\"primary\"}"),
        metrics);
  }

  @Test
  void aPassingCheckMovesAnOpenBreakerToHalfOpenNeverClosed() {
    primary.setFault(Fault.ofStatus(500).withPath("/v1/chat"));
    for (int i = 0; i < 3; i++) {
      bed.chat();
    }
    eventually(() -> "half-open".equals(bed.upstreamStatus("primary").getString("breaker")));
    JsonObject status = bed.upstreamStatus("primary");
    assertTrue(status.getJsonObject("lastCheck").getBoolean("passed"));
    long checks = checksOn(primary);
    eventually(() -> checksOn(primary) >= checks + 2);
    assertEquals(
        "half-open",
        bed.upstreamStatus("primary").getString("breaker"),
        "passing checks never close the breaker; only a successful request does");
    primary.clearFault();
    Answer trial = bed.chat();
    assertEquals("primary", trial.upstream());
    assertEquals("closed", bed.upstreamStatus("primary").getString("breaker"));
  }

  @Test
  void aFailingCheckKeepsTheBreakerOpenAndMarksTheUpstreamUnhealthy() {
    primary.setFault(Fault.ofStatus(500));
    for (int i = 0; i < 3; i++) {
      bed.chat();
    }
    eventually(() -> bed.upstreamStatus("primary").containsKey("lastCheck"));
    assertEquals("open", bed.upstreamStatus("primary").getString("breaker"));
    assertEquals(false, bed.upstreamStatus("primary").getBoolean("healthy"));
    assertTrue(
        bed.admin("/metrics")
            .text()
            .contains("holysheep_upstream_healthy{upstream=\"primary\"} 0.0"));
  }
}
