package ai.holysheep.k8s.sidecar.cache;

import io.vertx.core.http.HttpMethod;
import java.util.Objects;

/**
 * A request the stale cache may answer: its route (e.g. {@code /v1/chat/completions}), its method
 * and the SHA-256 (hex) of its canonical body. Holds no body text, so it is safe to keep and log.
 * {@code scope} is the tenant whose entries it may see when that is not the pod's own namespace
 * (the gateway serves many namespaces from one cache), else null.
 */
public record CacheableRequest(String route, HttpMethod method, String bodyHash, String scope) {
  public CacheableRequest {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(bodyHash, "bodyHash");
  }

  /** A request of the pod's own namespace. */
  public CacheableRequest(String route, HttpMethod method, String bodyHash) {
    this(route, method, bodyHash, null);
  }

  /** The same request, seen by {@code tenant} (a verified namespace) only. */
  public CacheableRequest scopedTo(String tenant) {
    return new CacheableRequest(route, method, bodyHash, tenant);
  }
}
