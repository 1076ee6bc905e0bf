package ai.holysheep.k8s.e2e.gateway;

import static ai.holysheep.k8s.e2e.gateway.GatewayChain.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.e2e.sim.Fault;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** App → sidecar → gateway (3 replicas, real TLS, TokenReview) → simulators, end to end. */
class GatewayChainIT {
  @TempDir static Path dir;
  private static GatewayChain chain;
  private static HttpClientAgent app;

  record Reply(int status, MultiMap headers, String body) {}

  @BeforeAll
  static void start() throws Exception {
    chain = new GatewayChain(dir);
    app = chain.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
  }

  @AfterAll
  static void stop() throws Exception {
    chain.close();
  }

  @AfterEach
  void clearFaults() {
    chain.primary.clearFault();
    chain.secondary.clearFault();
    chain.primary.clearReceived();
    chain.secondary.clearReceived();
  }

  private static Reply chat(boolean stream) throws Exception {
    JsonObject body =
        new JsonObject()
            .put("model", "gpt-4o-mini")
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    if (stream) {
      body.put("stream", true);
    }
    RequestOptions request =
        toSidecar().putHeader("Authorization", "Bearer placeholder-the-app-holds-no-key");
    return await(
        app.request(request)
            .compose(r -> r.send(Buffer.buffer(body.encode())))
            .compose(r -> r.body().map(b -> new Reply(r.statusCode(), r.headers(), b.toString()))));
  }

  /** A chat completion request to the app's sidecar, as an SDK with OPENAI_BASE_URL sends it. */
  private static RequestOptions toSidecar() {
    return new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost("127.0.0.1")
        .setPort(chain.sidecar.proxyPort())
        .setURI("/v1/chat/completions")
        .putHeader("Content-Type", "application/json");
  }

  private static List<String> dataEvents(String sse) {
    return sse.lines().filter(line -> line.startsWith("data: ")).toList();
  }

  @Test
  void aStreamPassesBothHopsWithTheGatewaysKeyAndNoTokenUpstream() throws Exception {
    Reply reply = chat(true);
    assertEquals(200, reply.status(), reply.body());
    assertTrue(reply.headers().get("content-type").startsWith("text/event-stream"));
    List<String> events = dataEvents(reply.body());
    assertEquals("data: [DONE]", events.get(events.size() - 1));
    assertTrue(events.stream().noneMatch(e -> e.contains("\"error\"")), reply.body());
    assertEquals("primary-sim", reply.headers().get("x-sim-name"));
    var received = chain.primary.received().get(0);
    assertEquals("Bearer " + GatewayChain.GATEWAY_KEY, received.headers().get("Authorization"));
    assertFalse(
        received.headers().toString().contains(chain.token), "the token stops at the gateway");
  }

  @Test
  void theGatewayFailsOverAndTheSidecarSeesOneSuccess() throws Exception {
    chain.primary.setFault(Fault.ofStatus(503));
    Reply reply = chat(true);
    assertEquals(200, reply.status(), reply.body());
    assertEquals("secondary-sim", reply.headers().get("x-sim-name"));
    assertEquals("data: [DONE]", dataEvents(reply.body()).get(dataEvents(reply.body()).size() - 1));
    assertEquals(1, chain.primary.requestCount());
    assertEquals(1, chain.secondary.requestCount());
    assertEquals(
        "Bearer " + GatewayChain.FALLBACK_KEY,
        chain.secondary.received().get(0).headers().get("Authorization"));
  }

  @Test
  void aJsonAnswerComesBackWhole() throws Exception {
    Reply reply = chat(false);
    assertEquals(200, reply.status(), reply.body());
    assertEquals("chat.completion", new JsonObject(reply.body()).getString("object"));
  }

  @Test
  void anUpstreamThatBreaksMidStreamEndsTheAppsStreamWithOneErrorEvent() throws Exception {
    chain.primary.setFault(Fault.ofResetAfterEvents(2));
    Reply reply = chat(true);
    assertEquals(200, reply.status(), reply.body());
    List<String> events = dataEvents(reply.body());
    List<String> errors = events.stream().filter(e -> e.contains("\"error\"")).toList();
    assertEquals(1, errors.size(), "exactly one error event, not one per hop: " + reply.body());
    assertEquals(errors.get(0), events.get(events.size() - 1), "the error event is the last one");
    assertTrue(events.stream().noneMatch(e -> e.equals("data: [DONE]")), reply.body());
    assertEquals(0, chain.secondary.requestCount(), "nothing is replayed after commit");
  }

  @Test
  void whenEveryUpstreamFailsTheRetriesAreNotMultipliedAcrossTheHops() throws Exception {
    chain.primary.setFault(Fault.ofStatus(503));
    chain.secondary.setFault(Fault.ofStatus(503));
    Reply reply = chat(false);
    assertTrue(reply.status() >= 500, reply.status() + " " + reply.body());
    assertEquals("false", reply.headers().get("x-should-retry"));
    int upstreamAttempts = chain.primary.requestCount() + chain.secondary.requestCount();
    assertTrue(
        upstreamAttempts <= 4,
        "the gateway's 1 + maxRetries attempts, not multiplied by the sidecar's: "
            + upstreamAttempts);
  }

  @Test
  void aTokenTheGatewayRefusesReachesTheAppUnchangedAndIsNotRetried() throws Exception {
    String forged =
        ai.holysheep.k8s.sidecar.testing.ServiceAccountTokens.jwt(
            GatewayChain.APP_NAMESPACE,
            "a-forged-service-account", // another length: the key file's size changes too
            List.of("holysheep-gateway"),
            java.time.Instant.now().plusSeconds(600));
    int reviews = chain.api.tokenReviews();
    chain.useToken(forged);
    try {
      Reply reply = chat(false);
      assertEquals(401, reply.status(), reply.body());
      JsonObject error = new JsonObject(reply.body()).getJsonObject("error");
      assertEquals("invalid_token", error.getString("code"));
      assertTrue(error.getString("message").contains("did not authenticate"), reply.body());
      assertEquals("false", reply.headers().get("x-should-retry"));
      assertEquals(1, chain.api.tokenReviews() - reviews, "the sidecar asked the gateway once");
      assertEquals(0, chain.primary.requestCount() + chain.secondary.requestCount());
    } finally {
      chain.useToken(chain.token);
    }
  }

  @Test
  void anAppThatLeavesMidStreamCancelsTheUpstreamThroughBothHops() throws Exception {
    chain.primary.setFault(Fault.ofEventDelay(java.time.Duration.ofMillis(200)));
    RequestOptions request = toSidecar();
    HttpClientAgent leaving =
        chain.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    io.vertx.core.Promise<Void> firstEvent = io.vertx.core.Promise.promise();
    leaving
        .request(request)
        .compose(
            r ->
                r.send(
                    "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .onSuccess(
            response ->
                response.handler(
                    chunk -> {
                      if (chunk.toString().contains("data: ")) {
                        firstEvent.tryComplete();
                      }
                    }));
    await(firstEvent.future());
    await(leaving.close());
    await(chain.primary.awaitCancelled(1));
  }
}
