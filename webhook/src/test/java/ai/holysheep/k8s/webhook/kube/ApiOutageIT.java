package ai.holysheep.k8s.webhook.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.webhook.admission.AdmissionServer;
import ai.holysheep.k8s.webhook.admission.WebhookClient;
import ai.holysheep.k8s.webhook.cli.Webhook;
import ai.holysheep.k8s.webhook.tls.TestPki;
import ai.holysheep.k8s.webhook.tls.TestWebhooks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.zjsonpatch.JsonPatch;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook against an API server that misbehaves at start and later ({@link FakeApiServer}):
 * informers keep retrying, {@code /readyz} says what is missing, {@code /healthz} stays up, and the
 * replica becomes ready and injects with the namespace's HolySheepConfig once the API server is
 * usable.
 */
class ApiOutageIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  FakeApiServer api;
  KubernetesClient admin;
  KubernetesClient webhookClient;
  Vertx vertx;
  Webhook webhook;
  WebhookClient https;

  @BeforeEach
  void setUp() {
    api = new FakeApiServer();
    admin = api.mock().client();
    webhookClient = api.client();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (webhook != null) {
      webhook.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    webhookClient.close();
    admin.close();
    api.close();
  }

  void startWebhook() throws Exception {
    TestPki pki = new TestPki();
    TestPki.write(dir, pki.issue());
    webhook =
        TestWebhooks.startFilesMode(
            vertx,
            dir,
            JsonNodeFactory.instance.objectNode(),
            webhookClient,
            "--namespace",
            "holysheep",
            "--native-sidecar",
            "false");
    https = new WebhookClient(pki.trustingOnlyCa(), webhook.port());
  }

  void createNamespaceDefault(String namespace, String timeout) {
    HolySheepConfigs.apply(admin, namespace, "default", Map.of("timeout", timeout));
  }

  JsonNode readyz() throws Exception {
    return JSON.readTree(https.get("/readyz").body());
  }

  /** The timeout of the config the webhook injects for a pod of namespace chat. */
  String injectedTimeout() throws Exception {
    String review = WebhookClient.fixture("replicaset-pod-review.json");
    HttpResponse<String> http = https.post(AdmissionServer.NAMESPACE_PATH, review);
    assertEquals(200, http.statusCode(), http.body());
    JsonNode response = JSON.readTree(http.body()).path("response");
    assertTrue(response.path("allowed").asBoolean(), http.body());
    JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    JsonNode pod = JsonPatch.apply(patch, JSON.readTree(review).path("request").path("object"));
    String config = KubeInformersIT.sidecarEnv(pod, "HOLYSHEEP_CONFIG");
    return JSON.readTree(config).path("timeout").asText();
  }

  void awaitReady() throws Exception {
    Eventually.await("ready", WAIT, () -> webhook.readiness().waitingFor().isEmpty());
  }

  @Test
  void becomesReadyWhenTheCrdIsInstalledAfterTheWebhookStarted() throws Exception {
    api.hideCrd();
    startWebhook();

    Eventually.await(
        "readiness names the missing CRD",
        WAIT,
        () ->
            readyz().path("reasons").path("configs").asText().contains("CustomResourceDefinition"));
    assertEquals(200, https.get("/healthz").statusCode(), "a missing CRD is no reason to restart");

    createNamespaceDefault("chat", "7s");
    api.installCrd();

    awaitReady();
    assertEquals("7s", injectedTimeout());
  }

  @Test
  void becomesReadyWhenTheApiServerComesBackAfterRefusingConnectionsAtStart() throws Exception {
    api.refuse();
    startWebhook();

    Eventually.await(
        "readiness says the API server is unreachable",
        WAIT,
        () -> readyz().path("reasons").path("configs").asText().contains("cannot reach"));
    assertEquals("[\"configs\",\"warm-up\"]", readyz().path("waitingFor").toString());
    assertEquals(200, https.get("/healthz").statusCode());

    createNamespaceDefault("chat", "9s");
    api.accept();

    awaitReady();
    assertEquals("9s", injectedTimeout());
  }

  @Test
  void cacheFollowsChangesAcrossDroppedWatchesAndExpiredResourceVersions() throws Exception {
    startWebhook();
    awaitReady();

    int watches = api.watchesOpened();
    api.dropConnections();
    // created once the watches are back (the mock server replays no history to a resumed watch)
    Eventually.await("watches re-established", WAIT, () -> api.watchesOpened() > watches);
    createNamespaceDefault("chat", "11s");
    Eventually.await("change after a dropped watch", WAIT, () -> "11s".equals(injectedTimeout()));

    api.expireWatches("holysheepconfigs");
    api.dropConnections();
    // created while no watch can run (the mock server replays no history to a resumed watch)
    Eventually.await("a watch refused with 410", WAIT, () -> api.expiredWatches() > 0);
    createNamespaceDefault("chat", "13s");
    // the watch cannot resume (410 Expired): only a fresh list brings the change
    api.clearFaults();
    Eventually.await("change after a 410 relist", WAIT, () -> "13s".equals(injectedTimeout()));
    assertTrue(webhook.readiness().waitingFor().isEmpty());
  }
}
