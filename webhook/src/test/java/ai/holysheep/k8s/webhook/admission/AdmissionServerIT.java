package ai.holysheep.k8s.webhook.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.webhook.cli.Webhook;
import ai.holysheep.k8s.webhook.inject.ConfigSource;
import ai.holysheep.k8s.webhook.inject.InjectionContext;
import ai.holysheep.k8s.webhook.inject.InjectionResult;
import ai.holysheep.k8s.webhook.inject.Injector;
import ai.holysheep.k8s.webhook.inject.InjectorOptions;
import ai.holysheep.k8s.webhook.inject.NativeSupport;
import ai.holysheep.k8s.webhook.inject.NodeVersions;
import ai.holysheep.k8s.webhook.inject.Scope;
import ai.holysheep.k8s.webhook.tls.TestPki;
import ai.holysheep.k8s.webhook.tls.TestWebhooks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real HTTPS server (files mode, no API server) answering AdmissionReviews. */
class AdmissionServerIT {
  /** Everything injection may touch; a patch operation outside these is a bug. */
  static final Set<String> OWNED_PATHS =
      Set.of("/metadata/annotations", "/spec/containers", "/spec/initContainers", "/spec/volumes");

  static final ObjectMapper JSON = new ObjectMapper();
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final JsonNode CHART_DEFAULT = JsonNodeFactory.instance.objectNode();

