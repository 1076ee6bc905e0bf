package ai.holysheep.k8s.sidecar.cache;

import ai.holysheep.k8s.config.CacheSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * Stale-if-error cache: successful answers of cacheable requests are stored, and served only when
 * every upstream failed for a request. Never slows or fails the proxy: lookups complete with null
 * on any problem, within a bounded time.
 */
public interface StaleCache {

  /** Header set on an answer served from the cache. */
  String CACHE_HEADER = "x-holysheep-cache";

  /** Value of {@link #CACHE_HEADER} on a stale answer. */
  String CACHE_HEADER_STALE = "stale";

  /**
   * Builds the cache {@code spec} asks for; {@code OFF} gives {@link #disabled()}.
   *
   * @param podNamespace the pod's namespace (downward API), part of every key
   * @param redisPassword read on every (re)connect so a rotated Secret takes effect; may return
   *     null or blank for a Redis without a password
   */
  static StaleCache create(
      Vertx vertx,
      CacheSpec spec,
      String podNamespace,
      Supplier<String> redisPassword,
      MeterRegistry registry) {
    return create(vertx, spec, podNamespace, redisPassword, registry, Clock.systemUTC());
  }

  /** As above, with the clock that stamps entries and computes {@code Age} and expiry. */
  static StaleCache create(
      Vertx vertx,
      CacheSpec spec,
      String podNamespace,
      Supplier<String> redisPassword,
      MeterRegistry registry,
      Clock clock) {
    return StaleCacheFactory.create(vertx, spec, podNamespace, redisPassword, registry, clock);
  }

  /** A cache that classifies nothing, stores nothing and always misses. */
  static StaleCache disabled() {
    return DisabledCache.INSTANCE;
  }

  /**
   * Null unless cacheable: non-streaming POST /v1/chat/completions|/v1/completions|/v1/embeddings
   * or GET /v1/models, no Cache-Control: no-store.
   */
  CacheableRequest classify(HttpMethod method, String path, MultiMap requestHeaders, Buffer body);

  /**
   * As {@link #classify(HttpMethod, String, MultiMap, Buffer)}, for a caller of verified {@code
   * tenant} (null: the pod's own namespace): its entries are never another tenant's.
   */
  default CacheableRequest classify(
      HttpMethod method, String path, MultiMap requestHeaders, Buffer body, String tenant) {
    CacheableRequest request = classify(method, path, requestHeaders, body);
    return request == null || tenant == null ? request : request.scopedTo(tenant);
  }

  /**
   * Fire-and-forget; ignores non-2xx, no-store answers and bodies above maxEntryBytes; never fails
   * the caller.
   */
  void store(
      CacheableRequest request, String upstream, int status, MultiMap responseHeaders, Buffer body);

  /**
   * Tries the upstreams in order; completes with null on miss, timeout or error (never fails,
   * bounded time).
   */
  Future<CachedResponse> lookup(CacheableRequest request, List<String> upstreams);

  Future<Void> close();
}
