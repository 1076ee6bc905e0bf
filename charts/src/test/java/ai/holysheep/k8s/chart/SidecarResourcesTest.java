package ai.holysheep.k8s.chart;

import static ai.holysheep.k8s.chart.AvailabilityTest.flag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.webhook.inject.ProxyResources;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

class SidecarResourcesTest {
  private static List<String> webhookArgs(Rendered rendered) {
    return rendered
        .one(Deployment.class)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getArgs();
  }

  @Test
  void theChartDefaultsAreTheWebhooksDefaults() {
    List<String> args = webhookArgs(Helm.template());
    assertEquals(ProxyResources.DEFAULT_CPU_REQUEST, flag(args, "--sidecar-cpu-request"));
    assertEquals(ProxyResources.DEFAULT_MEMORY_REQUEST, flag(args, "--sidecar-memory-request"));
    assertEquals(ProxyResources.DEFAULT_CPU_LIMIT, flag(args, "--sidecar-cpu-limit"));
    assertEquals(ProxyResources.DEFAULT_MEMORY_LIMIT, flag(args, "--sidecar-memory-limit"));
  }

  @Test
  void valuesReachTheWebhookAsFlagsWhateverTheirYamlType() {
    List<String> args =
        webhookArgs(
            Helm.template(
                "--set",
                "sidecar.resources.limits.cpu=2",
                "--set-string",
                "sidecar.resources.requests.cpu=0.1",
                "--set",
                "sidecar.resources.limits.memory=512Mi"));
    assertEquals("2", flag(args, "--sidecar-cpu-limit"));
    assertEquals("0.1", flag(args, "--sidecar-cpu-request"));
    assertEquals("512Mi", flag(args, "--sidecar-memory-limit"));
  }

  @Test
  void aMalformedQuantityOrAnUnknownKeyIsRejectedByTheSchema() {
    Helm.Result bad =
        Helm.templateExpectingFailure("--set", "sidecar.resources.limits.memory=lots");
    assertTrue(bad.stderr().contains("memory"), bad.stderr());
    Helm.Result unknown = Helm.templateExpectingFailure("--set", "sidecar.resources.limits.gpu=1");
    assertTrue(unknown.stderr().contains("gpu"), unknown.stderr());
  }
}
