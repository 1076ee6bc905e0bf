package ai.holysheep.k8s.e2e.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.config.ConfigParser;
import ai.holysheep.k8s.e2e.gateway.MockApiServerTokenReviews.Mode;
import ai.holysheep.k8s.e2e.sim.Simulator;
import ai.holysheep.k8s.e2e.sim.SimulatorOptions;
import ai.holysheep.k8s.sidecar.ListenAddress;
import ai.holysheep.k8s.sidecar.Sidecar;
import ai.holysheep.k8s.sidecar.SidecarOptions;
import ai.holysheep.k8s.sidecar.gateway.AccessOptions;
import ai.holysheep.k8s.sidecar.gateway.GatewayFront;
import ai.holysheep.k8s.sidecar.gateway.GatewayOptions;
import ai.holysheep.k8s.sidecar.gateway.GatewayTlsOptions;
import ai.holysheep.k8s.sidecar.gateway.KubeApiOptions;
import ai.holysheep.k8s.sidecar.gateway.ReviewOptions;
import ai.holysheep.k8s.sidecar.testing.GatewayCalls;
import ai.holysheep.k8s.sidecar.testing.GatewayCalls.Answer;
import ai.holysheep.k8s.sidecar.testing.ServiceAccountTokens;
import ai.holysheep.k8s.sidecar.testing.TestClock;
import ai.holysheep.k8s.sidecar.testing.TestPki;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's caller authentication against the fabric8 mock API server (expectations mode, over
 * HTTPS with its own self-signed certificate as the CA the gateway trusts): what it asks, what it
 * caches and for how long, what every kind of bad token gets, and how an API server that fails or
 * stalls is bounded.
 */
class GatewayTokenReviewIT {
  private static final String AUDIENCE = ReviewOptions.DEFAULT_AUDIENCE;
  private static final String OWN_TOKEN = "gateway-sa-token-fabric8";
  private static final String GATEWAY_KEY = "sk-gateway-held-key-fabric8";
  private static final long AWAIT_SECONDS = 30;

  /** For calls that must succeed: long, so that a busy machine never turns them into failures. */
  private static final Duration GENEROUS = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final TestPki pki = new TestPki();
  private final TestClock clock = new TestClock();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private MockApiServerTokenReviews api;
  private Simulator upstream;
  private Sidecar gateway;
  private HttpClient client;

