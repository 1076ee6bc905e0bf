package ai.holysheep.k8s.sidecar.cache;

import static ai.holysheep.k8s.sidecar.cache.CacheTesting.await;
import static ai.holysheep.k8s.sidecar.cache.CacheTesting.chat;
import static ai.holysheep.k8s.sidecar.cache.CacheTesting.count;
import static ai.holysheep.k8s.sidecar.cache.CacheTesting.jsonHeaders;
import static ai.holysheep.k8s.sidecar.cache.CacheTesting.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.config.CacheMode;
import ai.holysheep.k8s.sidecar.testing.RedisServerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisStaleCacheIT {
  private static final Buffer ANSWER = Buffer.buffer("{\"id\":\"chatcmpl-1\",\"choices\":[]}");
  private static final Duration TTL = Duration.ofMinutes(10);

  /** Bound asserted on calls against a dead Redis: the command timeout plus scheduling slack. */
  private static final Duration DEAD_REDIS_BOUND = Duration.ofMillis(1500);

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static Vertx vertx;
  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<StaleCache> caches = new ArrayList<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void freshRedis() throws Exception {
    REDIS.start();
    Redis admin = Redis.createClient(vertx, REDIS.url());
    try {
      await(admin.send(Request.cmd(Command.FLUSHALL)));
    } finally {
      await(admin.close());
    }
  }

  @AfterEach
  void closeCaches() throws Exception {
    for (StaleCache cache : caches) {
      await(cache.close());
    }
  }

  private StaleCache cache(String namespace, Duration ttl) {
    StaleCache cache =
        StaleCache.create(
            vertx,
            spec(CacheMode.REDIS, ttl, 1 << 20, 1 << 20, REDIS.url()),
            namespace,
            () -> null,
            registry,
            clock);
    caches.add(cache);
    return cache;
  }

  @Test
  void storesAnAnswerAndServesItWithItsAge() throws Exception {
    StaleCache cache = cache("team-a", TTL);
    CacheableRequest request = chat(cache, "hello");
    storeAndWait(cache, request, "primary");
    clock.advance(Duration.ofSeconds(7));

    CachedResponse hit = await(cache.lookup(request, List.of("primary")));
    assertEquals(200, hit.status());
    assertEquals("application/json", hit.contentType());
    assertEquals(ANSWER, hit.body());
    assertEquals(Duration.ofSeconds(7), hit.age());
    assertEquals("primary", hit.upstream());
    assertEquals(1, count(registry, "hit"));
  }

  @Test
  void keysAreNamespacedAndCarryARedisTtl() throws Exception {
    StaleCache cache = cache("team-a", Duration.ofSeconds(90));
    CacheableRequest request = chat(cache, "hello");
    storeAndWait(cache, request, "primary");

    Redis admin = Redis.createClient(vertx, REDIS.url());
    try {
      Response keys = await(admin.send(Request.cmd(Command.KEYS).arg("*")));
      assertEquals(1, keys.size());
      String key = keys.get(0).toString();
      assertEquals("holysheep:v1:team-a:primary:/v1/chat/completions:" + request.bodyHash(), key);
      long pttl = await(admin.send(Request.cmd(Command.PTTL).arg(key))).toLong();
      assertTrue(pttl > 80_000 && pttl <= 90_000, "PTTL " + pttl);
    } finally {
      await(admin.close());
    }
  }

  @Test
  void anEntryIsGoneOnceItsTtlHasPassed() throws Exception {
    // Redis expires keys on its own clock, so this test uses a short real TTL and polls with a
    // bound.
    StaleCache cache = cache("team-a", Duration.ofMillis(200));
    CacheableRequest request = chat(cache, "hello");
    storeAndWait(cache, request, "primary");
    assertNotNull(await(cache.lookup(request, List.of("primary"))));

    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    CachedResponse found = ANSWER_SENTINEL;
    while (found != null && System.nanoTime() < deadline) {
      found = await(vertx.timer(50).compose(t -> cache.lookup(request, List.of("primary"))));
    }
    assertNull(found, "entry still served 5s after a 200ms TTL");
  }

  @Test
  void anotherNamespaceNeverSeesTheEntry() throws Exception {
    StaleCache teamA = cache("team-a", TTL);
    StaleCache teamAOtherPod = cache("team-a", TTL);
    StaleCache teamB = cache("team-b", TTL);
    CacheableRequest request = chat(teamA, "hello");
    storeAndWait(teamA, request, "primary");

    assertNotNull(await(teamAOtherPod.lookup(request, List.of("primary"))));
    assertNull(await(teamB.lookup(request, List.of("primary"))));
  }

  @Test
  void aKilledRedisMeansQuickNullsAndCountedErrorsThenWorksAgainAfterRestart() throws Exception {
    StaleCache cache = cache("team-a", TTL);
    CacheableRequest request = chat(cache, "hello");
    storeAndWait(cache, request, "primary");

    REDIS.kill();
    long start = System.nanoTime();
    assertNull(await(cache.lookup(request, List.of("primary"))));
    cache.store(request, "primary", 200, jsonHeaders(), ANSWER);
    assertNull(await(cache.lookup(request, List.of("primary"))));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(DEAD_REDIS_BOUND) < 0, "took " + took);
    awaitCount("error", 3);

    REDIS.start(); // same port, empty: nothing persisted
    assertNull(await(cache.lookup(request, List.of("primary"))));
    storeAndWait(cache, request, "primary");
    assertNotNull(await(cache.lookup(request, List.of("primary"))));
  }

  @Test
  void aRedisThatNeverAnswersIsCutOffByTheTimeout() throws Exception {
    // A listening socket that accepts and never replies: the worst case, a hung Redis.
    io.vertx.core.net.NetServer blackHole =
        await(vertx.createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1"));
    try {
      StaleCache cache =
          StaleCacheFactory.create(
              vertx,
              spec(
                  CacheMode.REDIS,
                  TTL,
                  1 << 20,
                  1 << 20,
                  "redis://127.0.0.1:" + blackHole.actualPort()),
              "team-a",
              () -> null,
              registry,
              clock,
              Duration.ofMillis(200));
      caches.add(cache);
      long start = System.nanoTime();
      assertNull(await(cache.lookup(chat(cache, "hello"), List.of("primary"))));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(Duration.ofMillis(1000)) < 0, "took " + took);
      assertEquals(1, count(registry, "error"));
    } finally {
      await(blackHole.close());
    }
  }

  @Test
  void redissNeverFallsBackToPlainText() throws Exception {
    // The server speaks plain RESP: a TLS client must fail (counted), not send commands in clear.
    StaleCache cache =
        StaleCache.create(
            vertx,
            spec(CacheMode.REDIS, TTL, 1 << 20, 1 << 20, "rediss://127.0.0.1:" + REDIS.port()),
            "team-a",
            () -> null,
            registry,
            clock);
    caches.add(cache);
    assertNull(await(cache.lookup(chat(cache, "tls"), List.of("primary"))));
    assertEquals(1, count(registry, "error"));
  }

  private static final CachedResponse ANSWER_SENTINEL =
      new CachedResponse(0, null, Buffer.buffer(), Duration.ZERO, "sentinel");

  private void storeAndWait(StaleCache cache, CacheableRequest request, String upstream)
      throws Exception {
    double before = count(registry, "store");
    cache.store(request, upstream, 200, jsonHeaders(), ANSWER);
    awaitCount("store", before + 1);
  }

  /** Store is fire-and-forget; poll its counter with a bounded wait on Vert.x timers. */
  private void awaitCount(String result, double expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (count(registry, result) < expected && System.nanoTime() < deadline) {
      await(vertx.timer(10));
    }
    assertEquals(expected, count(registry, result), result);
  }
}
