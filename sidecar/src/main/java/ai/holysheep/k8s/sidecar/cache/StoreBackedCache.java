package ai.holysheep.k8s.sidecar.cache;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** The stale-if-error rules on top of a {@link CacheStore} (memory or Redis). */
final class StoreBackedCache implements StaleCache {
  private static final System.Logger LOG = System.getLogger(StoreBackedCache.class.getName());

  private final CacheStore store;
  private final CacheKeys keys;
  private final CacheMetrics metrics;
  private final Clock clock;
  private final Duration ttl;
  private final long maxEntryBytes;
  private final AtomicBoolean failing = new AtomicBoolean();

  StoreBackedCache(
      CacheStore store,
      CacheKeys keys,
      CacheMetrics metrics,
      Clock clock,
      Duration ttl,
      long maxEntryBytes) {
    this.store = store;
    this.keys = keys;
    this.metrics = metrics;
    this.clock = clock;
    this.ttl = ttl;
    this.maxEntryBytes = maxEntryBytes;
  }

  @Override
  public CacheableRequest classify(
      HttpMethod method, String path, MultiMap requestHeaders, Buffer body) {
    return RequestClassifier.classify(method, path, requestHeaders, body);
  }

  @Override
  public void store(
      CacheableRequest request,
      String upstream,
      int status,
      MultiMap responseHeaders,
      Buffer body) {
    if (request == null
        || upstream == null
        || status < 200
        || status > 299
        || body == null
        || body.length() > maxEntryBytes
        || RequestClassifier.forbidsStore(responseHeaders)) {
      return;
    }
    String contentType = responseHeaders == null ? null : responseHeaders.get("Content-Type");
    StoredEntry entry = new StoredEntry(status, contentType, body.copy(), clock.instant());
    Future<Void> written;
    try {
      written = store.put(keys.key(request, upstream), entry, ttl);
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    written.onComplete(
        done -> {
          if (done.succeeded()) {
            metrics.stored();
            recovered();
          } else {
            failed("store", done.cause());
          }
        });
  }

  @Override
  public Future<CachedResponse> lookup(CacheableRequest request, List<String> upstreams) {
    if (request == null || upstreams == null || upstreams.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> candidates = upstreams.stream().map(u -> keys.key(request, u)).toList();
    Future<List<StoredEntry>> found;
    try {
      found = store.getAll(candidates);
    } catch (RuntimeException e) {
      found = Future.failedFuture(e);
    }
    return found.transform(
        done -> {
          if (done.failed()) {
            failed("lookup", done.cause());
            return Future.succeededFuture();
          }
          recovered();
          List<StoredEntry> entries = done.result();
          for (int i = 0; i < entries.size() && i < upstreams.size(); i++) {
            StoredEntry entry = entries.get(i);
            if (entry != null) {
              metrics.hit();
              return Future.succeededFuture(toResponse(entry, upstreams.get(i)));
            }
          }
          metrics.miss();
          return Future.succeededFuture();
        });
  }

  @Override
  public Future<Void> close() {
    return store.close();
  }

  private CachedResponse toResponse(StoredEntry entry, String upstream) {
    Duration age = Duration.between(entry.storedAt(), clock.instant());
    if (age.isNegative()) {
      age = Duration.ZERO; // another pod's clock may run slightly ahead
    }
    return new CachedResponse(entry.status(), entry.contentType(), entry.body(), age, upstream);
  }

  /** Logs the first failure of a run, so a dead Redis does not flood the log. */
  private void failed(String operation, Throwable cause) {
    metrics.error();
    if (failing.compareAndSet(false, true)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "stale cache unavailable ({0} failed: {1}); proxying continues without it",
          operation,
          describe(cause));
    }
  }

  private void recovered() {
    if (failing.compareAndSet(true, false)) {
      LOG.log(System.Logger.Level.INFO, "stale cache available again");
    }
  }

  private static String describe(Throwable cause) {
    // Exception messages of the Redis client never hold values; the class and message suffice.
    return cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
