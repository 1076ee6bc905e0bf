package ai.holysheep.k8s.sidecar.cache;

import io.vertx.core.http.HttpMethod;
import java.util.Objects;

/**
 * A request the stale cache may answer: its route (e.g. {@code /v1/chat/completions}), its method
 * and the SHA-256 (hex) of its canonical body. Holds no body text, so it is safe to keep and log.
 */
public record CacheableRequest(String route, HttpMethod method, String bodyHash) {
  public CacheableRequest {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(bodyHash, "bodyHash");
  }
}
