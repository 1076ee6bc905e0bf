package ai.holysheep.k8s.sidecar.gateway;

import static ai.holysheep.k8s.sidecar.testing.ServiceAccountTokens.jwt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.sidecar.testing.FakeKubeApiServer.Fault;
import ai.holysheep.k8s.sidecar.testing.GatewayCalls;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateway replicas over real TLS behind one round-robin address, the fake API server for
 * TokenReview and namespaces, and an upstream that records what reached it.
 */
class GatewayIT {
  private static final String AUDIENCE = ReviewOptions.DEFAULT_AUDIENCE;
  private static final String BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hello through"
          + " the gateway\"}]}";

  /** Long for the shared replicas, so a busy machine never fails a call that should succeed. */
  private static final Duration API_TIMEOUT = Duration.ofSeconds(30);

  /** Short, for the one replica whose API server stalls (a stall never answers: no race). */
  private static final Duration STALL_TIMEOUT = Duration.ofMillis(300);

  private static final AtomicInteger TOKENS = new AtomicInteger();

  @TempDir static Path dir;
  private static GatewayFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture =
        new GatewayFixture(
            dir,
            3,
            AccessOptions.of(Set.of("listed-team"), AccessOptions.DEFAULT_LABEL),
            API_TIMEOUT);
    fixture.api.namespace("team-a", Map.of("holysheep.ai/injection", "enabled"));
    fixture.api.namespace("team-b", Map.of("team", "b"));
    fixture.api.namespace("listed-team", Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @AfterEach
  void healTheApiServer() {
    fixture.api.fault(Fault.NONE);
  }

  /** A new valid token of {@code namespace}'s {@code app} ServiceAccount for the gateway. */
  private static String tokenOf(String namespace) {
    String token =
        jwt(
            namespace,
            "app-" + TOKENS.incrementAndGet(),
            List.of(AUDIENCE),
            Instant.now().plusSeconds(3600));
    fixture.api.serviceAccountToken(token, namespace, "app", List.of(AUDIENCE));
    return token;
  }

  private static void assertRejected(
      GatewayCalls.Answer answer, int status, String code, String messagePart, String token) {
    assertEquals(status, answer.status(), answer.body());
    JsonObject error = answer.json().getJsonObject("error");
    assertEquals(code, error.getString("code"), answer.body());
    assertTrue(error.getString("message").contains(messagePart), error.getString("message"));
    assertTrue(error.containsKey("param") && error.containsKey("type"), answer.body());
    assertEquals("application/json", answer.headers().get("content-type"));
    if (token != null) {
      assertFalse(answer.body().contains(token), "the token must never be echoed");
    }
  }

  @Test
  void aValidProjectedTokenReachesTheUpstreamWithTheGatewaysKeyAndTheWholeBody() throws Exception {
    String token = tokenOf("team-a");
    GatewayCalls.Answer answer = fixture.call("Bearer " + token, BODY);
    assertEquals(200, answer.status(), answer.body());
    assertEquals(BODY.length(), answer.json().getInteger("bodyBytes"));
    assertEquals("primary", answer.headers().get("x-holysheep-upstream"));
    String seen = fixture.upstreamAuthorizations.get(fixture.upstreamAuthorizations.size() - 1);
    assertEquals("Bearer " + GatewayFixture.UPSTREAM_KEY, seen, "the caller's token never leaves");
    assertEquals(BODY, fixture.upstreamBodies.get(fixture.upstreamBodies.size() - 1));
    JsonObject spec = fixture.api.reviewSpecs().get(fixture.api.reviewSpecs().size() - 1);
    assertEquals(List.of(AUDIENCE), spec.getJsonArray("audiences").getList());
  }

  @Test
  void requestsSpreadOverTheThreeReplicasAndEachReviewsATokenOnce() throws Exception {
    String token = tokenOf("team-a");
    int reviewsBefore = fixture.api.tokenReviews();
    int[] connectionsBefore = new int[3];
    for (int i = 0; i < 3; i++) {
      connectionsBefore[i] = fixture.front.connections(i);
    }
    for (int i = 0; i < 9; i++) {
      assertEquals(200, fixture.call("Bearer " + token, BODY).status());
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(3, fixture.front.connections(i) - connectionsBefore[i], "replica " + i);
    }
    assertEquals(
        3,
        fixture.api.tokenReviews() - reviewsBefore,
        "one TokenReview per replica; the other six answers came from each replica's cache");
    for (int i = 0; i < 3; i++) {
      assertTrue(
          fixture.counter(
                  i, "holysheep.gateway.requests", "namespace", "team-a", "result", "allowed")
              >= 3,
          "replica " + i + " counts its calls per namespace");
    }
  }

  @Test
  void noTokenGets401MissingTokenWithABearerChallenge() throws Exception {
    GatewayCalls.Answer answer = fixture.call(null, BODY);
    assertRejected(answer, 401, "missing_token", "audience holysheep-gateway", null);
    assertEquals("authentication_error", answer.json().getJsonObject("error").getString("type"));
    assertEquals(
        "Bearer realm=\"holysheep-gateway\", error=\"invalid_request\"",
        answer.headers().get("WWW-Authenticate"));
    assertEquals("false", answer.headers().get("x-should-retry"));
    assertRejected(fixture.call("Basic dXNlcjpwYXNz", BODY), 401, "missing_token", "Bearer", null);
  }

  @Test
  void aTokenThatIsNotAServiceAccountJwtGets401InvalidTokenWithoutAnApiCall() throws Exception {
    int reviews = fixture.api.tokenReviews();
    String apiKey = "sk-somebody-pasted-an-api-key";
    GatewayCalls.Answer answer = fixture.call("Bearer " + apiKey, BODY);
    assertRejected(answer, 401, "invalid_token", "not a Kubernetes ServiceAccount token", apiKey);
    assertEquals(
        "Bearer realm=\"holysheep-gateway\", error=\"invalid_token\"",
        answer.headers().get("WWW-Authenticate"));
    assertEquals(reviews, fixture.api.tokenReviews());
  }

  @Test
  void anExpiredTokenGets401ExpiredTokenWithoutAnApiCall() throws Exception {
    String token = jwt("team-a", "app", List.of(AUDIENCE), Instant.now().minusSeconds(3600));
    fixture.api.serviceAccountToken(token, "team-a", "app", List.of(AUDIENCE));
    int reviews = fixture.api.tokenReviews();
    assertRejected(
        fixture.call("Bearer " + token, BODY), 401, "expired_token", "expired at", token);
    assertEquals(reviews, fixture.api.tokenReviews());
  }

  @Test
  void aTokenForAnotherAudienceGets401WrongAudienceNamingBoth() throws Exception {
    String token =
        jwt(
            "team-a",
            "app",
            List.of("https://kubernetes.default.svc"),
            Instant.now().plusSeconds(600));
    fixture.api.serviceAccountToken(
        token, "team-a", "app", List.of("https://kubernetes.default.svc"));
    GatewayCalls.Answer answer = fixture.call("Bearer " + token, BODY);
    assertRejected(answer, 401, "wrong_audience", "https://kubernetes.default.svc", token);
    assertTrue(answer.json().getJsonObject("error").getString("message").contains(AUDIENCE));
  }

  @Test
  void aTokenTheApiServerDoesNotKnowGets401InvalidToken() throws Exception {
    String forged = jwt("team-a", "app", List.of(AUDIENCE), Instant.now().plusSeconds(600));
    assertRejected(
        fixture.call("Bearer " + forged, BODY),
        401,
        "invalid_token",
        "did not authenticate",
        forged);
  }

  @Test
  void aUsersTokenGets403NotServiceAccount() throws Exception {
    String token = jwt("team-a", "app", List.of(AUDIENCE), Instant.now().plusSeconds(600));
    fixture.api.userToken(token, "jane@example.com", List.of(AUDIENCE));
    GatewayCalls.Answer answer = fixture.call("Bearer " + token, BODY);
    assertRejected(answer, 403, "not_service_account", "ServiceAccount", token);
    assertFalse(answer.body().contains("jane"), "a user name is not echoed");
    assertNull(answer.headers().get("WWW-Authenticate"));
  }

  @Test
  void aNamespaceNeitherLabelledNorListedGets403NamingItAndHowToAllowIt() throws Exception {
    String token = tokenOf("team-b");
    GatewayCalls.Answer answer = fixture.call("Bearer " + token, BODY);
    assertRejected(
        answer,
        403,
        "namespace_not_allowed",
        "namespace \"team-b\" may not use the HolySheep gateway: label the namespace"
            + " holysheep.ai/injection=enabled",
        token);
    assertEquals("permission_error", answer.json().getJsonObject("error").getString("type"));
  }

  @Test
  void aListedNamespaceIsAllowedWithoutLookingAtItsLabels() throws Exception {
    int gets = fixture.api.namespaceGets();
    assertEquals(200, fixture.call("Bearer " + tokenOf("listed-team"), BODY).status());
    assertEquals(gets, fixture.api.namespaceGets());
  }

  @Test
  void aStalledApiServerGetsA503WithinTheBoundThatSaysSo(@TempDir Path own) throws Exception {
    try (GatewayFixture stalled =
        new GatewayFixture(own, 1, AccessOptions.defaults(), STALL_TIMEOUT)) {
      stalled.api.fault(Fault.STALL);
      String token = jwt("team-a", "app", List.of(AUDIENCE), Instant.now().plusSeconds(3600));
      stalled.api.serviceAccountToken(token, "team-a", "app", List.of(AUDIENCE));
      GatewayCalls.Answer answer = stalled.call("Bearer " + token, BODY);
      assertRejected(
          answer,
          503,
          "authentication_unavailable",
          "the Kubernetes API server did not answer within 300ms",
          token);
      assertEquals("true", answer.headers().get("x-should-retry"), "another replica may know it");
      assertEquals("1", answer.headers().get("Retry-After"));
      assertEquals(
          1.0,
          stalled.counter(
              0, "holysheep.gateway.kube.api.calls", "call", "tokenreview", "result", "timeout"));
    }
  }

  @Test
  void oneGatewayCacheNeverServesOneNamespacesAnswerToAnother(@TempDir Path own) throws Exception {
    AccessOptions listed = AccessOptions.of(Set.of("team-a", "team-b"), "none");
    try (GatewayFixture one = new GatewayFixture(own, 1, listed, API_TIMEOUT)) {
      String tokenA = jwt("team-a", "app", List.of(AUDIENCE), Instant.now().plusSeconds(3600));
      String tokenB = jwt("team-b", "app", List.of(AUDIENCE), Instant.now().plusSeconds(3600));
      one.api.serviceAccountToken(tokenA, "team-a", "app", List.of(AUDIENCE));
      one.api.serviceAccountToken(tokenB, "team-b", "app", List.of(AUDIENCE));
      assertEquals(200, one.call("Bearer " + tokenA, BODY).status());
      one.upstreamDown.set(true);
      GatewayCalls.Answer other = one.call("Bearer " + tokenB, BODY);
      assertTrue(other.status() >= 500, other.status() + " " + other.body());
      assertNull(other.headers().get("x-holysheep-cache"), "team-a's answer is not team-b's");
      GatewayCalls.Answer same = one.call("Bearer " + tokenA, BODY);
      assertEquals(200, same.status(), same.body());
      assertEquals("stale", same.headers().get("x-holysheep-cache"));
    }
  }

  @Test
  void missingRbacIsReportedAsSuch() throws Exception {
    fixture.api.fault(Fault.STATUS_403);
    assertRejected(
        fixture.call("Bearer " + tokenOf("team-a"), BODY),
        503,
        "authentication_unavailable",
        "may not create tokenreviews",
        null);
  }

  @Test
  void anApiServerErrorOrAProxysHtmlIsReportedAsSuch() throws Exception {
    fixture.api.fault(Fault.STATUS_500);
    assertRejected(
        fixture.call("Bearer " + tokenOf("team-a"), BODY),
        503,
        "authentication_unavailable",
        "answered 500",
        null);
    fixture.api.fault(Fault.MALFORMED);
    assertRejected(
        fixture.call("Bearer " + tokenOf("team-a"), BODY),
        503,
        "authentication_unavailable",
        "was not the expected JSON",
        null);
  }

  @Test
  void anAnswerCachedBeforeTheApiServerFailedStillServes() throws Exception {
    String token = tokenOf("team-a");
    for (int i = 0; i < 3; i++) {
      assertEquals(200, fixture.call("Bearer " + token, BODY).status());
    }
    fixture.api.fault(Fault.STATUS_500);
    int reviews = fixture.api.tokenReviews();
    for (int i = 0; i < 3; i++) {
      assertEquals(200, fixture.call("Bearer " + token, BODY).status());
    }
    assertEquals(reviews, fixture.api.tokenReviews(), "fresh answers need no API call");
  }
}
