package ai.holysheep.k8s.sidecar.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which requests may be answered from the cache: idempotent reads of the model API only,
 * never streams, uploads, batches, the Responses API or any other write.
 */
final class RequestClassifier {
  private static final Set<String> CACHEABLE_POSTS =
      Set.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings");
  private static final String CACHEABLE_GET = "/v1/models";

  private RequestClassifier() {}

  static CacheableRequest classify(
      HttpMethod method, String path, MultiMap requestHeaders, Buffer body) {
    if (method == null || path == null) {
      return null;
    }
    int queryStart = path.indexOf('?');
    String route = queryStart < 0 ? path : path.substring(0, queryStart);
    String query = queryStart < 0 ? "" : path.substring(queryStart + 1);
    boolean cacheableRoute =
        (HttpMethod.POST.equals(method) && CACHEABLE_POSTS.contains(route))
            || (HttpMethod.GET.equals(method) && CACHEABLE_GET.equals(route));
    if (!cacheableRoute || forbidsStore(requestHeaders)) {
      return null;
    }
    CanonicalBody canonical = CanonicalBody.of(query, body);
    if (canonical.asksForStream()) {
      return null;
    }
    return new CacheableRequest(route, method, canonical.sha256());
  }

  /** True when a {@code Cache-Control} header carries the {@code no-store} directive. */
  static boolean forbidsStore(MultiMap headers) {
    if (headers == null) {
      return false;
    }
    for (String value : headers.getAll("Cache-Control")) {
      for (String directive : value.split(",")) {
        if (directive.strip().toLowerCase(Locale.ROOT).equals("no-store")) {
          return true;
        }
      }
    }
    return false;
  }
}
