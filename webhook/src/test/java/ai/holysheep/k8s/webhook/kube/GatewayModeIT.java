package ai.holysheep.k8s.webhook.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.certs.CertificateChecks;
import ai.holysheep.k8s.certs.Pem;
import ai.holysheep.k8s.webhook.admission.AdmissionServer;
import ai.holysheep.k8s.webhook.admission.WebhookClient;
import ai.holysheep.k8s.webhook.cli.ServeOptions;
import ai.holysheep.k8s.webhook.cli.Webhook;
import ai.holysheep.k8s.webhook.tls.TestPki;
import ai.holysheep.k8s.webhook.tls.TestWebhooks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.zjsonpatch.JsonPatch;
import io.vertx.core.Future;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook's side of the gateway against the fabric8 mock API server: the gateway's certificate
 * in self mode, the injected gateway upstream with the CA inline, and the cluster default config.
 */
class GatewayModeIT extends WebhooksOnMockApi {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String NS = "holysheep";
  static final String GATEWAY = "holysheep-gateway";
  static final String GATEWAY_SECRET = "holysheep-gateway-tls";
  static final String GATEWAY_URL = "https://holysheep-gateway.holysheep.svc:443/v1";

  @TempDir Path dir;

  Webhook startSelf(SelfSignedOptions self, Clock clock) throws Exception {
    ServeOptions options =
        ServeOptions.parse(
            new String[] {
              "--host", "127.0.0.1",
              "--port", "0",
              "--cert-mode", "self",
              "--namespace", NS,
              "--reload-interval", "1h",
              "--native-sidecar", "true",
              "--default-upstream", "gateway",
              "--gateway-url", GATEWAY_URL,
              "--gateway-service", GATEWAY,
              "--gateway-tls-secret", GATEWAY_SECRET
            },
            Map.of());
    KubernetesClient client = api.client();
    clients.add(client);
    return await(
        Webhook.start(vertx, options, self, JsonNodeFactory.instance.objectNode(), client, clock)
            .onSuccess(started::add));
  }

  static SelfSignedOptions self() {
    return SelfModeIT.selfOptions(NS, "holysheep-injector");
  }

  static <T> T await(Future<T> future) throws Exception {
    return future
        .toCompletionStage()
        .toCompletableFuture()
        .get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
  }

  Secret gatewaySecret() {
    return admin.secrets().inNamespace(NS).withName(GATEWAY_SECRET).get();
  }

  X509Certificate webhookCa() {
    return Pem.decodeCertificate(
        SelfModeIT.decode(
            admin.secrets().inNamespace(NS).withName("holysheep-injector-tls").get(), "ca.crt"));
  }

  static JsonNode admittedPod(SSLContext trust, int port) throws Exception {
    String review = WebhookClient.fixture("replicaset-pod-review.json");
    HttpResponse<String> http =
        new WebhookClient(trust, port).post(AdmissionServer.NAMESPACE_PATH, review);
    assertEquals(200, http.statusCode(), http.body());
    JsonNode response = JSON.readTree(http.body()).path("response");
    JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    return JsonPatch.apply(patch, JSON.readTree(review).path("request").path("object"));
  }

