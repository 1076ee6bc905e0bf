package ai.holysheep.k8s.webhook.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.webhook.admission.AdmissionServer;
import ai.holysheep.k8s.webhook.admission.WebhookClient;
import ai.holysheep.k8s.webhook.cli.Webhook;
import ai.holysheep.k8s.webhook.inject.NativeSupport;
import ai.holysheep.k8s.webhook.tls.TestPki;
import ai.holysheep.k8s.webhook.tls.TestWebhooks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.zjsonpatch.JsonPatch;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Informers, readiness and Events against the fabric8 mock API server. */
class KubeInformersIT {
  static final Duration WAIT = Duration.ofSeconds(5);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  MockApiServer api;
  KubernetesClient admin;
  KubernetesClient webhookClient;
  Vertx vertx;
  Webhook webhook;
  WebhookClient https;

  @BeforeEach
  void start() throws Exception {
    api = new MockApiServer();
    admin = api.client();
    webhookClient = api.client();
    vertx = Vertx.vertx();
    TestPki pki = new TestPki();
    TestPki.write(dir, pki.issue());
    webhook =
        TestWebhooks.startFilesMode(
            vertx,
            dir,
            JsonNodeFactory.instance.objectNode(),
            webhookClient,
            "--namespace",
            "holysheep");
    https = new WebhookClient(pki.trustingOnlyCa(), webhook.port());
    Eventually.await(
        "informers synced and warmed up",
        TestWebhooks.READY_TIMEOUT,
        () -> webhook.readiness().waitingFor().isEmpty());
  }

  @AfterEach
  void stop() throws Exception {
    webhook.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    webhookClient.close();
    admin.close();
    api.close();
  }

  static Node node(String name, String kubelet, boolean unschedulable) {
    return CandidateNodesTest.node(name, kubelet, Map.of(), unschedulable);
  }

  JsonNode admittedPod(String fixture) throws Exception {
    String review = WebhookClient.fixture(fixture);
    HttpResponse<String> http = https.post(AdmissionServer.NAMESPACE_PATH, review);
    assertEquals(200, http.statusCode(), http.body());
    JsonNode response = JSON.readTree(http.body()).path("response");
    JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    return JsonPatch.apply(patch, JSON.readTree(review).path("request").path("object"));
  }

  @Test
  void readyzAnswers200OnceSyncedAnd503WhileDraining() throws Exception {
    HttpResponse<String> ready = https.get("/readyz");
    assertEquals(200, ready.statusCode(), ready.body());
    webhook.readiness().startDraining();
    HttpResponse<String> draining = https.get("/readyz");
    assertEquals(503, draining.statusCode());
    JsonNode body = JSON.readTree(draining.body());
    assertEquals(false, body.path("ready").asBoolean());
    assertEquals("[\"draining\"]", body.path("waitingFor").toString());
    assertTrue(body.path("reasons").path("draining").asText().contains("drained"), draining.body());
    assertEquals(200, https.get("/healthz").statusCode(), "still serving while draining");
  }

  @Test
  void warningsBecomeOneEventOnTheOwnerAndNoneForTheDryRun() throws Exception {
    https.post(
        AdmissionServer.NAMESPACE_PATH,
        WebhookClient.fixture("hostnetwork-pod-dryrun-review.json"));
    https.post(
        AdmissionServer.NAMESPACE_PATH, WebhookClient.fixture("hostnetwork-pod-review.json"));

    Eventually.await(
        "warning event",
        WAIT,
        () -> !admin.v1().events().inNamespace("chat").list().getItems().isEmpty());
    List<Event> events = admin.v1().events().inNamespace("chat").list().getItems();
    assertEquals(1, events.size(), "the dry run, queued first, made no event");
    Event event = events.get(0);
    assertEquals("ReplicaSet", event.getInvolvedObject().getKind());
    assertEquals("node-agent-5c7b9", event.getInvolvedObject().getName());
    assertEquals("9b2f4c6e-0a1b-4c2d-9e3f-1a2b3c4d5e6f", event.getInvolvedObject().getUid());
    assertEquals("Warning", event.getType());
    assertEquals(KubeWarningEvents.REASON, event.getReason());
    assertTrue(event.getMessage().contains("hostNetwork"), event.getMessage());
  }

