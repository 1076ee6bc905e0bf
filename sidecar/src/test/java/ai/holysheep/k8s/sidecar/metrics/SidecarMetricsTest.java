package ai.holysheep.k8s.sidecar.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class SidecarMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SidecarMetrics metrics = new SidecarMetrics(registry, "h", List.of());

  private double requests(String upstream, String status, String outcome) {
    var counter =
        registry
            .find("holysheep.requests")
            .tags("upstream", upstream, "status", status, "outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void cachedMetersKeepEverySeriesApartWhateverTheOrder() {
    metrics.request("a", 200, "success", 1);
    metrics.request("a", 502, "error", 1);
    metrics.request("a", 200, "success", 1);
    metrics.request("b", 200, "success", 1);
    metrics.request("a", 200, "passthrough", 1);
    metrics.request("a", 200, new String("success"), 1);
    metrics.request("a", 418, "passthrough", 1);
    assertEquals(3, requests("a", "200", "success"));
    assertEquals(1, requests("a", "502", "error"));
    assertEquals(1, requests("a", "200", "passthrough"));
    assertEquals(1, requests("a", "418", "passthrough"));
    assertEquals(1, requests("b", "200", "success"));
    assertEquals(
        6, registry.find("holysheep.request.duration").tag("upstream", "a").timer().count());

    metrics.attempt("a", "success");
    metrics.attempt("a", "success");
    metrics.attempt("b", "connect");
    assertEquals(
        2, registry.find("holysheep.upstream.attempts").tags("upstream", "a").counter().count());
    assertEquals(
        1,
        registry
            .find("holysheep.upstream.attempts")
            .tags("upstream", "b", "result", "connect")
            .counter()
            .count());
  }

  @Test
  void histogramsAppearAtTheFirstRequestNotAtStart() {
    assertNull(registry.find("holysheep.request.duration").timer());
    assertNull(registry.find("holysheep.time.to.first.byte").timer());
    metrics.timeToFirstByte("a", 5_000_000);
    assertEquals(
        1, registry.find("holysheep.time.to.first.byte").tag("upstream", "a").timer().count());
    assertNull(registry.find("holysheep.request.duration").timer());
  }

  @Test
  void failoversAreCountedPerPairAndReason() {
    metrics.failover("a", "b", "connect");
    metrics.failover("a", "b", "connect");
    metrics.failover("a", "b", "hedge");
    assertEquals(
        2,
        registry
            .find("holysheep.failovers")
            .tags("from", "a", "to", "b", "reason", "connect")
            .counter()
            .count());
    assertEquals(1, registry.find("holysheep.failovers").tags("reason", "hedge").counter().count());
  }
}