  @TempDir static Path dir;
  static Vertx vertx;
  static TestPki pki;
  static Webhook webhook;
  static WebhookClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    pki = new TestPki();
    TestPki.write(dir, pki.issue());
    webhook =
        TestWebhooks.startFilesMode(vertx, dir, CHART_DEFAULT, null, "--native-sidecar", "true");
    client = new WebhookClient(pki.trustingOnlyCa(), webhook.port());
  }

  @AfterAll
  static void stop() throws Exception {
    webhook.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static JsonNode response(HttpResponse<String> http) throws Exception {
    assertEquals(200, http.statusCode(), http.body());
    JsonNode review = JSON.readTree(http.body());
    assertEquals("AdmissionReview", review.path("kind").asText());
    assertEquals("admission.k8s.io/v1", review.path("apiVersion").asText());
    return review.path("response");
  }

  static JsonNode patchOf(JsonNode response) throws Exception {
    assertEquals("JSONPatch", response.path("patchType").asText());
    return JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
  }

  static Pod expectedInjected(JsonNode object, String namespace, boolean dryRun) {
    Pod pod = SERIALIZATION.convertValue(object, Pod.class);
    InjectionResult result =
        Injector.create(InjectorOptions.defaults())
            .inject(
                pod,
                new InjectionContext(
                    Scope.NAMESPACE,
                    namespace,
                    dryRun,
                    ConfigSource.ofDefault(CHART_DEFAULT),
                    NodeVersions.fixed(NativeSupport.ALL_NATIVE)));
    return ((InjectionResult.Injected) result).pod();
  }

  static JsonNode normalized(JsonNode podTree) {
    return JSON.valueToTree(
        SERIALIZATION.unmarshal(podTree.toString(), Pod.class)); // same serialization both sides
  }

  @Test
  void replicaSetPodPatchEchoesUidAndProducesTheInjectedPod() throws Exception {
    String fixture = WebhookClient.fixture("replicaset-pod-review.json");
    JsonNode request = JSON.readTree(fixture).path("request");
    JsonNode response = response(client.post(AdmissionServer.NAMESPACE_PATH, fixture));

    assertEquals(request.path("uid").asText(), response.path("uid").asText());
    assertTrue(response.path("allowed").asBoolean());
    JsonNode patch = patchOf(response);
    JsonNode patched = JsonPatch.apply(patch, request.path("object"));

    Pod expected = expectedInjected(request.path("object"), "chat", false);
    assertEquals(JSON.valueToTree(expected), normalized(patched));
    assertTrue(
        patched.path("spec").path("initContainers").toString().contains("holysheep-proxy"),
        "native sidecar expected with --native-sidecar true");
    assertTrue(patched.path("metadata").path("name").isMissingNode(), "no name invented");
    assertOpsOnlyTouchOwnedPaths(patch);
  }

  @Test
  void dryRunGetsTheSamePatch() throws Exception {
    JsonNode dry =
        response(
            client.post(
                AdmissionServer.NAMESPACE_PATH,
                WebhookClient.fixture("replicaset-pod-dryrun-review.json")));
    JsonNode wet =
        response(
            client.post(
                AdmissionServer.NAMESPACE_PATH,
                WebhookClient.fixture("replicaset-pod-review.json")));
    assertEquals("0d6a9b3c-21f4-4b7e-a1c2-7e8f9a0b1c2d", dry.path("uid").asText());
    assertEquals(patchOf(wet), patchOf(dry));
  }

  @Test
  void patchAppliedToGoldenInputEqualsGoldenOutput() throws Exception {
    Path golden = Path.of("src", "test", "resources", "golden", "generate-name-pod");
    YAMLMapper yaml = new YAMLMapper();
    JsonNode input = yaml.readTree(Files.readString(golden.resolve("input.yaml")));
    JsonNode expected = yaml.readTree(Files.readString(golden.resolve("expected.yaml")));
    String namespace =
        yaml.readTree(Files.readString(golden.resolve("context.yaml"))).path("namespace").asText();
    ObjectNode review =
        (ObjectNode) JSON.readTree(WebhookClient.fixture("replicaset-pod-review.json"));
    ((ObjectNode) review.path("request")).set("object", input);
    ((ObjectNode) review.path("request")).put("namespace", namespace);

    JsonNode response = response(client.post(AdmissionServer.NAMESPACE_PATH, review.toString()));
    JsonNode patch = patchOf(response);

    assertEquals(expected, JsonPatch.apply(patch, input));
    assertOpsOnlyTouchOwnedPaths(patch);
  }

  @Test
  void alreadyInjectedPodGetsNoPatch() throws Exception {
    JsonNode request =
        JSON.readTree(WebhookClient.fixture("replicaset-pod-review.json")).path("request");
    Pod injected = expectedInjected(request.path("object"), "chat", false);
    ObjectNode review =
        (ObjectNode) JSON.readTree(WebhookClient.fixture("replicaset-pod-review.json"));
    ((ObjectNode) review.path("request")).set("object", JSON.valueToTree(injected));

    JsonNode response = response(client.post(AdmissionServer.NAMESPACE_PATH, review.toString()));

    assertTrue(response.path("allowed").asBoolean());
    assertTrue(response.path("patch").isMissingNode(), response.toString());
  }

  @Test
  void podRouteLeavesAPodWithoutOptInAlone() throws Exception {
    JsonNode response =
        response(
            client.post(
                AdmissionServer.POD_PATH, WebhookClient.fixture("replicaset-pod-review.json")));
    assertTrue(response.path("allowed").asBoolean());
    assertTrue(response.path("patch").isMissingNode(), response.toString());
  }

  @Test
  void invalidAnnotationIsDeniedWith403AndTheInjectorsMessage() throws Exception {
    JsonNode response =
        response(
            client.post(
                AdmissionServer.NAMESPACE_PATH,
                WebhookClient.fixture("invalid-annotation-review.json")));
    assertFalse(response.path("allowed").asBoolean());
    assertEquals(403, response.path("status").path("code").asInt());
    assertEquals("Forbidden", response.path("status").path("reason").asText());
    String message = response.path("status").path("message").asText();
    assertTrue(message.contains("holysheep.ai/timeout") && message.contains("3 seconds"), message);
    assertTrue(response.path("patch").isMissingNode());
  }

  @Test
  void hostNetworkPodIsAllowedUnchangedWithAWarning() throws Exception {
    JsonNode response =
        response(
            client.post(
                AdmissionServer.NAMESPACE_PATH,
                WebhookClient.fixture("hostnetwork-pod-review.json")));
    assertTrue(response.path("allowed").asBoolean());
    assertTrue(response.path("patch").isMissingNode());
    assertEquals(1, response.path("warnings").size(), response.toString());
    assertTrue(response.path("warnings").get(0).asText().contains("hostNetwork"));
  }

  @Test
  void metricsCountAdmissionsByPathResultAndReason() throws Exception {
    client.post(AdmissionServer.POD_PATH, WebhookClient.fixture("hostnetwork-pod-review.json"));
    client.post(AdmissionServer.POD_PATH, "not json");
    HttpResponse<String> metrics = client.get("/metrics");
    assertEquals(200, metrics.statusCode());
    String text = metrics.body();
    assertTrue(
        text.contains(
            "holysheep_webhook_admissions_total{path=\"/mutate/pod\",reason=\"not-opted-in\",result=\"skipped\"}"),
        text);
    assertTrue(
        text.contains(
            "holysheep_webhook_admissions_total{path=\"/mutate/pod\",reason=\"bad-request\",result=\"error\"}"),
        text);
    assertTrue(
        text.contains("holysheep_webhook_admission_duration_seconds_count{path=\"/mutate/pod\"}"),
        text);
    double expiry = gauge(text, "holysheep_webhook_cert_expiry_seconds");
    assertTrue(expiry > 3600 && expiry <= 86400, "expiry " + expiry);
  }

  @Test
  void healthAndReadinessAnswerWithoutAnApiServer() throws Exception {
    assertEquals(200, client.get("/healthz").statusCode());
    HttpResponse<String> ready = client.get("/readyz");
    assertEquals(200, ready.statusCode(), ready.body());
    assertEquals("{\"ready\":true}", ready.body());
  }

  static double gauge(String text, String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError(name + " missing in\n" + text);
  }

  static void assertOpsOnlyTouchOwnedPaths(JsonNode patch) {
    assertTrue(patch.size() > 0, "empty patch");
    Set<String> touched = new HashSet<>();
    for (JsonNode op : patch) {
      String path = op.path("path").asText();
      String owner =
          OWNED_PATHS.stream()
              .filter(p -> path.equals(p) || path.startsWith(p + "/"))
              .findFirst()
              .orElse(null);
      assertTrue(owner != null, "patch op outside what injection owns: " + op);
      assertTrue(
          Set.of("add", "remove", "replace").contains(op.path("op").asText()), op.toString());
      touched.add(owner);
    }
    assertTrue(
        touched.contains("/metadata/annotations") || touched.contains("/metadata/annotations"));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
