package ai.holysheep.k8s.e2e.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ObservabilityIT extends TwoUpstreams {
  private static final List<String> DESIGN_METRICS =
      List.of(
          "holysheep_requests_total",
          "holysheep_request_duration_seconds_count",
          "holysheep_time_to_first_byte_seconds_count",
          "holysheep_upstream_attempts_total",
          "holysheep_failovers_total",
          "holysheep_circuit_state",
          "holysheep_upstream_healthy",
          "holysheep_tokens_total",
          "holysheep_cache_requests_total",
          "holysheep_config_info");

  @BeforeEach
  void startSidecar() {
    bed.start(config());
  }

  @Test
  void afterTrafficMetricsShowEveryDesignNameWithValues() {
    String model = ProxyTestBed.chatBody(false).getString("model");
    String listed = bed.send(HttpMethod.GET, "/v1/models", Map.of(), null).text();
    assertTrue(listed.contains("\"" + model + "\""), "the simulator lists " + model);
    bed.chat();
    bed.chat(true);
    primary.setFault(Fault.ofStatus(503));
    bed.chat();
    String metrics = bed.admin("/metrics").text();
    for (String name : DESIGN_METRICS) {
      Matcher sample =
          Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
      assertTrue(sample.find(), name + " missing in:\n" + metrics);
    }
    assertTrue(
        metrics.contains("holysheep_config_info{hash=\"" + bed.sidecar.configHash() + "\"} 1"),
        metrics);
    assertTrue(
        metrics.contains(
            "holysheep_failovers_total{from=\"primary\",reason=\"server_error\",to=\"secondary\"} 1.0"),
        metrics);
    Matcher tokens =
        Pattern.compile(
                "holysheep_tokens_total\\{model=\"([^\"]+)\",type=\"prompt\",upstream=\"primary\"} ([0-9.]+)")
            .matcher(metrics);
    assertTrue(tokens.find(), metrics);
    assertEquals(model, tokens.group(1), "a listed model keeps its name");
    assertTrue(Double.parseDouble(tokens.group(2)) > 0);
    assertTrue(metrics.contains("type=\"completion\""), "usage from the final stream chunk too");
  }

  @Test
  void unlistedModelsAreCountedAsOther() {
    bed.chat();
    assertTrue(
        bed.admin("/metrics").text().contains("holysheep_tokens_total{model=\"other\""),
        "no /models seen yet, so the model label is bounded to other");
  }

  @Test
  void statusShowsBreakerStateAndKeyPresencePerUpstream() {
    primary.setFault(Fault.ofStatus(500));
    for (int i = 0; i < 3; i++) {
      bed.chat();
    }
    JsonObject primaryStatus = bed.upstreamStatus("primary");
    JsonObject secondaryStatus = bed.upstreamStatus("secondary");
    assertEquals("open", primaryStatus.getString("breaker"));
    assertEquals("closed", secondaryStatus.getString("breaker"));
    assertEquals(true, primaryStatus.getBoolean("keyPresent"));
    assertEquals("env", secondaryStatus.getString("keySource"));
    assertEquals("fallback-1/api-key", secondaryStatus.getString("keySecret"));
  }

  @Test
  void healthAndReadyStay200WhileEveryUpstreamIsDown() {
    primary.setFault(Fault.ofResetBeforeHeaders());
    secondary.setFault(Fault.ofStatus(503));
    for (int i = 0; i < 4; i++) {
      assertEquals(502, bed.chat().status());
    }
    assertEquals(200, bed.admin("/health").status());
    assertEquals(200, bed.admin("/ready").status());
    assertEquals("open", bed.upstreamStatus("secondary").getString("breaker"));
  }

  @Test
  void shutdownIsRefusedWithGetAndNotFoundPathsAnswer404() {
    assertEquals(405, bed.admin("/shutdown").status());
    assertEquals(404, bed.admin("/nope").status());
  }
}
