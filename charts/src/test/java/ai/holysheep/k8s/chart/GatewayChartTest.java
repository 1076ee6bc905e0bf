package ai.holysheep.k8s.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.config.ConfigParser;
import ai.holysheep.k8s.config.HolySheepConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway as rendered with gateway.enabled=true: the tutorial's HA shape, parsed. */
class GatewayChartTest {
  static final String GATEWAY = Helm.RELEASE + "-gateway";
  private static final String ON = "gateway.enabled=true";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static Rendered gateway;
  private static Deployment deployment;

  @BeforeAll
  static void render() {
    gateway = Helm.template("--set", ON);
    deployment = named(gateway, Deployment.class, GATEWAY);
  }

  static <T extends HasMetadata> T named(Rendered rendered, Class<T> type, String name) {
    return rendered.all(type).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  private static Container container(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, String> podLabels() {
    return deployment.getSpec().getTemplate().getMetadata().getLabels();
  }

  @Test
  void isOffByDefault() {
    Rendered defaults = Helm.template();
    assertTrue(
        defaults.objects().stream().noneMatch(o -> o.getMetadata().getName().startsWith(GATEWAY)),
        "no gateway object without gateway.enabled");
  }

  @Test
  void runsTheSidecarImageInGatewayModeInTheReleaseNamespace() {
    Container c = container(deployment);
    assertEquals(Helm.NAMESPACE, deployment.getMetadata().getNamespace());
    assertEquals("ghcr.io/holysheep-ai/holysheep-sidecar:0.1.0", c.getImage());
    List<String> args = c.getArgs();
    assertEquals("gateway", args.get(0));
    assertEquals("/etc/holysheep/config/config.yaml", AvailabilityTest.flag(args, "--config"));
    assertEquals("0.0.0.0:8443", AvailabilityTest.flag(args, "--listen"));
    assertEquals("0.0.0.0:15081", AvailabilityTest.flag(args, "--admin-listen"));
    assertEquals("/etc/holysheep/gateway-tls/tls.crt", AvailabilityTest.flag(args, "--tls-cert"));
    assertEquals("/etc/holysheep/gateway-tls/tls.key", AvailabilityTest.flag(args, "--tls-key"));
    assertEquals("holysheep-gateway", AvailabilityTest.flag(args, "--audience"));
    assertEquals(
        "holysheep.ai/injection=enabled", AvailabilityTest.flag(args, "--namespace-label"));
    assertEquals("60s", AvailabilityTest.flag(args, "--review-ttl"));
    assertTrue(!args.contains("--allow-namespaces"), "no list by default");
    assertEquals(List.of("https", "admin"), c.getPorts().stream().map(p -> p.getName()).toList());
    assertEquals(8443, c.getPorts().get(0).getContainerPort());
  }

  @Test
  void hasTheTutorialsHaShape() {
    assertNull(deployment.getSpec().getReplicas(), "left to the HPA");
    HorizontalPodAutoscaler hpa = named(gateway, HorizontalPodAutoscaler.class, GATEWAY);
    assertEquals(3, hpa.getSpec().getMinReplicas());
    assertEquals(10, hpa.getSpec().getMaxReplicas());
    assertEquals(GATEWAY, hpa.getSpec().getScaleTargetRef().getName());
    assertEquals(
        70, hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization());
    PodDisruptionBudget pdb = named(gateway, PodDisruptionBudget.class, GATEWAY);
    assertEquals(new IntOrString(1), pdb.getSpec().getMaxUnavailable());
    assertTrue(
        podLabels()
            .entrySet()
            .containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));
    var term =
        deployment
            .getSpec()
            .getTemplate()
            .getSpec()
            .getAffinity()
            .getPodAntiAffinity()
            .getPreferredDuringSchedulingIgnoredDuringExecution()
            .get(0)
            .getPodAffinityTerm();
    assertEquals("kubernetes.io/hostname", term.getTopologyKey());
    assertEquals(
        "gateway", term.getLabelSelector().getMatchLabels().get("app.kubernetes.io/component"));
    Container c = container(deployment);
    assertEquals("/health", c.getLivenessProbe().getHttpGet().getPath());
    assertEquals("/ready", c.getReadinessProbe().getHttpGet().getPath());
    assertEquals("/ready", c.getStartupProbe().getHttpGet().getPath());
    assertEquals(new IntOrString("admin"), c.getReadinessProbe().getHttpGet().getPort());
  }

  @Test
  void withoutTheHpaItRunsReplicaCount() {
    Rendered fixed = Helm.template("--set", ON, "--set", "gateway.autoscaling.enabled=false");
    assertEquals(3, named(fixed, Deployment.class, GATEWAY).getSpec().getReplicas());
    assertTrue(
        fixed.all(HorizontalPodAutoscaler.class).stream()
            .noneMatch(h -> h.getMetadata().getName().equals(GATEWAY)));
  }

  @Test
  void theServiceMaps443ToTheTlsPortWithOptionalClientIpAffinity() {
    Service service = named(gateway, Service.class, GATEWAY);
    assertEquals(443, service.getSpec().getPorts().get(0).getPort());
    assertEquals(new IntOrString("https"), service.getSpec().getPorts().get(0).getTargetPort());
    assertEquals(
        1, service.getSpec().getPorts().size(), "the admin port is not on the callers' Service");
    assertTrue(podLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet()));
    assertEquals("gateway", service.getSpec().getSelector().get("app.kubernetes.io/component"));
    assertNull(service.getSpec().getSessionAffinity());
    Service sticky =
        named(
            Helm.template("--set", ON, "--set", "gateway.service.sessionAffinity=ClientIP"),
            Service.class,
            GATEWAY);
    assertEquals("ClientIP", sticky.getSpec().getSessionAffinity());
    assertEquals(
        10800, sticky.getSpec().getSessionAffinityConfig().getClientIP().getTimeoutSeconds());
  }

