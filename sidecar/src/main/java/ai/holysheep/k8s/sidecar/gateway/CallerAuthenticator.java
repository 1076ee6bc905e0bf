package ai.holysheep.k8s.sidecar.gateway;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Decides about one caller from its {@code Authorization} header: no or malformed token, expired or
 * foreign-audience token (both told without an API call), then the TokenReview answer (cached, one
 * call per token at a time, a stale positive answer while the API server fails), then the namespace
 * check. Tokens are kept only as their SHA-256.
 */
final class CallerAuthenticator {
  static final String CALL = "tokenreview";
  private static final String BEARER = "bearer ";

  private final ReviewOptions options;
  private final TokenReviewer reviewer;
  private final NamespaceAccess namespaces;
  private final GatewayMetrics metrics;
  private final Clock clock;
  private final ExpiringCache<String, Verdict> answers;
  private final SingleFlight<String, Verdict> reviews = new SingleFlight<>();

  CallerAuthenticator(
      ReviewOptions options,
      TokenReviewer reviewer,
      NamespaceAccess namespaces,
      GatewayMetrics metrics,
      Clock clock) {
    this.options = options;
    this.reviewer = reviewer;
    this.namespaces = namespaces;
    this.metrics = metrics;
    this.clock = clock;
    this.answers = new ExpiringCache<>(options.maxEntries(), clock);
  }

  /** The verdict; already complete when nothing had to be asked of the API server. */
  Future<Verdict> authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return denied(Rejection.NO_TOKEN, Messages.noToken(options.audience()));
    }
    if (authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return denied(Rejection.NO_TOKEN, Messages.notBearer());
    }
    String token = authorization.substring(BEARER.length()).strip();
    if (token.isEmpty()) {
      return denied(Rejection.NO_TOKEN, Messages.noToken(options.audience()));
    }
    TokenClaims claims = TokenClaims.parse(token);
    if (claims == null) {
      return denied(Rejection.INVALID_TOKEN, Messages.notAJwt());
    }
    Instant now = clock.instant();
    if (claims.expiredAt(now, TokenReviewer.CLOCK_LEEWAY)) {
      return denied(Rejection.EXPIRED_TOKEN, Messages.expired(claims.expiresAt()));
    }
    if (claims.forOtherAudiences(options.audience())) {
      return denied(
          Rejection.WRONG_AUDIENCE, Messages.wrongAudience(claims.audiences(), options.audience()));
    }
    return identify(token, claims)
        .compose(
            verdict ->
                verdict instanceof Verdict.Caller caller
                    ? namespaces.check(caller)
                    : Future.succeededFuture(verdict));
  }

  private Future<Verdict> identify(String token, TokenClaims claims) {
    String key = sha256(token);
    Verdict cached = answers.fresh(key);
    if (cached != null) {
      metrics.reviewCache("hit");
      return Future.succeededFuture(cached);
    }
    return reviews
        .run(key, () -> review(key, token, claims), () -> metrics.reviewCache("joined"))
        .transform(
            done -> {
              if (done.succeeded()) {
                return Future.succeededFuture(done.result());
              }
              Verdict stale = answers.usable(key);
              if (stale instanceof Verdict.Caller) {
                metrics.reviewCache("stale");
                return Future.succeededFuture(stale);
              }
              return Future.succeededFuture(
                  Verdict.Denied.of(
                      Rejection.AUTHENTICATION_UNAVAILABLE,
                      Messages.cannotVerifyToken(done.cause().getMessage())));
            });
  }

  private Future<Verdict> review(String key, String token, TokenClaims claims) {
    metrics.reviewCache("miss");
    Instant now = clock.instant();
    return reviewer
        .review(token, claims, now)
        .andThen(
            done -> {
              metrics.apiCall(
                  CALL, done.succeeded() ? "ok" : NamespaceAccess.failureLabel(done.cause()));
              if (done.succeeded()) {
                remember(key, done.result(), claims, clock.instant());
              }
            });
  }

  /**
   * A caller is fresh for the TTL and usable for the stale grace more, never past its token's
   * expiry; a rejection is kept for the (shorter) denial TTL only.
   */
  private void remember(String key, Verdict verdict, TokenClaims claims, Instant now) {
    if (verdict instanceof Verdict.Caller) {
      Instant fresh = now.plus(options.ttl());
      Instant usable = fresh.plus(options.staleGrace());
      if (claims.expiresAt() != null) {
        fresh = min(fresh, claims.expiresAt());
        usable = min(usable, claims.expiresAt());
      }
      answers.put(key, verdict, fresh, usable);
    } else {
      Instant until = now.plus(options.denialTtl());
      answers.put(key, verdict, until, until);
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Future<Verdict> denied(Rejection reason, String message) {
    return Future.succeededFuture(Verdict.Denied.of(reason, message));
  }

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JVM provides SHA-256", e);
            }
          });

  static String sha256(String token) {
    return HexFormat.of().formatHex(SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  int cachedAnswers() {
    return answers.size();
  }
}