  /** One gateway replica in front of the simulator, reviewing tokens with {@code api}. */
  private void start(long apiDelaySeconds, Duration apiTimeout) throws Exception {
    api = new MockApiServerTokenReviews(apiDelaySeconds);
    opened.add(api);
    api.namespace("team-a", Map.of("holysheep.ai/injection", "enabled"));
    api.namespace("team-b", Map.of("team", "b"));
    upstream = await(Simulator.start(vertx, SimulatorOptions.named("upstream-sim")));
    Path sa = Files.createDirectories(dir.resolve("gateway-sa"));
    Files.writeString(sa.resolve("token"), OWN_TOKEN);
    TestPki.ServingFiles serving = pki.issue(dir.resolve("gateway-tls"), "holysheep-gateway");
    GatewayOptions options =
        GatewayOptions.of(
                KubeApiOptions.of(api.uri())
                    .withCredentials(sa.resolve("token"), api.caFile())
                    .withBounds(apiTimeout, KubeApiOptions.DEFAULT_MAX_IN_FLIGHT))
            .withTls(
                new GatewayTlsOptions(
                    serving.certFile(),
                    serving.keyFile(),
                    GatewayTlsOptions.DEFAULT_RELOAD_INTERVAL))
            .withAccess(AccessOptions.of(Set.of(), AccessOptions.DEFAULT_LABEL))
            .withClock(clock);
    JsonObject config =
        new JsonObject()
            .put("baseUrl", upstream.baseUrl())
            .put("timeout", "10s")
            .put("healthCheck", new JsonObject().put("enabled", false));
    gateway =
        await(
            Sidecar.start(
                vertx,
                SidecarOptions.of(ConfigParser.parse(config.encode()))
                    .withListen(List.of(new ListenAddress("127.0.0.1", 0)))
                    .withAdminListen(new ListenAddress("127.0.0.1", 0))
                    .withEnv(Map.of("HOLYSHEEP_API_KEY", GATEWAY_KEY))
                    .withSecretsDir(dir.resolve("no-secrets"))
                    .withFront(GatewayFront.create(vertx, options))));
    client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pki.caPem()))));
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      await(gateway.close());
    }
    for (AutoCloseable c : opened) {
      c.close();
    }
    if (upstream != null) {
      await(upstream.close());
    }
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(AWAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** A projected-style token for {@code namespace}'s {@code account}, valid for an hour. */
  private String token(String namespace, String account, List<String> audiences) {
    return ServiceAccountTokens.jwt(
        namespace, account, audiences, clock.instant().plus(Duration.ofHours(1)));
  }

  /** A token the API server knows as {@code namespace}'s ServiceAccount {@code account}. */
  private String known(String namespace, String account) {
    String token = token(namespace, account, List.of(AUDIENCE));
    api.knows(token, "system:serviceaccount:" + namespace + ":" + account, List.of(AUDIENCE));
    return token;
  }

  private Future<Answer> send(String authorization) {
    String body =
        new JsonObject()
            .put("model", "gpt-4o-mini")
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))
            .encode();
    return GatewayCalls.chat(client, gateway.proxyPort(), authorization, body);
  }

  private Answer call(String authorization) throws Exception {
    return await(send(authorization));
  }

  private static void assertRefused(Answer reply, int status, String code, String secret) {
    assertEquals(status, reply.status(), reply.body());
    assertEquals(code, reply.error().getString("code"), reply.body());
    assertTrue(reply.error().containsKey("type") && reply.error().containsKey("param"));
    if (status == 401) {
      assertTrue(
          reply.headers().get("WWW-Authenticate").startsWith("Bearer realm=\"holysheep-gateway\""),
          String.valueOf(reply.headers().get("WWW-Authenticate")));
    }
    if (secret != null) {
      assertFalse(reply.body().contains(secret), "the token is never echoed");
    }
  }

  @Test
  void aTokenIsReviewedOnceWithTheGatewaysAudienceAndOwnCredentialsThenServedFromTheCache()
      throws Exception {
    start(0, GENEROUS);
    String token = known("team-a", "app");
    List<Future<Answer>> together = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      together.add(send("Bearer " + token));
    }
    for (Future<Answer> reply : together) {
      assertEquals(200, await(reply).status(), await(reply).body());
    }
    assertEquals(200, call("Bearer " + token).status());
    assertEquals(1, api.reviews().size(), "seven requests, one TokenReview");
    var review = api.reviews().get(0);
    assertEquals("Bearer " + OWN_TOKEN, review.authorization());
    JsonObject spec = review.body().getJsonObject("spec");
    assertEquals(token, spec.getString("token"));
    assertEquals(new JsonArray().add(AUDIENCE), spec.getJsonArray("audiences"));
    var reached = upstream.received().get(upstream.received().size() - 1);
    assertEquals("Bearer " + GATEWAY_KEY, reached.headers().get("Authorization"));
  }

  @Test
  void anAnswerIsAskedForAgainAfterItsTtlAndAFailingApiServerIsBridgedOnlyForTheGrace()
      throws Exception {
    start(0, GENEROUS);
    String token = known("team-a", "app");
    assertEquals(200, call("Bearer " + token).status());
    clock.advance(ReviewOptions.DEFAULT_TTL.plusSeconds(1));
    assertEquals(200, call("Bearer " + token).status());
    assertEquals(2, api.reviews().size(), "asked again once the answer was no longer fresh");

    api.mode(Mode.SERVER_ERROR);
    clock.advance(ReviewOptions.DEFAULT_TTL.plusSeconds(1));
    Answer bridged = call("Bearer " + token);
    assertEquals(200, bridged.status(), "a stale answer bridges the outage: " + bridged.body());
    assertEquals(3, api.reviews().size());
    clock.advance(ReviewOptions.DEFAULT_STALE_GRACE);
    Answer past = call("Bearer " + token);
    assertRefused(past, 503, "authentication_unavailable", token);
    assertTrue(past.error().getString("message").contains("answered 500"), past.body());
  }

  @Test
  void everyKindOfBadTokenGetsItsDocumentedError() throws Exception {
    start(0, GENEROUS);
    String unknown = token("team-a", "deleted", List.of(AUDIENCE));
    String user = token("team-a", "app", List.of(AUDIENCE));
    api.knows(user, "alice@example.com", List.of(AUDIENCE));
    String otherNamespace = known("team-b", "app");
    String recentlyExpired =
        ServiceAccountTokens.jwt(
            "team-a", "app", List.of(AUDIENCE), clock.instant().minusSeconds(30));
    String unconfirmed = token("team-a", "app", List.of(AUDIENCE));
    // An API server that knows the token only for another audience does not confirm ours.
    api.knows(unconfirmed, "system:serviceaccount:team-a:app", List.of("vault"));
    record Case(String authorization, int status, String code, int apiCalls) {}
    List<Case> cases =
        List.of(
            new Case(null, 401, "missing_token", 0),
            new Case("Basic dXNlcjpwYXNz", 401, "missing_token", 0),
            new Case("Bearer sk-not-a-service-account-token", 401, "invalid_token", 0),
            new Case(
                "Bearer "
                    + ServiceAccountTokens.jwt(
                        "team-a", "app", List.of(AUDIENCE), clock.instant().minusSeconds(3600)),
                401,
                "expired_token",
                0),
            new Case(
                "Bearer " + token("team-a", "app", List.of("https://kubernetes.default.svc")),
                401,
                "wrong_audience",
                0),
            new Case("Bearer " + unknown, 401, "invalid_token", 1),
            new Case("Bearer " + recentlyExpired, 401, "expired_token", 1),
            new Case("Bearer " + unconfirmed, 401, "invalid_token", 1),
            new Case("Bearer " + user, 403, "not_service_account", 1),
            new Case("Bearer " + otherNamespace, 403, "namespace_not_allowed", 1));
    for (Case c : cases) {
      int before = api.reviews().size();
      String secret = c.authorization() == null ? null : c.authorization().substring(6);
      assertRefused(call(c.authorization()), c.status(), c.code(), secret);
      assertEquals(c.apiCalls(), api.reviews().size() - before, c.code() + ": TokenReviews made");
    }
    assertEquals(0, upstream.requestCount(), "nothing refused reached the upstream");
    int reviews = api.reviews().size();
    assertRefused(call("Bearer " + user), 403, "not_service_account", user);
    assertEquals(reviews, api.reviews().size(), "a rejection is cached too");
  }

  @Test
  void anApiFailureIsA503SayingWhyAndIsNotRemembered() throws Exception {
    start(0, GENEROUS);
    String token = known("team-a", "app");
    api.mode(Mode.FORBIDDEN);
    Answer forbidden = call("Bearer " + token);
    assertRefused(forbidden, 503, "authentication_unavailable", token);
    assertTrue(
        forbidden.error().getString("message").contains("may not create tokenreviews"),
        forbidden.body());
    assertEquals("true", forbidden.headers().get("x-should-retry"));
    assertEquals("1", forbidden.headers().get("Retry-After"));
    api.mode(Mode.SERVER_ERROR);
    assertRefused(call("Bearer " + token), 503, "authentication_unavailable", token);
    api.mode(Mode.ANSWER);
    assertEquals(200, call("Bearer " + token).status(), "the next request asks again");
    assertEquals(3, api.reviews().size());
  }

  @Test
  void aStalledApiServerIsCutAtTheCallTimeout() throws Exception {
    start(120, Duration.ofMillis(500));
    String token = known("team-a", "app");
    Instant sent = Instant.now();
    Answer reply = call("Bearer " + token);
    assertRefused(reply, 503, "authentication_unavailable", token);
    assertTrue(
        reply.error().getString("message").contains("did not answer within 500ms"), reply.body());
    assertTrue(
        Duration.between(sent, Instant.now()).compareTo(Duration.ofSeconds(AWAIT_SECONDS)) < 0,
        "bounded by the API timeout, not by the stalled server");
    assertEquals(0, upstream.requestCount());
  }
}
