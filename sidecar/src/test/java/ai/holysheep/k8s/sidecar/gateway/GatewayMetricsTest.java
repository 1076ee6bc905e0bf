package ai.holysheep.k8s.sidecar.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private Set<String> namespaceLabels() {
    return registry.find("holysheep.gateway.requests").counters().stream()
        .map(c -> c.getId().getTag("namespace"))
        .collect(Collectors.toSet());
  }

  @Test
  void theNamespaceLabelTakesABoundedNumberOfValuesThenOther() {
    GatewayMetrics metrics = new GatewayMetrics(registry, 2);
    for (int i = 0; i < 50; i++) {
      metrics.request("team-" + i, "allowed");
    }
    metrics.request("team-0", "allowed");
    assertEquals(Set.of("team-0", "team-1", "other"), namespaceLabels());
    assertEquals(
        2.0,
        registry
            .find("holysheep.gateway.requests")
            .tags("namespace", "team-0", "result", "allowed")
            .counter()
            .count());
    assertEquals(
        48.0,
        registry.find("holysheep.gateway.requests").tag("namespace", "other").counter().count());
  }

  @Test
  void aCallerWithoutAVerifiedIdentityIsUnknown() {
    GatewayMetrics metrics = new GatewayMetrics(registry, 2);
    metrics.request(null, Rejection.NO_TOKEN.metricLabel());
    assertEquals(Set.of("unknown"), namespaceLabels());
  }

  @Test
  void cacheResultsAreRegisteredUpFront() {
    new GatewayMetrics(registry, 2);
    assertEquals(
        Set.copyOf(GatewayMetrics.CACHE_RESULTS),
        registry.find("holysheep.gateway.review.cache").counters().stream()
            .map(c -> c.getId().getTag("result"))
            .collect(Collectors.toSet()));
  }
}
