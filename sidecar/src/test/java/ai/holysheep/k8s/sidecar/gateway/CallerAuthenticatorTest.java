package ai.holysheep.k8s.sidecar.gateway;

import static ai.holysheep.k8s.sidecar.testing.ServiceAccountTokens.jwt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.sidecar.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerAuthenticatorTest {
  private static final String AUDIENCE = ReviewOptions.DEFAULT_AUDIENCE;
  private static final String LABEL = "holysheep.ai/injection";

  private final TestClock clock = new TestClock();
  private final ScriptedKubeApi api = new ScriptedKubeApi();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ReviewOptions review =
      new ReviewOptions(
          AUDIENCE, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofMinutes(5), 100);
  private AccessOptions access = AccessOptions.of(Set.of("listed"), AccessOptions.DEFAULT_LABEL);

  CallerAuthenticatorTest() {
    api.namespaces.put("team-a", Map.of(LABEL, "enabled"));
    api.namespaces.put("team-b", Map.of());
  }

  private CallerAuthenticator authenticator() {
    GatewayMetrics metrics = new GatewayMetrics(registry, 10);
    return new CallerAuthenticator(
        review,
        new TokenReviewer(api, AUDIENCE),
        new NamespaceAccess(api, access, review, clock, metrics),
        metrics,
        clock);
  }

  private String token(String namespace, Duration validFor) {
    String token = jwt(namespace, "app", List.of(AUDIENCE), clock.instant().plus(validFor));
    api.usernames.put(token, "system:serviceaccount:" + namespace + ":app");
    return token;
  }

  private static Verdict verdict(Future<Verdict> future) {
    assertTrue(future.isComplete(), "the scripted API answers synchronously");
    return future.result();
  }

  private static Rejection reason(Future<Verdict> future) {
    return assertInstanceOf(Verdict.Denied.class, verdict(future)).reason();
  }

  @Test
  void aPositiveAnswerIsKeptForTheTtlThenAskedAgain() {
    CallerAuthenticator auth = authenticator();
    String token = token("team-a", Duration.ofHours(1));
    assertEquals(
        new Verdict.Caller("team-a", "app"), verdict(auth.authenticate("Bearer " + token)));
    clock.advance(Duration.ofSeconds(59));
    verdict(auth.authenticate("Bearer " + token));
    assertEquals(1, api.reviews);
    clock.advance(Duration.ofSeconds(1));
    verdict(auth.authenticate("Bearer " + token));
    assertEquals(2, api.reviews);
  }

  @Test
  void aRejectionIsKeptOnlyForTheShorterDenialTtl() {
    CallerAuthenticator auth = authenticator();
    String unknown = jwt("team-a", "app", List.of(AUDIENCE), clock.instant().plusSeconds(3600));
    assertEquals(Rejection.INVALID_TOKEN, reason(auth.authenticate("Bearer " + unknown)));
    assertEquals(Rejection.INVALID_TOKEN, reason(auth.authenticate("Bearer " + unknown)));
    assertEquals(1, api.reviews);
    clock.advance(Duration.ofSeconds(10));
    api.usernames.put(unknown, "system:serviceaccount:team-a:app");
    assertInstanceOf(Verdict.Caller.class, verdict(auth.authenticate("Bearer " + unknown)));
    assertEquals(2, api.reviews);
  }

  @Test
  void concurrentRequestsWithANewTokenShareOneReview() {
    api.hold = true;
    CallerAuthenticator auth = authenticator();
    String token = token("team-a", Duration.ofHours(1));
    List<Future<Verdict>> waiting =
        List.of(
            auth.authenticate("Bearer " + token),
            auth.authenticate("Bearer " + token),
            auth.authenticate("bearer " + token));
    assertEquals(1, api.reviews);
    waiting.forEach(f -> assertFalse(f.isComplete()));
    api.pending
        .get(0)
        .complete(
            api.answer(
                new JsonObject()
                    .put("token", token)
                    .put("audiences", new io.vertx.core.json.JsonArray().add(AUDIENCE))));
    waiting.forEach(f -> assertEquals(new Verdict.Caller("team-a", "app"), verdict(f)));
    assertEquals(
        2.0,
        registry.find("holysheep.gateway.review.cache").tag("result", "joined").counter().count());
  }

  @Test
  void aStaleAnswerServesWhileTheApiServerFailsButNotPastTheGrace() {
    CallerAuthenticator auth = authenticator();
    String token = token("team-a", Duration.ofHours(1));
    verdict(auth.authenticate("Bearer " + token));
    api.failure = ApiFailure.TIMEOUT.exception("5s");
    clock.advance(Duration.ofSeconds(60 + 299));
    assertInstanceOf(Verdict.Caller.class, verdict(auth.authenticate("Bearer " + token)));
    assertEquals(
        1.0,
        registry.find("holysheep.gateway.review.cache").tag("result", "stale").counter().count());
    clock.advance(Duration.ofSeconds(1));
    Verdict.Denied denied =
        assertInstanceOf(Verdict.Denied.class, verdict(auth.authenticate("Bearer " + token)));
    assertEquals(Rejection.AUTHENTICATION_UNAVAILABLE, denied.reason());
    assertTrue(
        denied.message().startsWith("cannot verify the token right now: the Kubernetes API server"),
        denied.message());
  }

  @Test
  void anAnswerIsNeverUsedPastItsTokensExpiry() {
    CallerAuthenticator auth = authenticator();
    String token = token("team-a", Duration.ofSeconds(20));
    verdict(auth.authenticate("Bearer " + token));
    api.failure = ApiFailure.TIMEOUT.exception("5s");
    clock.advance(Duration.ofSeconds(20));
    assertEquals(
        Rejection.AUTHENTICATION_UNAVAILABLE, reason(auth.authenticate("Bearer " + token)));
    clock.advance(Duration.ofSeconds(61));
    assertEquals(
        Rejection.EXPIRED_TOKEN,
        reason(auth.authenticate("Bearer " + token)),
        "past the clock leeway it is refused without asking");
  }

  @Test
  void theCacheHoldsAtMostMaxEntries() {
    review =
        new ReviewOptions(
            AUDIENCE, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ZERO, 2);
    CallerAuthenticator auth = authenticator();
    String first = token("team-a", Duration.ofHours(1));
    verdict(auth.authenticate("Bearer " + first));
    verdict(auth.authenticate("Bearer " + token("team-a", Duration.ofHours(1))));
    verdict(auth.authenticate("Bearer " + token("team-a", Duration.ofHours(1))));
    assertEquals(2, auth.cachedAnswers());
    verdict(auth.authenticate("Bearer " + first));
    assertEquals(4, api.reviews, "the least recently used token was evicted and asked again");
  }

  @Test
  void localChecksNeedNoApiCall() {
    CallerAuthenticator auth = authenticator();
    assertEquals(Rejection.NO_TOKEN, reason(auth.authenticate(null)));
    assertEquals(Rejection.NO_TOKEN, reason(auth.authenticate("Bearer ")));
    assertEquals(Rejection.NO_TOKEN, reason(auth.authenticate("Token abc")));
    assertEquals(Rejection.INVALID_TOKEN, reason(auth.authenticate("Bearer a.b")));
    assertEquals(Rejection.INVALID_TOKEN, reason(auth.authenticate("Bearer x.!!!.y")));
    assertEquals(
        Rejection.INVALID_TOKEN,
        reason(auth.authenticate("Bearer " + "a".repeat(TokenClaims.MAX_TOKEN_CHARS) + ".b.c")));
    assertEquals(
        Rejection.EXPIRED_TOKEN,
        reason(
            auth.authenticate(
                "Bearer "
                    + jwt("team-a", "app", List.of(AUDIENCE), clock.instant().minusSeconds(61)))));
    assertEquals(
        Rejection.WRONG_AUDIENCE,
        reason(
            auth.authenticate(
                "Bearer "
                    + jwt("team-a", "app", List.of("vault"), clock.instant().plusSeconds(60)))));
    assertEquals(0, api.reviews);
  }

  @Test
  void anApiServerThatDoesNotConfirmTheAudienceIsNotTrusted() {
    CallerAuthenticator auth = authenticator();
    String token = token("team-a", Duration.ofHours(1));
    ScriptedKubeApi ignoresAudiences =
        new ScriptedKubeApi() {
          @Override
          JsonObject answer(JsonObject spec) {
            JsonObject answer = super.answer(spec);
            answer.getJsonObject("status").remove("audiences");
            return answer;
          }
        };
    ignoresAudiences.usernames.putAll(api.usernames);
    GatewayMetrics metrics = new GatewayMetrics(registry, 10);
    CallerAuthenticator strict =
        new CallerAuthenticator(
            review,
            new TokenReviewer(ignoresAudiences, AUDIENCE),
            new NamespaceAccess(ignoresAudiences, access, review, clock, metrics),
            metrics,
            clock);
    assertEquals(Rejection.WRONG_AUDIENCE, reason(strict.authenticate("Bearer " + token)));
    assertInstanceOf(Verdict.Caller.class, verdict(auth.authenticate("Bearer " + token)));
  }

  @Test
  void namespacesAreAllowedByLabelOrListAndLabelLookupsAreCached() {
    CallerAuthenticator auth = authenticator();
    assertInstanceOf(
        Verdict.Caller.class,
        verdict(auth.authenticate("Bearer " + token("team-a", Duration.ofHours(1)))));
    assertInstanceOf(
        Verdict.Caller.class,
        verdict(auth.authenticate("Bearer " + token("team-a", Duration.ofHours(1)))));
    assertEquals(1, api.namespaceGets);
    assertEquals(
        Rejection.NAMESPACE_NOT_ALLOWED,
        reason(auth.authenticate("Bearer " + token("team-b", Duration.ofHours(1)))));
    assertEquals(
        Rejection.NAMESPACE_NOT_ALLOWED,
        reason(auth.authenticate("Bearer " + token("gone", Duration.ofHours(1)))));
    assertInstanceOf(
        Verdict.Caller.class,
        verdict(auth.authenticate("Bearer " + token("listed", Duration.ofHours(1)))));
    assertEquals(3, api.namespaceGets, "a listed namespace needs no lookup");
    api.namespaces.put("team-b", Map.of(LABEL, "enabled"));
    clock.advance(AccessOptions.DEFAULT_LABEL_TTL);
    assertInstanceOf(
        Verdict.Caller.class,
        verdict(auth.authenticate("Bearer " + token("team-b", Duration.ofHours(1)))));
  }

  @Test
  void withoutALabelOnlyListedNamespacesMayCall() {
    access = AccessOptions.of(Set.of("listed"), "none");
    CallerAuthenticator auth = authenticator();
    Verdict.Denied denied =
        assertInstanceOf(
            Verdict.Denied.class,
            verdict(auth.authenticate("Bearer " + token("team-a", Duration.ofHours(1)))));
    assertEquals(Rejection.NAMESPACE_NOT_ALLOWED, denied.reason());
    assertEquals(
        "namespace \"team-a\" may not use the HolySheep gateway: add it to the gateway's list of"
            + " allowed namespaces",
        denied.message());
    assertEquals(0, api.namespaceGets);
  }

  @Test
  void aNamespaceLookupFailureIsA503SayingWhyUnlessAnAnswerIsStillUsable() {
    CallerAuthenticator auth = authenticator();
    assertInstanceOf(
        Verdict.Caller.class,
        verdict(auth.authenticate("Bearer " + token("team-a", Duration.ofHours(1)))));
    api.namespaceFailure = ApiFailure.FORBIDDEN.exception(NamespaceAccess.ACTION);
    api.namespaces.put("team-c", Map.of(LABEL, "enabled"));
    Verdict.Denied denied =
        assertInstanceOf(
            Verdict.Denied.class,
            verdict(auth.authenticate("Bearer " + token("team-c", Duration.ofHours(1)))));
    assertEquals(Rejection.AUTHENTICATION_UNAVAILABLE, denied.reason());
    assertEquals(
        "cannot check whether namespace \"team-c\" may call right now: the gateway's"
            + " ServiceAccount may not get namespaces (403 from the API server); the chart's RBAC"
            + " grants it",
        denied.message());
    clock.advance(AccessOptions.DEFAULT_LABEL_TTL.plusSeconds(1));
    assertInstanceOf(
        Verdict.Caller.class,
        verdict(auth.authenticate("Bearer " + token("team-a", Duration.ofHours(1)))),
        "team-a's label answer is stale but within the grace");
  }

  @Test
  void noMessageEverHoldsTheToken() {
    CallerAuthenticator auth = authenticator();
    String secretish = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.c2lnbmF0dXJl";
    for (String header : List.of("Bearer " + secretish, "Bearer sk-" + secretish, secretish)) {
      Verdict verdict = verdict(auth.authenticate(header));
      if (verdict instanceof Verdict.Denied denied) {
        assertFalse(denied.message().contains(secretish), denied.message());
      }
    }
  }
}
