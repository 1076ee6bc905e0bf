package ai.holysheep.k8s.sidecar.cache;

import ai.holysheep.k8s.sidecar.route.RoutePolicy;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.Locale;

/**
 * Decides which requests may be answered from the cache: the routes the {@link RoutePolicy} marks
 * cacheable (chat/completions, completions, embeddings, GET models), never streams, and not when
 * the request says {@code Cache-Control: no-store}.
 */
final class RequestClassifier {

  private RequestClassifier() {}

  static CacheableRequest classify(
      HttpMethod method, String path, MultiMap requestHeaders, Buffer body) {
    if (method == null || path == null) {
      return null;
    }
    int queryStart = path.indexOf('?');
    String route = queryStart < 0 ? path : path.substring(0, queryStart);
    String query = queryStart < 0 ? "" : path.substring(queryStart + 1);
    if (!route.startsWith("/v1/")
        || !RoutePolicy.of(method, route, body).cacheable()
        || forbidsStore(requestHeaders)) {
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
