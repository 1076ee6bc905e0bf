package ai.holysheep.k8s.sidecar.cache;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/** {@code cache.mode: off}: nothing is cacheable, so the proxy never calls store or lookup. */
final class DisabledCache implements StaleCache {
  static final DisabledCache INSTANCE = new DisabledCache();

  private DisabledCache() {}

  @Override
  public CacheableRequest classify(
      HttpMethod method, String path, MultiMap requestHeaders, Buffer body) {
    return null;
  }

  @Override
  public void store(
      CacheableRequest request,
      String upstream,
      int status,
      MultiMap responseHeaders,
      Buffer body) {}

  @Override
  public Future<CachedResponse> lookup(CacheableRequest request, List<String> upstreams) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