  static JsonNode sidecarConfig(JsonNode pod) throws Exception {
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode container : pod.path("spec").path(list)) {
        for (JsonNode env : container.path("env")) {
          if (env.path("name").asText().equals("HOLYSHEEP_CONFIG")) {
            return JSON.readTree(env.path("value").asText());
          }
        }
      }
    }
    throw new AssertionError("no sidecar config in " + pod);
  }

  @Test
  void selfModeIssuesTheGatewayCertificateFromTheWebhookCaAndInjectsItInline() throws Exception {
    Webhook webhook = startSelf(self(), Clock.systemUTC());
    Secret secret = gatewaySecret();
    assertEquals("kubernetes.io/tls", secret.getType());
    X509Certificate ca = webhookCa();
    X509Certificate leaf = Pem.decodeCertificate(SelfModeIT.decode(secret, "tls.crt"));
    assertTrue(CertificateChecks.isSignedBy(leaf, ca));
    List<String> sans =
        leaf.getSubjectAlternativeNames().stream().map(e -> String.valueOf(e.get(1))).toList();
    assertTrue(
        sans.containsAll(
            List.of(
                GATEWAY,
                GATEWAY + "." + NS,
                GATEWAY + "." + NS + ".svc",
                GATEWAY + "." + NS + ".svc.cluster.local")),
        sans.toString());
    assertEquals(List.of(ca), Pem.decodeCertificates(SelfModeIT.decode(secret, "ca.crt")));
    Pem.decodePrivateKey(SelfModeIT.decode(secret, "tls.key"));

    JsonNode pod = admittedPod(TestPki.trusting(ca), webhook.port());
    JsonNode config = sidecarConfig(pod);
    assertEquals(GATEWAY_URL, config.path("baseUrl").asText());
    assertEquals(
        "/var/run/holysheep/secrets/.holysheep/gateway-token", config.path("apiKeyFile").asText());
    assertTrue(config.path("apiKeySecretRef").isNull());
    assertEquals(List.of(ca), Pem.decodeCertificates(config.path("caPem").asText()));
    JsonNode sources = null;
    for (JsonNode volume : pod.path("spec").path("volumes")) {
      if (volume.path("name").asText().equals("holysheep-secrets")) {
        sources = volume.path("projected").path("sources");
      }
    }
    assertEquals(1, sources.size(), "only the token: " + sources);
    assertEquals(
        "holysheep-gateway", sources.get(0).path("serviceAccountToken").path("audience").asText());
  }

  @Test
  void aSecondReplicaLeavesTheGatewaySecretAlone() throws Exception {
    startSelf(self(), Clock.systemUTC());
    String version = gatewaySecret().getMetadata().getResourceVersion();
    Webhook second = startSelf(self(), Clock.systemUTC());
    await(second.refreshCertificate());
    assertEquals(version, gatewaySecret().getMetadata().getResourceVersion());
  }

  @Test
  void theGatewayCertificateIsReissuedWhenItNearsExpiry() throws Exception {
    MutableClock clock = new MutableClock(Instant.now().minus(Duration.ofMinutes(100)));
    SelfSignedOptions self =
        self()
            .withLifetimes(
                Duration.ofDays(10),
                Duration.ofHours(2),
                Duration.ofDays(2),
                Duration.ofMinutes(30),
                Duration.ofMinutes(10));
    Webhook webhook = startSelf(self, clock);
    X509Certificate before = Pem.decodeCertificate(SelfModeIT.decode(gatewaySecret(), "tls.crt"));
    clock.advance(Duration.ofMinutes(100));
    await(webhook.refreshCertificate());
    X509Certificate after = Pem.decodeCertificate(SelfModeIT.decode(gatewaySecret(), "tls.crt"));
    assertNotEquals(before.getSerialNumber(), after.getSerialNumber());
    assertTrue(CertificateChecks.isSignedBy(after, webhookCa()));
  }

  @Test
  void theInjectorsNamespaceHoldsTheClusterDefaultAndAnAmbiguityBecomesAnEvent() throws Exception {
    TestPki pki = new TestPki();
    TestPki.write(dir, pki.issue());
    KubernetesClient client = api.client();
    clients.add(client);
    Webhook webhook =
        TestWebhooks.startFilesMode(
            vertx, dir, JsonNodeFactory.instance.objectNode(), client, "--namespace", NS);
    started.add(webhook);
    Eventually.await("informers synced", WAIT, () -> webhook.readiness().waitingFor().isEmpty());
    HolySheepConfigs.apply(
        admin, NS, "production-cluster", Map.of("timeout", "9s", "maxRetries", 2));
    Eventually.await(
        "cluster default in the cache",
        WAIT,
        () -> sidecarConfigUnchecked(pki, webhook).path("timeout").asText().equals("9s"));
    assertEquals(
        2,
        sidecarConfig(admittedPod(pki.trustingOnlyCa(), webhook.port()))
            .path("maxRetries")
            .asInt());

    HolySheepConfigs.apply(admin, NS, "staging-cluster", Map.of("timeout", "3s"));
    Eventually.await(
        "ambiguous: none applies",
        WAIT,
        () -> sidecarConfigUnchecked(pki, webhook).path("timeout").asText().equals("30s"));
    Eventually.await(
        "an Event on the owner",
        WAIT,
        () -> !admin.v1().events().inNamespace("chat").list().getItems().isEmpty());
    Event event = admin.v1().events().inNamespace("chat").list().getItems().get(0);
    assertTrue(
        event
            .getMessage()
            .contains(
                "several HolySheepConfigs in holysheep (production-cluster, staging-cluster)"),
        event.getMessage());
  }

  static JsonNode sidecarConfigUnchecked(TestPki pki, Webhook webhook) {
    try {
      return sidecarConfig(admittedPod(pki.trustingOnlyCa(), webhook.port()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
