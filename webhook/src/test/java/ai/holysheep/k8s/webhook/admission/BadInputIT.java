package ai.holysheep.k8s.webhook.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.webhook.cli.Webhook;
import ai.holysheep.k8s.webhook.tls.TestPki;
import ai.holysheep.k8s.webhook.tls.TestWebhooks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed requests get a clear 4xx JSON error, and the server keeps answering real reviews. */
class BadInputIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Vertx vertx;
  static Webhook webhook;
  static WebhookClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    TestPki pki = new TestPki();
    TestPki.write(dir, pki.issue());
    webhook = TestWebhooks.startFilesMode(vertx, dir, JsonNodeFactory.instance.objectNode(), null);
    client = new WebhookClient(pki.trustingOnlyCa(), webhook.port());
  }

  @AfterAll
  static void stop() throws Exception {
    webhook.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void serverStillAnswersARealReview() throws Exception {
    HttpResponse<String> ok =
        client.post(
            AdmissionServer.NAMESPACE_PATH, WebhookClient.fixture("replicaset-pod-review.json"));
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(
        "705ab4f5-6393-11e8-b7cc-42010a800002",
        JSON.readTree(ok.body()).path("response").path("uid").asText());
  }

  static String error(HttpResponse<String> response, int status) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(
        response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    return JSON.readTree(response.body()).path("error").asText();
  }

  @Test
  void nonJsonBodyIs400NamingTheBody() throws Exception {
    String message = error(client.post(AdmissionServer.NAMESPACE_PATH, "<xml>nope</xml>"), 400);
    assertTrue(message.startsWith("body: not valid JSON"), message);
  }

  @Test
  void emptyBodyIs400() throws Exception {
    String message = error(client.post(AdmissionServer.POD_PATH, ""), 400);
    assertTrue(message.startsWith("body: empty"), message);
  }

  @Test
  void wrongKindIs400NamingKindAndExpectedValue() throws Exception {
    ObjectNode review =
        (ObjectNode) JSON.readTree(WebhookClient.fixture("replicaset-pod-review.json"));
    review.put("kind", "ConversionReview");
    String message = error(client.post(AdmissionServer.NAMESPACE_PATH, review.toString()), 400);
    assertTrue(
        message.contains("\"ConversionReview\"")
            && message.contains("expected kind AdmissionReview"),
        message);
  }

  @Test
  void missingRequestIs400() throws Exception {
    String message =
        error(
            client.post(
                AdmissionServer.NAMESPACE_PATH,
                "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\"}"),
            400);
    assertTrue(message.startsWith("request: missing"), message);
  }

  @Test
  void missingUidIs400() throws Exception {
    ObjectNode review =
        (ObjectNode) JSON.readTree(WebhookClient.fixture("replicaset-pod-review.json"));
    ((ObjectNode) review.path("request")).remove("uid");
    String message = error(client.post(AdmissionServer.NAMESPACE_PATH, review.toString()), 400);
    assertTrue(message.startsWith("request.uid: missing"), message);
  }

  @Test
  void nonPodObjectIs400NamingTheKind() throws Exception {
    String message =
        error(
            client.post(
                AdmissionServer.NAMESPACE_PATH, WebhookClient.fixture("deployment-review.json")),
            400);
    assertTrue(
        message.contains("\"Deployment\"") && message.contains("only mutates Pods"), message);
  }

  @Test
  void fiveMebibyteJunkBodyIs413() throws Exception {
    byte[] junk = new byte[5 * 1024 * 1024];
    Arrays.fill(junk, (byte) 'x');
    String message = error(client.post(AdmissionServer.NAMESPACE_PATH, junk), 413);
    assertTrue(message.contains("larger than 4194304 bytes"), message);
  }

  @Test
  void chunkedBodyOverTheLimitIs413() throws Exception {
    byte[] junk = new byte[5 * 1024 * 1024];
    Arrays.fill(junk, (byte) '{');
    String message = error(client.postChunked(AdmissionServer.POD_PATH, junk), 413);
    assertTrue(message.contains("larger than 4194304 bytes"), message);
  }

  @Test
  void reviewSentWithAFormContentTypeIsStillDecoded() throws Exception {
    HttpResponse<String> response =
        client.postAs(
            AdmissionServer.NAMESPACE_PATH,
            "application/x-www-form-urlencoded",
            WebhookClient.fixture("replicaset-pod-review.json"));
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(JSON.readTree(response.body()).path("response").path("allowed").asBoolean());
  }

  @Test
  void getOnAMutatePathIsAClientError() throws Exception {
    HttpResponse<String> response = client.get(AdmissionServer.NAMESPACE_PATH);
    assertEquals(405, response.statusCode(), response.body());
  }

  @Test
  void jsonArrayBodyIs400() throws Exception {
    String message = error(client.post(AdmissionServer.POD_PATH, "[1,2,3]"), 400);
    assertTrue(message.contains("expected a JSON object"), message);
  }

  @Test
  void podWithoutSpecIs400() throws Exception {
    ObjectNode review =
        (ObjectNode) JSON.readTree(WebhookClient.fixture("replicaset-pod-review.json"));
    ((ObjectNode) review.path("request").path("object")).remove("spec");
    JsonNode unused = review;
    String message = error(client.post(AdmissionServer.NAMESPACE_PATH, unused.toString()), 400);
    assertTrue(message.startsWith("request.object.spec: missing"), message);
  }

  /** Found by admission fuzzing: each of these reached the injector and came back as a 500. */
  @Test
  void listsInjectionReadsMustHoldNamedObjects() throws Exception {
    java.util.Map<String, java.util.function.Consumer<ObjectNode>> damage =
        new java.util.LinkedHashMap<>();
    damage.put(
        "request.object.spec.containers[1]: null; expected an object (a container)",
        pod ->
            ((com.fasterxml.jackson.databind.node.ArrayNode) pod.path("spec").path("containers"))
                .addNull());
    damage.put(
        "request.object.spec.containers[0].name: missing; expected a non-empty string",
        pod -> ((ObjectNode) pod.path("spec").path("containers").path(0)).remove("name"));
    damage.put(
        "request.object.spec.containers[0].env[1]: null; expected an object (an environment variable)",
        pod ->
            ((com.fasterxml.jackson.databind.node.ArrayNode)
                    pod.path("spec").path("containers").path(0).path("env"))
                .addNull());
    damage.put(
        "request.object.spec.containers[1].name: \"api\" is used twice; names of containers must be"
            + " unique in a pod",
        pod ->
            ((com.fasterxml.jackson.databind.node.ArrayNode) pod.path("spec").path("containers"))
                .add(pod.path("spec").path("containers").path(0).deepCopy()));
    damage.put(
        "request.object.metadata.ownerReferences[0]: null; expected an object (an owner reference)",
        pod -> ((ObjectNode) pod.path("metadata")).putArray("ownerReferences").addNull());
    damage.put(
        "request.object.metadata.annotations[\"holysheep.ai/timeout\"]: array; expected a string",
        pod ->
            ((ObjectNode) pod.path("metadata"))
                .putObject("annotations")
                .putArray("holysheep.ai/timeout"));
    for (var entry : damage.entrySet()) {
      ObjectNode review =
          (ObjectNode) JSON.readTree(WebhookClient.fixture("replicaset-pod-review.json"));
      entry.getValue().accept((ObjectNode) review.path("request").path("object"));
      String message = error(client.post(AdmissionServer.NAMESPACE_PATH, review.toString()), 400);
      assertEquals(entry.getKey(), message);
    }
  }

  @Test
  void nestingDeeperThanAnyPodIs400() throws Exception {
    String review = WebhookClient.fixture("replicaset-pod-review.json");
    String deep =
        review.replaceFirst(
            "\"object\"\\s*:\\s*\\{",
            "\"object\": {\"deep\": " + "[".repeat(200) + "]".repeat(200) + ",");
    String message = error(client.post(AdmissionServer.NAMESPACE_PATH, deep), 400);
    assertTrue(message.contains("nesting depth"), message);
  }
}
