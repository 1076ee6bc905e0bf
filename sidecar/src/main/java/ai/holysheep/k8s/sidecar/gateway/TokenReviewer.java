package ai.holysheep.k8s.sidecar.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * Asks the API server who a token belongs to ({@code TokenReview} with the gateway's audience) and
 * turns the answer into a {@link Verdict}: a ServiceAccount and its namespace, or a rejection that
 * says why. An API failure fails the future with the {@link ApiFailure} that says how.
 */
final class TokenReviewer {
  static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";
  static final String ACTION = "create tokenreviews";
  private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

  /** The API server's own allowance for clock skew when it validates a token's times. */
  static final Duration CLOCK_LEEWAY = Duration.ofSeconds(60);

  private final KubeApi api;
  private final String audience;

  TokenReviewer(KubeApi api, String audience) {
    this.api = api;
    this.audience = audience;
  }

  Future<Verdict> review(String token, TokenClaims claims, Instant now) {
    JsonObject request =
        new JsonObject()
            .put("apiVersion", "authentication.k8s.io/v1")
            .put("kind", "TokenReview")
            .put(
                "spec",
                new JsonObject()
                    .put("token", token)
                    .put("audiences", new JsonArray().add(audience)));
    return api.post(PATH, request, ACTION).map(answer -> verdict(answer, claims, now));
  }

  private Verdict verdict(JsonObject answer, TokenClaims claims, Instant now) {
    JsonObject status = answer.getJsonObject("status");
    if (status == null) {
      throw ApiFailure.MALFORMED.exception(ACTION);
    }
    if (!Boolean.TRUE.equals(status.getBoolean("authenticated"))) {
      return rejected(claims, now);
    }
    // The API documents that an audience-aware authenticator echoes the matched audience; one
    // that does not is not trusted to have checked it.
    JsonArray audiences = status.getJsonArray("audiences");
    if (audiences == null || !audiences.contains(audience)) {
      return Verdict.Denied.of(Rejection.WRONG_AUDIENCE, Messages.unconfirmedAudience(audience));
    }
    JsonObject user = status.getJsonObject("user");
    String username = user == null ? null : user.getString("username");
    if (username == null || !username.startsWith(SERVICE_ACCOUNT_PREFIX)) {
      return Verdict.Denied.of(Rejection.NOT_SERVICE_ACCOUNT, Messages.notServiceAccount());
    }
    String[] parts = username.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      return Verdict.Denied.of(Rejection.NOT_SERVICE_ACCOUNT, Messages.notServiceAccount());
    }
    return new Verdict.Caller(parts[0], parts[1]);
  }

  private Verdict rejected(TokenClaims claims, Instant now) {
    if (claims.expiredAt(now, Duration.ZERO)) {
      return Verdict.Denied.of(Rejection.EXPIRED_TOKEN, Messages.expired(claims.expiresAt()));
    }
    if (claims.forOtherAudiences(audience)) {
      return Verdict.Denied.of(
          Rejection.WRONG_AUDIENCE, Messages.wrongAudience(claims.audiences(), audience));
    }
    return Verdict.Denied.of(Rejection.INVALID_TOKEN, Messages.notAuthenticated());
  }
}
