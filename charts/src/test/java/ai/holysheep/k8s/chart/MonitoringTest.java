package ai.holysheep.k8s.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitoringTest {
  /** DESIGN metric names the dashboard must chart (sidecar) plus the webhook's own. */
  private static final List<String> METRICS =
      List.of(
          "holysheep_requests_total",
          "holysheep_request_duration_seconds_bucket",
          "holysheep_time_to_first_byte_seconds_bucket",
          "holysheep_failovers_total",
          "holysheep_upstream_attempts_total",
          "holysheep_circuit_state",
          "holysheep_upstream_healthy",
          "holysheep_tokens_total",
          "holysheep_cache_requests_total",
          "holysheep_webhook_admissions_total",
          "holysheep_webhook_admission_duration_seconds_bucket",
          "holysheep_webhook_cert_expiry_seconds");

  @Test
  void optionalObjectsAreOffByDefault() {
    Rendered defaults = Helm.template();
    assertTrue(defaults.generic("ServiceMonitor").isEmpty());
    assertTrue(defaults.generic("PodMonitor").isEmpty());
    assertTrue(defaults.all(NetworkPolicy.class).isEmpty());
    assertTrue(
        defaults.all(ConfigMap.class).stream()
            .noneMatch(cm -> cm.getMetadata().getName().endsWith("-dashboard")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void serviceMonitorScrapesTheWebhookOverHttps() {
    var monitor =
        Helm.template("--set", "serviceMonitor.enabled=true")
            .generic("ServiceMonitor", Helm.RELEASE);
    var spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    var endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
    assertEquals("https", endpoint.get("port"));
    assertEquals("https", endpoint.get("scheme"));
    assertEquals("/metrics", endpoint.get("path"));
  }

  @Test
  void dashboardIsValidJsonChartingEveryMetric() throws Exception {
    ConfigMap dashboard =
        Helm.template("--set", "dashboard.enabled=true").all(ConfigMap.class).stream()
            .filter(cm -> cm.getMetadata().getName().endsWith("-dashboard"))
            .findFirst()
            .orElseThrow();
    assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
    JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("holysheep-injector.json"));
    String expressions = json.get("panels").findValuesAsText("expr").toString();
    for (String metric : METRICS) {
      assertTrue(expressions.contains(metric), metric + " is not charted");
    }
  }

  @Test
  void networkPolicyAdmitsOnlyTheNamedApiServerAndScrapersOnTheWebhookPort() {
    NetworkPolicy policy =
        Helm.template(
                "--set",
                "networkPolicy.enabled=true",
                "--set",
                "webhook.port=9443",
                "--set",
                "networkPolicy.apiServerFrom[0].ipBlock.cidr=10.0.0.0/24",
                "--set",
                "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.team=monitoring")
            .one(NetworkPolicy.class);
    assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
    assertEquals(1, policy.getSpec().getIngress().size());
    var rule = policy.getSpec().getIngress().get(0);
    assertEquals(9443, rule.getPorts().get(0).getPort().getIntVal());
    assertEquals(2, rule.getFrom().size(), "the API server and the scrapers, nobody else");
    assertEquals("10.0.0.0/24", rule.getFrom().get(0).getIpBlock().getCidr());
    assertEquals(
        "monitoring", rule.getFrom().get(1).getNamespaceSelector().getMatchLabels().get("team"));
  }

  @Test
  void networkPolicyWithoutApiServerSourcesIsRefusedInsteadOfAdmittingAnyone() {
    Helm.Result result = Helm.templateExpectingFailure("--set", "networkPolicy.enabled=true");
    assertTrue(result.stderr().contains("networkPolicy.apiServerFrom: empty"), result.stderr());
  }
}
