package ai.holysheep.k8s.sidecar.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * JWTs shaped like projected ServiceAccount tokens (header, claims, a signature nobody checks but
 * the fake API server, which knows its tokens by value).
 */
public final class ServiceAccountTokens {
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private ServiceAccountTokens() {}

  public static String jwt(String namespace, String account, List<String> audiences, Instant exp) {
    JsonObject header = new JsonObject().put("alg", "RS256").put("kid", "test-key");
    JsonObject claims =
        new JsonObject()
            .put("aud", new JsonArray(audiences))
            .put("exp", exp.getEpochSecond())
            .put("iat", exp.minusSeconds(3600).getEpochSecond())
            .put("iss", "https://kubernetes.default.svc.cluster.local")
            .put("sub", "system:serviceaccount:" + namespace + ":" + account)
            .put(
                "kubernetes.io",
                new JsonObject()
                    .put("namespace", namespace)
                    .put("serviceaccount", new JsonObject().put("name", account)));
    return encode(header) + "." + encode(claims) + "." + URL.encodeToString(uuid());
  }

  private static String encode(JsonObject json) {
    return URL.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] uuid() {
    return UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
  }
}
