package ai.holysheep.k8s.sidecar.gateway;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The claims of a JWT read <em>without</em> verifying its signature. They are used only to turn a
 * caller away early and to say why (an expired token or one for another audience needs no API
 * call); a caller is only ever let in on the API server's TokenReview answer.
 */
record TokenClaims(List<String> audiences, Instant expiresAt) {

  /** Tokens longer than this are refused outright; ServiceAccount tokens are about 1 KiB. */
  static final int MAX_TOKEN_CHARS = 16 * 1024;

  /** The claims, or null when {@code token} is not a JWT with a JSON payload. */
  static TokenClaims parse(String token) {
    if (token.length() > MAX_TOKEN_CHARS) {
      return null;
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
      return null;
    }
    JsonObject payload;
    try {
      byte[] json = Base64.getUrlDecoder().decode(token.substring(first + 1, second));
      payload = new JsonObject(new String(json, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return null;
    }
    return new TokenClaims(audiences(payload.getValue("aud")), expiry(payload.getValue("exp")));
  }

  private static List<String> audiences(Object aud) {
    if (aud instanceof String single) {
      return List.of(single);
    }
    if (aud instanceof JsonArray list) {
      return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }

  private static Instant expiry(Object exp) {
    return exp instanceof Number seconds ? Instant.ofEpochSecond(seconds.longValue()) : null;
  }

  /** Expired even allowing {@code leeway} for clock skew between the caller and the gateway. */
  boolean expiredAt(Instant now, java.time.Duration leeway) {
    return expiresAt != null && expiresAt.plus(leeway).isBefore(now);
  }

  /** Whether the token names audiences and {@code audience} is not among them. */
  boolean forOtherAudiences(String audience) {
    return !audiences.isEmpty() && !audiences.contains(audience);
  }
}
