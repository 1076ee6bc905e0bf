package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.holysheep.k8s.e2e.sim.Fault;
import ai.holysheep.k8s.e2e.sim.Simulator;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A 200 error object is a failure: never stored in the stale cache, never served later. */
class ErrorObjectCacheIT {
  private ProxyTestBed bed;
  private Simulator primary;

  @BeforeEach
  void setUp() {
    bed = new ProxyTestBed();
    primary = bed.sim("primary-sim");
    bed.start(
        ProxyTestBed.config(primary.baseUrl())
            .put("cache", new JsonObject().put("mode", "memory"))
            .put("circuitBreaker", new JsonObject().put("enabled", false)));
  }

  @AfterEach
  void tearDown() {
    bed.close();
  }

  @Test
  void anErrorObjectAnsweredWith200IsNeverStoredNorServedStale() {
    primary.setFault(Fault.ofErrorObject("error", "server_error"));
    Answer first = bed.chat();
    assertEquals(502, first.status(), "an error object is not an answer");
    primary.setFault(Fault.ofStatus(503));
    Answer later = bed.chat();
    assertEquals(502, later.status());
    assertNull(later.header("x-holysheep-cache"), "nothing was stored to serve");
    assertEquals(0.0, bed.metric("holysheep_cache_requests_total{result=\"store\"}"));
  }
}
