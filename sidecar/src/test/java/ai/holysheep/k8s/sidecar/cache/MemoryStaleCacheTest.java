package ai.holysheep.k8s.sidecar.cache;

import static ai.holysheep.k8s.sidecar.cache.CacheTesting.await;
import static ai.holysheep.k8s.sidecar.cache.CacheTesting.chat;
import static ai.holysheep.k8s.sidecar.cache.CacheTesting.count;
import static ai.holysheep.k8s.sidecar.cache.CacheTesting.jsonHeaders;
import static ai.holysheep.k8s.sidecar.cache.CacheTesting.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.holysheep.k8s.config.CacheMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStaleCacheTest {
  private static final Buffer ANSWER = Buffer.buffer("{\"id\":\"chatcmpl-1\",\"choices\":[]}");
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private StaleCache cache(String namespace, long maxEntryBytes) {
    return StaleCache.create(
        null,
        spec(CacheMode.MEMORY, Duration.ofMinutes(10), 1 << 20, maxEntryBytes, null),
        namespace,
        () -> null,
        registry,
        clock);
  }

  @Test
  void servesAStoredAnswerWithItsAgeStatusTypeAndUpstream() throws Exception {
    StaleCache cache = cache("team-a", 4096);
    CacheableRequest request = chat(cache, "hello");
    cache.store(request, "primary", 200, jsonHeaders(), ANSWER);
    clock.advance(Duration.ofSeconds(42));

    CachedResponse hit = await(cache.lookup(request, List.of("primary", "secondary")));
    assertEquals(200, hit.status());
    assertEquals("application/json", hit.contentType());
    assertEquals(ANSWER, hit.body());
    assertEquals(Duration.ofSeconds(42), hit.age());
    assertEquals("42", hit.ageHeader());
    assertEquals("primary", hit.upstream());
    assertEquals(1, count(registry, "store"));
    assertEquals(1, count(registry, "hit"));
  }

  @Test
  void triesUpstreamsInTheGivenOrder() throws Exception {
    StaleCache cache = cache("team-a", 4096);
    CacheableRequest request = chat(cache, "hello");
    cache.store(
        request, "secondary", 200, jsonHeaders(), Buffer.buffer("{\"from\":\"secondary\"}"));
    cache.store(request, "primary", 200, jsonHeaders(), Buffer.buffer("{\"from\":\"primary\"}"));

    assertEquals(
        "primary", await(cache.lookup(request, List.of("primary", "secondary"))).upstream());
    assertEquals(
        "secondary", await(cache.lookup(request, List.of("secondary", "primary"))).upstream());
    assertEquals(
        "secondary", await(cache.lookup(request, List.of("third", "secondary"))).upstream());
  }

  @Test
  void aDifferentBodyOrUpstreamMisses() throws Exception {
    StaleCache cache = cache("team-a", 4096);
    cache.store(chat(cache, "hello"), "primary", 200, jsonHeaders(), ANSWER);

    assertNull(await(cache.lookup(chat(cache, "goodbye"), List.of("primary"))));
    assertNull(await(cache.lookup(chat(cache, "hello"), List.of("secondary"))));
    assertEquals(2, count(registry, "miss"));
    assertEquals(0, count(registry, "hit"));
  }

  @Test
  void storesOnlySuccessfulStorableAnswersWithinTheSizeCap() throws Exception {
    StaleCache cache = cache("team-a", 100);
    CacheableRequest request = chat(cache, "hello");
    cache.store(request, "primary", 500, jsonHeaders(), ANSWER);
    cache.store(request, "primary", 429, jsonHeaders(), ANSWER);
    cache.store(request, "primary", 304, jsonHeaders(), ANSWER);
    cache.store(request, "primary", 200, jsonHeaders().add("Cache-Control", "no-store"), ANSWER);
    cache.store(request, "primary", 200, jsonHeaders(), Buffer.buffer(new byte[101]));
    cache.store(null, "primary", 200, jsonHeaders(), ANSWER);

    assertNull(await(cache.lookup(request, List.of("primary"))));
    assertEquals(0, count(registry, "store"));

    cache.store(request, "primary", 201, jsonHeaders(), Buffer.buffer(new byte[100]));
    assertEquals(201, await(cache.lookup(request, List.of("primary"))).status());
    assertEquals(1, count(registry, "store"));
  }

  @Test
  void anEntryExpiresAfterTheTtl() throws Exception {
    StaleCache cache = cache("team-a", 4096);
    CacheableRequest request = chat(cache, "hello");
    cache.store(request, "primary", 200, jsonHeaders(), ANSWER);
    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertNotNull(await(cache.lookup(request, List.of("primary"))));
    clock.advance(Duration.ofMillis(1));
    assertNull(await(cache.lookup(request, List.of("primary"))));
  }

  @Test
  void theStoredBodyIsACopyTheCallerMayReuse() throws Exception {
    StaleCache cache = cache("team-a", 4096);
    CacheableRequest request = chat(cache, "hello");
    Buffer body = Buffer.buffer("{\"a\":1}");
    cache.store(request, "primary", 200, jsonHeaders(), body);
    body.setByte(2, (byte) 'b');
    assertEquals(
        Buffer.buffer("{\"a\":1}"), await(cache.lookup(request, List.of("primary"))).body());
  }

  @Test
  void nothingIsCountedForALookupWithoutARequest() throws Exception {
    StaleCache cache = cache("team-a", 4096);
    assertNull(await(cache.lookup(null, List.of("primary"))));
    assertEquals(0, count(registry, "miss"));
  }
}
