package ai.holysheep.k8s.e2e.sim;

import static ai.holysheep.k8s.e2e.sim.SimHttp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimulatorApiIT {
  private static Vertx vertx;
  private Simulator sim;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  @AfterEach
  void stopSimulator() throws Exception {
    if (sim != null) {
      await(sim.close());
    }
  }

  private Simulator start(SimulatorOptions options) throws Exception {
    sim = await(Simulator.start(vertx, options));
    return sim;
  }

  @Test
  void listsModelsAndNamesItself() throws Exception {
    start(SimulatorOptions.named("alpha"));
    HttpResponse<String> response = SimHttp.get(sim.baseUrl() + "/models");
    assertEquals(200, response.statusCode());
    assertEquals("alpha", response.headers().firstValue("x-sim-name").orElse(null));
    JsonArray data = new JsonObject(response.body()).getJsonArray("data");
    assertTrue(data.stream().anyMatch(m -> ((JsonObject) m).getString("id").equals("gpt-4o-mini")));
    assertTrue(sim.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+/v1"), sim.baseUrl());
  }

  @Test
  void chatCompletionJsonCarriesNameModelAndUsage() throws Exception {
    start(SimulatorOptions.named("beta").withStreamEvents(3));
    HttpResponse<String> response =
        SimHttp.post(
            sim.baseUrl() + "/chat/completions",
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(200, response.statusCode());
    JsonObject body = new JsonObject(response.body());
    assertEquals("chat.completion", body.getString("object"));
    assertEquals("gpt-4o-mini", body.getString("model"));
    String content =
        body.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
    assertEquals("Simulated answer from beta. token-1 token-2", content);
    JsonObject usage = body.getJsonObject("usage");
    assertEquals(3, usage.getInteger("completion_tokens"));
    assertEquals(usage.getInteger("prompt_tokens") + 3, (int) usage.getInteger("total_tokens"));
  }

  @Test
  void streamSendsEachChunkThenUsageThenDone() throws Exception {
    start(SimulatorOptions.named("gamma").withStreamEvents(4));
    List<JsonObject> events =
        dataEvents("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    assertEquals("[DONE]", events.get(events.size() - 1).getString("done"));
    List<JsonObject> chunks = events.subList(0, events.size() - 1);
    assertEquals(6, chunks.size(), "4 content chunks, a finish chunk and a usage chunk");
    String text =
        chunks.subList(0, 4).stream()
            .map(c -> c.getJsonArray("choices").getJsonObject(0).getJsonObject("delta"))
            .map(d -> d.getString("content"))
            .collect(Collectors.joining());
    assertEquals("Simulated answer from gamma. token-1 token-2 token-3", text);
    assertEquals(
        "stop", chunks.get(4).getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
    assertEquals(4, chunks.get(5).getJsonObject("usage").getInteger("completion_tokens"));
  }

  @Test
  void streamWithoutIncludeUsageHasNoUsageChunk() throws Exception {
    start(SimulatorOptions.named("delta").withStreamEvents(2));
    List<JsonObject> events = dataEvents("{\"stream\":true}");
    assertEquals(4, events.size(), "2 content chunks, a finish chunk and [DONE]");
    assertTrue(events.stream().noneMatch(e -> e.containsKey("usage")));
  }

  @Test
  void streamEventsArriveOneByOneWithTheConfiguredDelay() throws Exception {
    Duration delay = Duration.ofMillis(150);
    start(SimulatorOptions.named("paced").withStreamEvents(3).withEventDelay(delay));
    List<Long> arrivals = new ArrayList<>();
    // Measured from before the request: an arrival can be read late on a busy machine (so gaps
    // between arrivals prove nothing), but never earlier than the simulator sent it.
    long start = System.nanoTime();
    HttpResponse<Stream<String>> response =
        SimHttp.postLines(sim.baseUrl() + "/chat/completions", "{\"stream\":true}");
    try (Stream<String> lines = response.body()) {
      lines
          .filter(l -> l.startsWith("data: "))
          .forEach(l -> arrivals.add((System.nanoTime() - start) / 1_000_000));
    }
    assertEquals(5, arrivals.size(), "3 content chunks, a finish chunk and [DONE]");
    for (int i = 0; i < 4; i++) {
      // the simulator waits the delay before each event
      assertTrue(
          arrivals.get(i) >= (i + 1) * delay.toMillis(),
          "event " + i + " arrived " + arrivals.get(i) + " ms after the request: " + arrivals);
    }
  }

  @Test
  void embeddingsAnswerFloatsOrBase64AsAsked() throws Exception {
    start(SimulatorOptions.named("emb"));
    JsonObject floats =
        new JsonObject(
            SimHttp.post(sim.baseUrl() + "/embeddings", "{\"input\":[\"a\",\"b\"],\"model\":\"e\"}")
                .body());
    assertEquals(2, floats.getJsonArray("data").size());
    JsonArray vector = floats.getJsonArray("data").getJsonObject(1).getJsonArray("embedding");
    assertEquals(Answers.EMBEDDING_DIMENSIONS, vector.size());

    JsonObject encoded =
        new JsonObject(
            SimHttp.post(
                    sim.baseUrl() + "/embeddings",
                    "{\"input\":[\"a\",\"b\"],\"encoding_format\":\"base64\"}")
                .body());
    String base64 = encoded.getJsonArray("data").getJsonObject(1).getString("embedding");
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
    bytes.order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(vector.getFloat(0), bytes.getFloat(0));
  }

  @Test
  void otherPathsEchoTheByteCountAndHashWithoutKeepingLargeBodies() throws Exception {
    start(SimulatorOptions.named("echo"));
    String upload = "x".repeat(200 * 1024);
    HttpResponse<String> response = SimHttp.post(sim.baseUrl() + "/files", upload);
    assertEquals(200, response.statusCode());
    JsonObject echo = new JsonObject(response.body());
    String sha =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload.getBytes()));
    assertEquals(upload.length(), echo.getLong("bytes"));
    assertEquals(sha, echo.getString("sha256"));
    RecordedRequest recorded = sim.received().get(0);
    assertEquals("/v1/files", recorded.path());
    assertEquals(upload.length(), recorded.bodySize());
    assertEquals(sha, recorded.bodySha256());
    assertNull(recorded.body(), "bodies of 64 KiB or more are not kept");
  }

  @Test
  void recordsMethodPathHeadersAndSmallBodies() throws Exception {
    start(SimulatorOptions.named("rec"));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    client.send(
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/chat/completions?x=1"))
            .timeout(SimHttp.REQUEST_TIMEOUT)
            .header("Authorization", "Bearer sk-test")
            .header("x-request-id", "req-42")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(1, sim.requestCount());
    RecordedRequest recorded = sim.received().get(0);
    assertEquals("POST", recorded.method());
    assertEquals("/v1/chat/completions", recorded.path());
    assertEquals("/v1/chat/completions?x=1", recorded.uri());
    assertEquals("Bearer sk-test", recorded.header("authorization"));
    assertEquals("req-42", recorded.header("X-Request-Id"));
    assertEquals("m", recorded.bodyAsJson().getString("model"));
    sim.clearReceived();
    assertTrue(sim.received().isEmpty());
    assertEquals(0, sim.requestCount());
  }

  @Test
  void keepsOnlyTheNewestRecordsWhenBounded() throws Exception {
    start(SimulatorOptions.named("bounded").withMaxRecorded(2));
    for (int i = 0; i < 3; i++) {
      SimHttp.post(sim.baseUrl() + "/anything/" + i, "{}");
    }
    assertEquals(3, sim.requestCount());
    assertEquals(
        List.of("/v1/anything/1", "/v1/anything/2"),
        sim.received().stream().map(RecordedRequest::path).toList());
  }

  @Test
  void badJsonOnChatGetsA400() throws Exception {
    start(SimulatorOptions.named("strict"));
    HttpResponse<String> response = SimHttp.post(sim.baseUrl() + "/chat/completions", "{nope");
    assertEquals(400, response.statusCode());
    assertNotNull(new JsonObject(response.body()).getJsonObject("error"));
  }

  @Test
  void countsAcceptedConnections() throws Exception {
    start(SimulatorOptions.named("conns"));
    HttpClient first = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpClient second = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    first.send(
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/models")).build(),
        HttpResponse.BodyHandlers.ofString());
    first.send(
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/models")).build(),
        HttpResponse.BodyHandlers.ofString());
    second.send(
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/models")).build(),
        HttpResponse.BodyHandlers.ofString());
    await(sim.awaitConnections(2));
    assertEquals(2, sim.connectionsAccepted(), "the first client reused its connection");
  }

  /** Posts a stream request and returns each data event as JSON ({"done":"[DONE]"} for the end). */
  private List<JsonObject> dataEvents(String body) throws Exception {
    HttpResponse<Stream<String>> response =
        SimHttp.postLines(sim.baseUrl() + "/chat/completions", body);
    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    try (Stream<String> lines = response.body()) {
      return lines
          .filter(l -> l.startsWith("data: "))
          .map(l -> l.substring(6))
          .map(d -> d.equals("[DONE]") ? new JsonObject().put("done", d) : new JsonObject(d))
          .toList();
    }
  }
}
