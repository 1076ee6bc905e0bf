package ai.holysheep.k8s.sidecar.cache;

import ai.holysheep.k8s.config.CacheMode;
import ai.holysheep.k8s.config.CacheSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Shared helpers: specs, requests, bounded waits and metric reads. */
final class CacheTesting {
  static final long AWAIT_SECONDS = 5;

  private CacheTesting() {}

  static CacheSpec spec(CacheMode mode, Duration ttl, long memoryLimit, long maxEntry, String url) {
    return new CacheSpec(mode, ttl, memoryLimit, maxEntry, url, null);
  }

  static CacheableRequest chat(StaleCache cache, String content) {
    return cache.classify(
        HttpMethod.POST,
        "/v1/chat/completions",
        MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + content
                + "\"}]}"));
  }

  static MultiMap jsonHeaders() {
    return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(AWAIT_SECONDS, TimeUnit.SECONDS);
  }

  static double count(MeterRegistry registry, String result) {
    Counter counter = registry.find(CacheMetrics.REQUESTS).tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }
}
