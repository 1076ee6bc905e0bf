package ai.holysheep.k8s.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodSecurityTest {

  /** Every pod spec the chart renders: the webhook Deployment, the helm test pod, the probe pod. */
  private static List<Map.Entry<String, PodSpec>> podSpecs(Rendered rendered) {
    List<Map.Entry<String, PodSpec>> specs = new ArrayList<>();
    rendered
        .all(Deployment.class)
        .forEach(
            d ->
                specs.add(
                    Map.entry(
                        "Deployment " + d.getMetadata().getName(),
                        d.getSpec().getTemplate().getSpec())));
    for (Pod pod : rendered.all(Pod.class)) {
      specs.add(Map.entry("Pod " + pod.getMetadata().getName(), pod.getSpec()));
      pod.getSpec().getContainers().stream()
          .flatMap(c -> c.getEnv().stream())
          .filter(env -> env.getName().equals("PROBE_POD"))
          .forEach(
              env ->
                  specs.add(
                      Map.entry(
                          "dry-run probe pod",
                          Serialization.unmarshal(env.getValue(), Pod.class).getSpec())));
    }
    return specs;
  }

  @Test
  void everyRenderedContainerMeetsTheRestrictedProfile() {
    for (String[] args :
        List.of(
            new String[] {},
            new String[] {"--set", "certs.mode=certManager"},
            new String[] {"--set", "certs.mode=files", "--set", "certs.existingSecret=tls"})) {
      List<Map.Entry<String, PodSpec>> specs = podSpecs(Helm.template(args));
      assertEquals(3, specs.size(), "webhook, test hook and probe pod specs are all checked");
      for (var spec : specs) {
        assertEquals(List.of(), PodSecurity.restrictedViolations(spec.getKey(), spec.getValue()));
      }
    }
  }

  @Test
  void webhookRootFilesystemIsReadOnlyWithAWritableTmp() {
    var container =
        Helm.template()
            .one(Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem());
    assertTrue(
        container.getVolumeMounts().stream()
            .anyMatch(mount -> mount.getMountPath().equals("/tmp")));
  }

  @Test
  void checkerFlagsAnUnrestrictedPod() {
    // The checker must be able to fail: a pod with every classic violation.
    PodSpec bad =
        new PodBuilder()
            .withNewSpec()
            .withHostNetwork(true)
            .addNewVolume()
            .withName("host")
            .withNewHostPath()
            .withPath("/")
            .endHostPath()
            .endVolume()
            .addNewContainer()
            .withName("app")
            .withNewSecurityContext()
            .withPrivileged(true)
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .build()
            .getSpec();
    List<String> violations = PodSecurity.restrictedViolations("bad", bad);
    for (String expected :
        List.of(
            "hostNetwork",
            "hostPath",
            "privileged",
            "runAsNonRoot",
            "allowPrivilegeEscalation",
            "drop ALL",
            "seccompProfile")) {
      assertTrue(
          violations.stream().anyMatch(v -> v.contains(expected)),
          expected + " not flagged: " + violations);
    }
  }
}
