package ai.holysheep.k8s.e2e.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SidecarCountersTest {
  @Test
  void keepsTheNonZeroSeriesOfTheCountedFamilies() {
    String text =
        "# HELP holysheep_upstream_attempts_total attempts\n"
            + "# TYPE holysheep_upstream_attempts_total counter\n"
            + "holysheep_upstream_attempts_total{result=\"success\",upstream=\"primary\"} 120.0\n"
            + "holysheep_upstream_attempts_total{result=\"timeout\",upstream=\"primary\"} 0.0\n"
            + "holysheep_failovers_total{from=\"primary\",reason=\"server_error\",to=\"fallback\"} 5.0\n"
            + "holysheep_circuit_state{upstream=\"primary\"} 1.0\n";
    JsonObject counters = SidecarCounters.parse(text);
    assertEquals(
        new JsonObject().put("result=success,upstream=primary", 120L),
        counters.getJsonObject("holysheep_upstream_attempts_total"));
    assertEquals(
        new JsonObject().put("from=primary,reason=server_error,to=fallback", 5L),
        counters.getJsonObject("holysheep_failovers_total"));
    assertEquals(new JsonObject(), counters.getJsonObject("holysheep_requests_total"));
  }
}
