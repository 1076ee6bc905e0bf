package ai.holysheep.k8s.sidecar.cache;

import ai.holysheep.k8s.config.CacheSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/** Builds the cache for a {@link CacheSpec}; kept apart so the interface stays readable. */
final class StaleCacheFactory {
  private StaleCacheFactory() {}

  static StaleCache create(
      Vertx vertx,
      CacheSpec spec,
      String podNamespace,
      Supplier<String> redisPassword,
      MeterRegistry registry,
      Clock clock) {
    return create(
        vertx,
        spec,
        podNamespace,
        redisPassword,
        registry,
        clock,
        CacheDefaults.REDIS_COMMAND_TIMEOUT);
  }

  static StaleCache create(
      Vertx vertx,
      CacheSpec spec,
      String podNamespace,
      Supplier<String> redisPassword,
      MeterRegistry registry,
      Clock clock,
      Duration redisTimeout) {
    if (spec == null || spec.mode() == null) {
      return StaleCache.disabled();
    }
    CacheStore store =
        switch (spec.mode()) {
          case OFF -> null;
          case MEMORY -> new MemoryStore(spec.memoryLimitBytes(), clock);
          case REDIS -> new RedisStore(vertx, redisUrl(spec), redisPassword, redisTimeout);
        };
    if (store == null) {
      return StaleCache.disabled();
    }
    return new StoreBackedCache(
        store,
        new CacheKeys(podNamespace),
        new CacheMetrics(registry),
        clock,
        spec.ttl(),
        spec.maxEntryBytes());
  }

  private static String redisUrl(CacheSpec spec) {
    String url = spec.redisUrl();
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "cache.redisUrl: \"\" is empty; cache.mode redis needs redis://HOST:PORT[/DB] or"
              + " rediss://HOST:PORT[/DB]");
    }
    return url.strip();
  }
}
