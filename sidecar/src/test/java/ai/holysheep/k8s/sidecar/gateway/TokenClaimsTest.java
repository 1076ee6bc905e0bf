package ai.holysheep.k8s.sidecar.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.sidecar.testing.ServiceAccountTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenClaimsTest {
  private static String withPayload(String json) {
    return "eyJhbGciOiJSUzI1NiJ9."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(json.getBytes(StandardCharsets.UTF_8))
        + ".c2ln";
  }

  @Test
  void readsAudiencesAndExpiryOfAProjectedToken() {
    Instant exp = Instant.parse("2030-01-01T00:00:00Z");
    TokenClaims claims =
        TokenClaims.parse(ServiceAccountTokens.jwt("ns", "sa", List.of("holysheep-gateway"), exp));
    assertEquals(List.of("holysheep-gateway"), claims.audiences());
    assertEquals(exp, claims.expiresAt());
    assertFalse(claims.forOtherAudiences("holysheep-gateway"));
    assertTrue(claims.forOtherAudiences("vault"));
  }

  @Test
  void aSingleStringAudienceCountsAsOne() {
    assertEquals(List.of("a"), TokenClaims.parse(withPayload("{\"aud\":\"a\"}")).audiences());
  }

  @Test
  void missingClaimsNeverRejectLocally() {
    TokenClaims claims = TokenClaims.parse(withPayload("{}"));
    assertFalse(claims.forOtherAudiences("holysheep-gateway"), "the API server decides");
    assertFalse(claims.expiredAt(Instant.now(), Duration.ZERO));
  }

  @Test
  void expiryAllowsTheLeeway() {
    TokenClaims claims = TokenClaims.parse(withPayload("{\"exp\":1000}"));
    Instant expiry = Instant.ofEpochSecond(1000);
    assertFalse(claims.expiredAt(expiry.plusSeconds(60), Duration.ofSeconds(60)));
    assertTrue(claims.expiredAt(expiry.plusSeconds(61), Duration.ofSeconds(60)));
  }

  @Test
  void anythingButThreeSegmentsWithAJsonPayloadIsNotAJwt() {
    for (String token :
        List.of(
            "sk-abc",
            "a.b",
            "a.b.c.d",
            ".e30.x",
            "x." + "!!!" + ".y",
            withPayload("[1,2]"),
            withPayload("not json"))) {
      assertNull(TokenClaims.parse(token), token);
    }
  }
}
