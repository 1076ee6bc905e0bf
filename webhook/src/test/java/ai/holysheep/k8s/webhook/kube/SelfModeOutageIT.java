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
import ai.holysheep.k8s.webhook.tls.TlsProbe;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code self} certificate mode when the API server is not there, stalls, or loses the Secret:
 * the replica still starts, its refreshes never pile up or take admission workers, and a deleted
 * Secret comes back with the CA the replicas already serve from.
 */
class SelfModeOutageIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String NAMESPACE = "holysheep";
  static final String SECRETS = "/namespaces/" + NAMESPACE + "/secrets/";

  FakeApiServer api;
  KubernetesClient admin;
  KubernetesClient client;
  Vertx vertx;
  Webhook webhook;

  @BeforeEach
  void setUp() {
    api = new FakeApiServer();
    admin = api.mock().client();
    client = api.client();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    api.clearFaults();
    if (webhook != null) {
      webhook.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client.close();
    admin.close();
    api.close();
  }

  Webhook start(String reloadInterval) throws Exception {
    ServeOptions options =
        ServeOptions.parse(
            new String[] {
              "--host", "127.0.0.1",
              "--port", "0",
              "--cert-mode", "self",
              "--namespace", NAMESPACE,
              "--reload-interval", reloadInterval,
              "--native-sidecar", "false",
              "--warm-up-rounds", "1"
            },
            Map.of());
    webhook =
        Webhook.start(
                vertx,
                options,
                SelfModeIT.selfOptions(NAMESPACE, "holysheep-injector"),
                JsonNodeFactory.instance.objectNode(),
                client,
                Clock.systemUTC())
            .toCompletionStage()
            .toCompletableFuture()
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return webhook;
  }

  X509Certificate secretCa() {
    Secret secret = admin.secrets().inNamespace(NAMESPACE).withName("holysheep-injector-tls").get();
    return Pem.decodeCertificate(SelfModeIT.decode(secret, "ca.crt"));
  }

  @Test
  void startsWithoutTheApiServerAndServesTheSecretsCertificateOnceItIsBack() throws Exception {
    api.refuse();
    start("200ms");

    Map<String, String> waiting = webhook.readiness().reasons();
    assertTrue(waiting.getOrDefault("certificate", "").contains("unreachable"), waiting.toString());
    assertEquals(List.of(), webhook.liveness().failures().keySet().stream().toList());

    api.accept();
    Eventually.await("ready", WAIT, () -> webhook.readiness().waitingFor().isEmpty());

    X509Certificate ca = secretCa();
    X509Certificate served = TlsProbe.handshake(TestPki.trusting(ca), webhook.port(), "127.0.0.1");
    assertTrue(CertificateChecks.isSignedBy(served, ca));
  }

  @Test
  void aDeletedSecretIsRecreatedFromTheCaTheReplicaServesFrom() throws Exception {
    start("1h");
    Eventually.await("ready", WAIT, () -> webhook.readiness().waitingFor().isEmpty());
    X509Certificate ca = secretCa();
    X509Certificate served = TlsProbe.handshake(TestPki.trusting(ca), webhook.port(), "127.0.0.1");

    admin.secrets().inNamespace(NAMESPACE).withName("holysheep-injector-tls").delete();
    webhook
        .refreshCertificate()
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    assertEquals(ca, secretCa(), "the same CA, not a new one the caBundle does not hold");
    assertEquals(served, TlsProbe.handshake(TestPki.trusting(ca), webhook.port(), "127.0.0.1"));
  }

  @Test
  void refreshesNeverOverlapNorTakeTheAdmissionWorkersWhileTheApiServerStalls() throws Exception {
    start("50ms");
    Eventually.await("ready", WAIT, () -> webhook.readiness().waitingFor().isEmpty());
    SSLContext trust = TestPki.trusting(secretCa());
    WebhookClient https = new WebhookClient(trust, webhook.port());

    api.stall(SECRETS);
    Eventually.await("a refresh stuck on the Secret", WAIT, () -> api.requests(SECRETS) > 0);
    // 40 ticks would have started by now with a timer that does not wait for the previous one
    Eventually.never(
        "a second refresh while the first waits for the API server",
        Duration.ofSeconds(2),
        () -> api.maxInFlight(SECRETS) > 1);

    HttpResponse<String> review =
        https.post(
            AdmissionServer.NAMESPACE_PATH, WebhookClient.fixture("replicaset-pod-review.json"));
    assertEquals(200, review.statusCode(), review.body());
    assertNotEquals(0, api.requests(SECRETS));
  }
}
