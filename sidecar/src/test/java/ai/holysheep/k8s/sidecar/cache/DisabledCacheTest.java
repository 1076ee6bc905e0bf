package ai.holysheep.k8s.sidecar.cache;

import static ai.holysheep.k8s.sidecar.cache.CacheTesting.await;
import static ai.holysheep.k8s.sidecar.cache.CacheTesting.count;
import static ai.holysheep.k8s.sidecar.cache.CacheTesting.jsonHeaders;
import static ai.holysheep.k8s.sidecar.cache.CacheTesting.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.holysheep.k8s.config.CacheMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DisabledCacheTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void modeOffGivesTheDisabledCache() {
    StaleCache off =
        StaleCache.create(
            null,
            spec(CacheMode.OFF, Duration.ofMinutes(10), 1 << 20, 1 << 20, null),
            "ns",
            () -> null,
            registry);
    assertSame(StaleCache.disabled(), off);
  }

  @Test
  void offClassifiesNothingAndNeverStores() throws Exception {
    StaleCache off = StaleCache.disabled();
    Buffer body = Buffer.buffer("{\"model\":\"m\"}");
    assertNull(
        off.classify(
            HttpMethod.POST, "/v1/chat/completions", MultiMap.caseInsensitiveMultiMap(), body));

    // Even a request the memory cache would accept is not kept by the disabled one.
    StaleCache memory =
        StaleCache.create(
            null,
            spec(CacheMode.MEMORY, Duration.ofMinutes(10), 1 << 20, 1 << 20, null),
            "ns",
            () -> null,
            registry);
    CacheableRequest request =
        memory.classify(
            HttpMethod.POST, "/v1/chat/completions", MultiMap.caseInsensitiveMultiMap(), body);
    assertNotNull(request);
    off.store(request, "primary", 200, jsonHeaders(), body);
    assertNull(await(off.lookup(request, List.of("primary"))));
    assertEquals(0, count(registry, "store"));
    assertNull(await(off.close()));
  }
}