  @Test
  void namespaceDefaultConfigComesFromTheInformerCacheWithoutAnApiCall() throws Exception {
    HolySheepConfigs.apply(admin, "chat", "default", Map.of("timeout", "7s", "maxRetries", 1));
    Eventually.await(
        "config in the cache",
        WAIT,
        () -> admittedPodUnchecked().toString().contains("\\\"timeout\\\":\\\"7s\\\""));

    int before = api.requestCount();
    JsonNode pod = admittedPod("replicaset-pod-review.json");
    assertEquals(before, api.requestCount(), "an admission made an API call");
    String config = sidecarEnv(pod, "HOLYSHEEP_CONFIG");
    JsonNode parsed = JSON.readTree(config);
    assertEquals("7s", parsed.path("timeout").asText());
    assertEquals(1, parsed.path("maxRetries").asInt());
  }

  @Test
  void nodeInformerDecidesBetweenNativeAndLegacySidecar() throws Exception {
    try (InformerNodeVersions nodes = InformerNodeVersions.start(webhookClient)) {
      Eventually.await("node informer synced", WAIT, nodes::synced);
      Pod unscheduled = new PodBuilder().withNewSpec().endSpec().build();
      assertEquals(NativeSupport.UNKNOWN, nodes.forPod(unscheduled));

      admin.nodes().resource(node("new", "v1.30.2", false)).create();
      admin.nodes().resource(node("old", "v1.28.5-eks-5e0fdde", false)).create();
      Eventually.await(
          "two nodes seen", WAIT, () -> nodes.forPod(unscheduled) == NativeSupport.NOT_ALL_NATIVE);
      Pod onNew = new PodBuilder().withNewSpec().withNodeName("new").endSpec().build();
      assertEquals(NativeSupport.ALL_NATIVE, nodes.forPod(onNew));
      // the webhook's informer has its own watch: it may see the nodes after the one above does
      Eventually.await(
          "webhook sees the old kubelet: legacy sidecar",
          WAIT,
          () -> legacy(admittedPodUnchecked()));

      admin
          .nodes()
          .withName("old")
          .edit(
              n -> {
                n.getSpec().setUnschedulable(true);
                return n;
              });
      Eventually.await(
          "cordoned node ignored",
          WAIT,
          () -> nodes.forPod(unscheduled) == NativeSupport.ALL_NATIVE);
      Eventually.await("webhook sees native support", WAIT, () -> !legacy(admittedPodUnchecked()));
    }
  }

  @Test
  void nodeCacheHoldsOnlyWhatInjectionReadsAndPinnedPodsSeeOnlyTheirPool() throws Exception {
    try (InformerNodeVersions nodes = InformerNodeVersions.start(webhookClient)) {
      Node old = CandidateNodesTest.CLUSTER.get(0);
      Node fresh =
          new NodeBuilder(CandidateNodesTest.CLUSTER.get(1))
              .editStatus()
              .addNewImage()
              .withNames("registry.example/big-image:1")
              .withSizeBytes(1_000_000_000L)
              .endImage()
              .endStatus()
              .build();
      admin.nodes().resource(old).create();
      admin.nodes().resource(fresh).create();
      Eventually.await("two nodes cached", WAIT, () -> nodes.informer().store().list().size() == 2);

      Node cached = nodes.informer().store().getByKey("new-1");
      assertTrue(cached.getStatus().getImages().isEmpty(), "images are not kept");
      assertEquals("v1.30.2", cached.getStatus().getNodeInfo().getKubeletVersion());
      assertEquals("new", cached.getMetadata().getLabels().get("pool"));
      Pod daemon =
          new PodBuilder().withNewSpec().withNodeSelector(Map.of("pool", "new")).endSpec().build();
      assertEquals(NativeSupport.ALL_NATIVE, nodes.forPod(daemon));
      assertEquals(
          NativeSupport.NOT_ALL_NATIVE,
          nodes.forPod(new PodBuilder().withNewSpec().endSpec().build()));
    }
  }

  JsonNode admittedPodUnchecked() {
    try {
      return admittedPod("replicaset-pod-review.json");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean legacy(JsonNode pod) {
    return "holysheep-proxy"
        .equals(pod.path("spec").path("containers").path(0).path("name").asText());
  }

  static String sidecarEnv(JsonNode pod, String name) {
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode container : pod.path("spec").path(list)) {
        if ("holysheep-proxy".equals(container.path("name").asText())) {
          for (JsonNode env : container.path("env")) {
            if (name.equals(env.path("name").asText())) {
              return env.path("value").asText();
            }
          }
        }
      }
    }
    throw new AssertionError("no " + name + " in " + pod);
  }
}