  @Test
  void theWebhooksServiceNeverSelectsGatewayPods() {
    Service webhook = named(gateway, Service.class, Helm.RELEASE);
    assertTrue(!podLabels().entrySet().containsAll(webhook.getSpec().getSelector().entrySet()));
  }

  @Test
  void theKeyComesFromTheCredentialsSecretInTheReleaseNamespaceOnly() {
    Volume secrets =
        deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("secrets"))
            .findFirst()
            .orElseThrow();
    var sources = secrets.getProjected().getSources();
    assertEquals(1, sources.size());
    assertEquals("holysheep-credentials", sources.get(0).getSecret().getName());
    assertEquals(
        "holysheep-credentials/api-key", sources.get(0).getSecret().getItems().get(0).getPath());
    assertTrue(
        container(deployment).getVolumeMounts().stream()
            .anyMatch(
                m ->
                    m.getName().equals("secrets")
                        && m.getMountPath().equals("/var/run/holysheep/secrets")));
  }

  @Test
  void aRedisSharedStaleCacheParsesAndMountsItsPassword() throws Exception {
    Rendered redis =
        Helm.template(
            "--set", ON,
            "--set", "gateway.config.cache.mode=redis",
            "--set", "gateway.config.cache.redisUrl=redis://redis.holysheep-system:6379/0",
            "--set", "gateway.config.cache.redisSecretRef.name=redis",
            "--set", "gateway.config.cache.redisSecretRef.key=password");
    HolySheepConfig config = gatewayConfig(redis);
    assertEquals("redis://redis.holysheep-system:6379/0", config.cache().redisUrl());
    var sources =
        named(redis, Deployment.class, GATEWAY)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getVolumes()
            .stream()
            .filter(v -> v.getName().equals("secrets"))
            .findFirst()
            .orElseThrow()
            .getProjected()
            .getSources();
    assertEquals(
        List.of("holysheep-credentials", "redis"),
        sources.stream().map(s -> s.getSecret().getName()).toList());
  }

  @Test
  void theGatewayConfigIsTheChartConfigWithTheOverlayAndParses() throws Exception {
    assertEquals(HolySheepConfig.defaults(), gatewayConfig(gateway));
    HolySheepConfig tuned =
        gatewayConfig(
            Helm.template(
                "--set",
                ON,
                "--set",
                "config.timeout=20s",
                "--set",
                "gateway.config.maxRetries=1"));
    assertEquals(java.time.Duration.ofSeconds(20), tuned.timeout());
    assertEquals(1, tuned.maxRetries());
  }

  static HolySheepConfig gatewayConfig(Rendered rendered) throws Exception {
    ConfigMap map = named(rendered, ConfigMap.class, GATEWAY + "-config");
    return ConfigParser.parse(YAML.readTree(map.getData().get("config.yaml")));
  }

  @Test
  void podsMeetTheRestrictedProfile() {
    assertEquals(
        List.of(),
        PodSecurity.restrictedViolations("gateway", deployment.getSpec().getTemplate().getSpec()));
    assertEquals(
        Boolean.TRUE, container(deployment).getSecurityContext().getReadOnlyRootFilesystem());
  }

  @Test
  void theNetworkPolicyAdmitsOnlyLabelledAndListedNamespacesOnTheTlsPort() {
    NetworkPolicy policy =
        named(
            Helm.template("--set", ON, "--set", "gateway.access.namespaces={batch,reports}"),
            NetworkPolicy.class,
            GATEWAY);
    assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
    NetworkPolicyIngressRule callers = policy.getSpec().getIngress().get(0);
    assertEquals(8443, callers.getPorts().get(0).getPort().getIntVal());
    assertEquals(2, callers.getFrom().size());
    assertEquals(
        Map.of("holysheep.ai/injection", "enabled"),
        callers.getFrom().get(0).getNamespaceSelector().getMatchLabels());
    assertNull(callers.getFrom().get(0).getPodSelector());
    var names = callers.getFrom().get(1).getNamespaceSelector().getMatchExpressions().get(0);
    assertEquals("kubernetes.io/metadata.name", names.getKey());
    assertEquals("In", names.getOperator());
    assertEquals(List.of("batch", "reports"), names.getValues());
    NetworkPolicyIngressRule admin = policy.getSpec().getIngress().get(1);
    assertEquals(15081, admin.getPorts().get(0).getPort().getIntVal());
    assertEquals(2, policy.getSpec().getIngress().size(), "no other port is open");
  }

  @Test
  void aNetworkPolicyThatWouldAdmitNobodyIsRefused() {
    Helm.Result result =
        Helm.templateExpectingFailure("--set", ON, "--set", "gateway.access.namespaceLabel=");
    assertTrue(result.stderr().contains("no namespace may call the gateway"), result.stderr());
  }

  @Test
  void rbacAddsOnlyCreateTokenReviewsAndGetNamespacesForTheLabel() {
    ClusterRole role = named(gateway, ClusterRole.class, GATEWAY);
    assertEquals(2, role.getRules().size());
    PolicyRule reviews = role.getRules().get(0);
    assertEquals(List.of("authentication.k8s.io"), reviews.getApiGroups());
    assertEquals(List.of("tokenreviews"), reviews.getResources());
    assertEquals(List.of("create"), reviews.getVerbs());
    PolicyRule namespaces = role.getRules().get(1);
    assertEquals(List.of(""), namespaces.getApiGroups());
    assertEquals(List.of("namespaces"), namespaces.getResources());
    assertEquals(List.of("get"), namespaces.getVerbs(), "no list, no watch");
    ClusterRoleBinding binding = named(gateway, ClusterRoleBinding.class, GATEWAY);
    String account = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    assertEquals(GATEWAY, account);
    assertEquals(account, binding.getSubjects().get(0).getName());
    assertEquals(Helm.NAMESPACE, binding.getSubjects().get(0).getNamespace());
    named(gateway, ServiceAccount.class, GATEWAY);
  }

  @Test
  void withoutTheLabelRbacIsCreateTokenReviewsAlone() {
    Rendered listOnly =
        Helm.template(
            "--set",
            ON,
            "--set",
            "gateway.access.namespaceLabel=",
            "--set",
            "gateway.access.namespaces={team-a}");
    ClusterRole role = named(listOnly, ClusterRole.class, GATEWAY);
    assertEquals(1, role.getRules().size());
    assertEquals(List.of("tokenreviews"), role.getRules().get(0).getResources());
    assertEquals(List.of("create"), role.getRules().get(0).getVerbs());
    assertEquals(
        "none",
        AvailabilityTest.flag(
            container(named(listOnly, Deployment.class, GATEWAY)).getArgs(), "--namespace-label"));
    assertEquals(
        "team-a",
        AvailabilityTest.flag(
            container(named(listOnly, Deployment.class, GATEWAY)).getArgs(), "--allow-namespaces"));
  }

  @Test
  void theWebhooksOwnRbacIsUnchanged() {
    List<String> before = rulesOf(Helm.template(), Helm.RELEASE);
    assertEquals(before, rulesOf(gateway, Helm.RELEASE));
    assertTrue(before.stream().noneMatch(r -> r.contains("tokenreviews")));
  }

  private static List<String> rulesOf(Rendered rendered, String name) {
    return named(rendered, ClusterRole.class, name).getRules().stream()
        .map(Object::toString)
        .toList();
  }

  @Test
  void certManagerIssuesTheGatewayCertificateFromTheChartsCa() {
    var certificate =
        Helm.template("--set", ON, "--set", "certs.mode=certManager")
            .generic("Certificate", GATEWAY + "-serving");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        (Map<String, Object>) certificate.getAdditionalProperties().get("spec");
    assertEquals(GATEWAY + "-tls", spec.get("secretName"));
    assertEquals(
        List.of(
            GATEWAY,
            GATEWAY + "." + Helm.NAMESPACE,
            GATEWAY + "." + Helm.NAMESPACE + ".svc",
            GATEWAY + "." + Helm.NAMESPACE + ".svc.cluster.local"),
        spec.get("dnsNames"));
    assertEquals(Map.of("kind", "Issuer", "name", Helm.RELEASE + "-ca"), spec.get("issuerRef"));
    @SuppressWarnings("unchecked")
    Map<String, Object> key = (Map<String, Object>) spec.get("privateKey");
    assertEquals("PKCS8", key.get("encoding"));
  }

  @Test
  void filesModeNeedsTheGatewaysOwnSecret() {
    Helm.Result result =
        Helm.templateExpectingFailure(
            "--set", ON, "--set", "certs.mode=files", "--set", "certs.existingSecret=webhook-tls");
    assertTrue(result.stderr().contains("gateway.certs.existingSecret"), result.stderr());
    Rendered files =
        Helm.template(
            "--set", ON,
            "--set", "certs.mode=files",
            "--set", "certs.existingSecret=webhook-tls",
            "--set", "gateway.certs.existingSecret=gateway-tls");
    assertEquals(
        "gateway-tls",
        named(files, Deployment.class, GATEWAY)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getVolumes()
            .stream()
            .filter(v -> v.getName().equals("tls"))
            .findFirst()
            .orElseThrow()
            .getSecret()
            .getSecretName());
  }

  @Test
  @SuppressWarnings("unchecked")
  void serviceMonitorScrapesTheAdminPortOfAHeadlessService() {
    Rendered monitored = Helm.template("--set", ON, "--set", "gateway.serviceMonitor.enabled=true");
    var monitor = monitored.generic("ServiceMonitor", GATEWAY);
    var spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    var endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
    assertEquals("admin", endpoint.get("port"));
    assertEquals("/metrics", endpoint.get("path"));
    Service metrics = named(monitored, Service.class, GATEWAY + "-metrics");
    assertEquals("None", metrics.getSpec().getClusterIP());
    var selector =
        (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertTrue(metrics.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()));
    assertTrue(
        !named(monitored, Service.class, GATEWAY)
            .getMetadata()
            .getLabels()
            .entrySet()
            .containsAll(selector.entrySet()));
  }

  @Test
  void unknownGatewayValuesAreRejected() {
    Helm.Result result = Helm.templateExpectingFailure("--set", ON, "--set", "gateway.replicas=4");
    assertTrue(result.stderr().contains("replicas"), result.stderr());
    Helm.Result label =
        Helm.templateExpectingFailure(
            "--set", ON, "--set", "gateway.access.namespaceLabel=enabled");
    assertTrue(label.stderr().contains("namespaceLabel"), label.stderr());
    Helm.Result affinity =
        Helm.templateExpectingFailure(
            "--set", ON, "--set", "gateway.service.sessionAffinity=Cookie");
    assertTrue(affinity.stderr().contains("sessionAffinity"), affinity.stderr());
  }

  @Test
  void inSelfModeTheWebhookIssuesTheGatewayCertificateAndMayWriteOnlyThatSecretMore() {
    List<String> args = container(named(gateway, Deployment.class, Helm.RELEASE)).getArgs();
    assertEquals("direct", AvailabilityTest.flag(args, "--default-upstream"));
    assertEquals(
        "https://" + GATEWAY + "." + Helm.NAMESPACE + ".svc:443/v1",
        AvailabilityTest.flag(args, "--gateway-url"));
    assertEquals("holysheep-gateway", AvailabilityTest.flag(args, "--gateway-audience"));
    assertEquals(GATEWAY, AvailabilityTest.flag(args, "--gateway-service"));
    assertEquals(GATEWAY + "-tls", AvailabilityTest.flag(args, "--gateway-tls-secret"));
    var role = named(gateway, io.fabric8.kubernetes.api.model.rbac.Role.class, Helm.RELEASE);
    assertTrue(
        role.getRules().stream()
            .anyMatch(
                r ->
                    r.getResourceNames() != null
                        && r.getResourceNames()
                            .equals(List.of(Helm.RELEASE + "-tls", GATEWAY + "-tls"))
                        && r.getVerbs().equals(List.of("get", "update", "patch"))),
        role.getRules().toString());
  }

  @Test
  void inCertManagerModeTheWebhookReadsOnlyTheGatewaysPublicCa() {
    Deployment webhook =
        named(
            Helm.template("--set", ON, "--set", "certs.mode=certManager"),
            Deployment.class,
            Helm.RELEASE);
    assertEquals(
        "/etc/holysheep/gateway-ca/ca.crt",
        AvailabilityTest.flag(container(webhook).getArgs(), "--gateway-ca-file"));
    Volume ca =
        webhook.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("gateway-ca"))
            .findFirst()
            .orElseThrow();
    assertEquals(GATEWAY + "-tls", ca.getSecret().getSecretName());
    assertEquals(
        List.of("ca.crt"), ca.getSecret().getItems().stream().map(i -> i.getKey()).toList());
    assertTrue(ca.getSecret().getOptional(), "the webhook starts before cert-manager issued it");
  }

  @Test
  void sendingSidecarsToAGatewayThatIsNotInstalledIsRefused() {
    Helm.Result result = Helm.templateExpectingFailure("--set", "sidecar.upstream=gateway");
    assertTrue(result.stderr().contains("gateway.enabled is false"), result.stderr());
    assertEquals(
        "gateway",
        AvailabilityTest.flag(
            container(
                    named(
                        Helm.template("--set", ON, "--set", "sidecar.upstream=gateway"),
                        Deployment.class,
                        Helm.RELEASE))
                .getArgs(),
            "--default-upstream"));
  }

  @Test
  void theClusterConfigNameReachesTheWebhookButNotTheSpec() throws Exception {
    Rendered named = Helm.template("--set", "config.clusterConfigName=production-cluster");
    assertEquals(
        "production-cluster",
        AvailabilityTest.flag(
            container(named.one(Deployment.class)).getArgs(), "--cluster-config-name"));
    var config = DefaultConfigTest.configOf(named);
    assertNull(config.get("clusterConfigName"));
    assertEquals(HolySheepConfig.defaults(), ConfigParser.parse(config));
    assertTrue(
        !container(Helm.template().one(Deployment.class))
            .getArgs()
            .contains("--cluster-config-name"));
  }

  @Test
  void theTutorialsValuesRenderItsShapeAndItsFilesParse() throws Exception {
    Rendered tutorial = Helm.template("-f", "../examples/tutorial/values.yaml");
    Deployment proxy = named(tutorial, Deployment.class, "holysheep-proxy");
    assertEquals("gateway", container(proxy).getArgs().get(0));
    Service service = named(tutorial, Service.class, "holysheep-proxy");
    assertEquals("ClientIP", service.getSpec().getSessionAffinity());
    List<String> args = container(named(tutorial, Deployment.class, Helm.RELEASE)).getArgs();
    assertEquals("gateway", AvailabilityTest.flag(args, "--default-upstream"));
    assertEquals("production-cluster", AvailabilityTest.flag(args, "--cluster-config-name"));
    assertEquals(
        "https://holysheep-proxy." + Helm.NAMESPACE + ".svc:443/v1",
        AvailabilityTest.flag(args, "--gateway-url"));
    var cluster =
        YAML.readTree(
            java.nio.file.Files.readString(
                java.nio.file.Path.of("../examples/tutorial/production-cluster.yaml")));
    assertEquals("holysheep-system", cluster.at("/metadata/namespace").asText());
    assertEquals("production-cluster", cluster.at("/metadata/name").asText());
    ConfigParser.parse(cluster.get("spec"));
    String app =
        java.nio.file.Files.readString(java.nio.file.Path.of("../examples/tutorial/app.yaml"));
    assertTrue(app.contains("holysheep.ai/injection: enabled"));
    assertTrue(!app.contains("kind: Secret"), "the app namespace holds no key");
  }
}
