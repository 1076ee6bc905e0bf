package ai.holysheep.k8s.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AvailabilityTest {
  private static Rendered defaults;
  private static Deployment deployment;

  @BeforeAll
  static void render() {
    defaults = Helm.template();
    deployment = defaults.one(Deployment.class);
  }

  /** The value after a flag: the server takes "--flag value" pairs. */
  static String flag(List<String> args, String name) {
    int index = args.indexOf(name);
    assertTrue(index > 0 && index + 1 < args.size(), name + " missing from " + args);
    return args.get(index + 1);
  }

  private static Container webhook(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void replicasAreLeftToTheHpaByDefault() {
    assertNull(deployment.getSpec().getReplicas(), "replicas would fight the HPA on every upgrade");
    HorizontalPodAutoscaler hpa = defaults.one(HorizontalPodAutoscaler.class);
    assertEquals("autoscaling/v2", hpa.getApiVersion());
    assertEquals(3, hpa.getSpec().getMinReplicas());
    assertEquals(10, hpa.getSpec().getMaxReplicas());
    assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
    assertEquals(deployment.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());
    var metric = hpa.getSpec().getMetrics().get(0).getResource();
    assertEquals("cpu", metric.getName());
    assertEquals("Utilization", metric.getTarget().getType());
    assertEquals(70, metric.getTarget().getAverageUtilization());
  }

  @Test
  void pdbAllowsOneWebhookPodDownAndSelectsThem() {
    PodDisruptionBudget pdb = defaults.one(PodDisruptionBudget.class);
    assertEquals(new IntOrString(1), pdb.getSpec().getMaxUnavailable());
    assertNull(pdb.getSpec().getMinAvailable());
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(
        podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));
  }

  @Test
  void haOffRendersOneReplicaWithoutHpaOrPdb() {
    Rendered single =
        Helm.template(
            "--set",
            "replicaCount=1",
            "--set",
            "autoscaling.enabled=false",
            "--set",
            "podDisruptionBudget.enabled=false");
    assertEquals(1, single.one(Deployment.class).getSpec().getReplicas());
    assertTrue(single.all(HorizontalPodAutoscaler.class).isEmpty());
    assertTrue(single.all(PodDisruptionBudget.class).isEmpty());
  }

  @Test
  void hpaOffRendersReplicaCount() {
    Rendered fixed = Helm.template("--set", "autoscaling.enabled=false");
    assertEquals(3, fixed.one(Deployment.class).getSpec().getReplicas());
  }

  @Test
  void replicasPreferDifferentNodes() {
    var antiAffinity =
        deployment.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
    assertTrue(
        antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution().isEmpty(),
        "preferred, never required");
    var term =
        antiAffinity
            .getPreferredDuringSchedulingIgnoredDuringExecution()
            .get(0)
            .getPodAffinityTerm();
    assertEquals("kubernetes.io/hostname", term.getTopologyKey());
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(
        podLabels.entrySet().containsAll(term.getLabelSelector().getMatchLabels().entrySet()));
  }

  @Test
  void probesUseHttpsOnTheWebhookPort() {
    Container container = webhook(deployment);
    assertEquals("/healthz", container.getLivenessProbe().getHttpGet().getPath());
    assertEquals("/readyz", container.getReadinessProbe().getHttpGet().getPath());
    assertEquals("/healthz", container.getStartupProbe().getHttpGet().getPath());
    for (var probe :
        List.of(
            container.getLivenessProbe(),
            container.getReadinessProbe(),
            container.getStartupProbe())) {
      assertEquals("HTTPS", probe.getHttpGet().getScheme());
      assertEquals(new IntOrString("https"), probe.getHttpGet().getPort());
    }
    assertEquals(8443, container.getPorts().get(0).getContainerPort());
    assertEquals("8443", flag(container.getArgs(), "--port"));
  }

  @Test
  void portIsConfigurableAndTheServiceStaysOn443() {
    Rendered custom = Helm.template("--set", "webhook.port=9443");
    Container container = webhook(custom.one(Deployment.class));
    assertEquals(9443, container.getPorts().get(0).getContainerPort());
    assertEquals("https", container.getPorts().get(0).getName());
    assertEquals("9443", flag(container.getArgs(), "--port"));
    Service service = custom.one(Service.class);
    assertEquals(443, service.getSpec().getPorts().get(0).getPort());
    assertEquals(new IntOrString("https"), service.getSpec().getPorts().get(0).getTargetPort());
  }

  @Test
  void argsFollowTheWebhookProcessContract() {
    List<String> args = webhook(deployment).getArgs();
    assertEquals("serve", args.get(0));
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("--cert-mode", "self");
    expected.put("--config", "/etc/holysheep/config/config.yaml");
    expected.put("--service-name", Helm.RELEASE);
    expected.put("--webhook-config-name", Helm.RELEASE);
    expected.put("--tls-secret", Helm.RELEASE + "-tls");
    expected.put("--sidecar-image", "ghcr.io/holysheep-ai/holysheep-sidecar:0.1.0");
    expected.put("--sidecar-uid", "65532");
    expected.put("--native-sidecar", "auto");
    expected.put("--drain-delay", "5s");
    expected.put("--shutdown-grace", "10s");
    expected.forEach((name, value) -> assertEquals(value, flag(args, name), name));
    assertTrue(
        args.stream().noneMatch(arg -> arg.startsWith("--") && arg.contains("=")),
        "no --flag=value: " + args);
    assertEquals("ghcr.io/holysheep-ai/holysheep-webhook:0.1.0", webhook(deployment).getImage());
    assertTrue(
        webhook(deployment).getEnv().stream()
            .anyMatch(
                env ->
                    env.getName().equals("POD_NAMESPACE")
                        && env.getValueFrom()
                            .getFieldRef()
                            .getFieldPath()
                            .equals("metadata.namespace")));
  }

  @Test
  void sidecarUidCanBeOmittedForOpenShift() {
    List<String> args =
        webhook(Helm.template("--set", "sidecar.uid=null").one(Deployment.class)).getArgs();
    assertEquals("none", flag(args, "--sidecar-uid"));
  }

  @Test
  void shutdownDrainsThroughTheServerByDefault() {
    Container container = webhook(deployment);
    assertNull(
        container.getLifecycle(),
        "the image has no shell; the server's --drain-delay does the preStop delay");
    assertEquals(
        30L, deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
  }

  @Test
  void preStopSleepActionIsRenderedOnlyWhereKubernetesHasIt() {
    Container container =
        webhook(
            Helm.template("--set", "shutdown.preStopSleepSeconds=5", "--kube-version", "v1.30.2")
                .one(Deployment.class));
    assertEquals(5L, container.getLifecycle().getPreStop().getSleep().getSeconds());
    Helm.Result old =
        Helm.templateExpectingFailure(
            "--set", "shutdown.preStopSleepSeconds=5", "--kube-version", "v1.28.5-eks-5e0fdde");
    assertTrue(old.stderr().contains("shutdown.preStopSleepSeconds"), old.stderr());
  }

  @Test
  void managedClusterVersionsAreAcceptedAndOldOnesRefused() {
    Helm.template("--kube-version", "v1.28.5-eks-5e0fdde");
    Helm.Result old = Helm.templateExpectingFailure("--kube-version", "v1.27.9");
    assertTrue(old.stderr().contains(">=1.28.0-0"), old.stderr());
  }

  @Test
  void terminationGraceMustCoverTheDrainAndTheAdmissionsInFlight() {
    Helm.Result tooShort =
        Helm.templateExpectingFailure(
            "--set",
            "shutdown.drainDelay=15s",
            "--set",
            "shutdown.shutdownGrace=20s",
            "--set",
            "shutdown.terminationGracePeriodSeconds=30");
    assertTrue(
        tooShort.stderr().contains("must exceed preStopSleepSeconds + drainDelay + shutdownGrace"),
        tooShort.stderr());
    Deployment fits =
        Helm.template(
                "--set",
                "shutdown.drainDelay=1500ms",
                "--set",
                "shutdown.shutdownGrace=1m",
                "--set",
                "shutdown.terminationGracePeriodSeconds=62")
            .one(Deployment.class);
    assertEquals(62L, fits.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
  }

  @Test
  void aReplicaWhoseHeapRanOutIsRestarted() {
    String jvm =
        webhook(deployment).getEnv().stream()
            .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
            .findFirst()
            .orElseThrow()
            .getValue();
    assertTrue(jvm.contains("-XX:+ExitOnOutOfMemoryError"), jvm);
  }
}
