package ai.holysheep.k8s.e2e.cache;

import static ai.holysheep.k8s.e2e.cache.ProxyHttp.cacheCount;
import static ai.holysheep.k8s.e2e.cache.ProxyHttp.chatBody;
import static ai.holysheep.k8s.e2e.cache.ProxyHttp.get;
import static ai.holysheep.k8s.e2e.cache.ProxyHttp.isStale;
import static ai.holysheep.k8s.e2e.cache.ProxyHttp.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.config.ConfigParser;
import ai.holysheep.k8s.e2e.sim.Fault;
import ai.holysheep.k8s.sidecar.ListenAddress;
import ai.holysheep.k8s.sidecar.Sidecar;
import ai.holysheep.k8s.sidecar.SidecarOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** In-process sidecars with {@code cache.mode: memory} (small byte limit) and {@code off}. */
class MemoryCacheE2EIT {
  /** Real time: the sidecar's clock is the system clock here. */
  private static final Duration SHORT_TTL = Duration.ofSeconds(1);

  private static final int ENTRIES_THAT_FIT = 3;

  private static Vertx vertx;
  private static CacheUpstreams upstreams;
  private static Sidecar memory;
  private static Sidecar off;
  private static Sidecar shortTtl;
  private static String memoryProxy;
  private static String memoryAdmin;
  private static String offProxy;
  private static String offAdmin;
  private static String shortTtlProxy;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstreams = CacheUpstreams.start(vertx);
    // Each stored chat answer costs well under 1Ki (body, key, overhead): 3Ki holds about three.
    JsonObject memoryCache =
        new JsonObject()
            .put("mode", "memory")
            .put("ttl", "5m")
            .put("memoryLimit", ENTRIES_THAT_FIT + "Ki")
            .put("maxEntrySize", "2Ki");
    memory = startSidecar(upstreams.config(memoryCache));
    shortTtl =
        startSidecar(upstreams.config(memoryCache.copy().put("ttl", SHORT_TTL.toMillis() + "ms")));
    shortTtlProxy = "http://127.0.0.1:" + shortTtl.proxyPort();
    off = startSidecar(upstreams.config(new JsonObject().put("mode", "off")));
    memoryProxy = "http://127.0.0.1:" + memory.proxyPort();
    memoryAdmin = "http://127.0.0.1:" + memory.adminPort();
    offProxy = "http://127.0.0.1:" + off.proxyPort();
    offAdmin = "http://127.0.0.1:" + off.adminPort();
  }

  private static Sidecar startSidecar(JsonObject config) throws Exception {
    SidecarOptions options =
        SidecarOptions.of(ConfigParser.parse(config.encode()))
            .withListen(List.of(new ListenAddress("127.0.0.1", 0)))
            .withAdminListen(new ListenAddress("127.0.0.1", 0))
            .withEnv(
                Map.of(
                    "HOLYSHEEP_API_KEY",
                    CacheUpstreams.PRIMARY_KEY,
                    "HOLYSHEEP_API_KEY_1",
                    CacheUpstreams.SECONDARY_KEY,
                    "HOLYSHEEP_POD_NAMESPACE",
                    "team-mem",
                    "HOLYSHEEP_POD_NAME",
                    "mem-1"))
            .withSecretsDir(java.nio.file.Path.of("/nonexistent-holysheep-secrets"));
    return CacheUpstreams.await(Sidecar.start(vertx, options));
  }

  @AfterAll
  static void stop() throws Exception {
    for (Sidecar sidecar : new Sidecar[] {memory, off, shortTtl}) {
      if (sidecar != null) {
        CacheUpstreams.await(sidecar.close());
      }
    }
    if (upstreams != null) {
      upstreams.close();
    }
    if (vertx != null) {
      CacheUpstreams.await(vertx.close());
    }
  }

  @BeforeEach
  void healthyUpstreams() {
    upstreams.healAll();
  }

  @Test
  void servesAStoredAnswerStaleOnlyWhenEveryUpstreamFails() throws Exception {
    String body = chatBody("mem-" + UUID.randomUUID());
    double stores = cacheCount(memoryAdmin, "store");
    HttpResponse<String> fresh = post(memoryProxy, "/v1/chat/completions", body);
    assertEquals(200, fresh.statusCode());
    awaitCount(memoryAdmin, "store", stores + 1);

    upstreams.primary.setFault(Fault.ofStatus(503));
    HttpResponse<String> viaFallback = post(memoryProxy, "/v1/chat/completions", body);
    assertEquals(200, viaFallback.statusCode());
    assertFalse(isStale(viaFallback));

    upstreams.failAll();
    HttpResponse<String> stale = post(memoryProxy, "/v1/chat/completions", body);
    assertTrue(isStale(stale));
    assertEquals(200, stale.statusCode());
    assertEquals(fresh.body(), stale.body());
    int age = Integer.parseInt(stale.headers().firstValue("Age").orElse("-1"));
    assertTrue(age >= 0 && age < 60, "Age " + age);
  }

  @Test
  void entriesExpireAfterTheTtl() throws Exception {
    String body = chatBody("mem-ttl-" + UUID.randomUUID());
    long storedAt = System.nanoTime();
    assertEquals(200, post(shortTtlProxy, "/v1/chat/completions", body).statusCode());
    upstreams.failAll();
    HttpResponse<String> stale = post(shortTtlProxy, "/v1/chat/completions", body);
    if (System.nanoTime() - storedAt < SHORT_TTL.toNanos()) {
      assertTrue(isStale(stale), "served within the TTL");
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    HttpResponse<String> later = stale;
    while (isStale(later) && System.nanoTime() < deadline) {
      CacheUpstreams.await(vertx.timer(50, TimeUnit.MILLISECONDS));
      later = post(shortTtlProxy, "/v1/chat/completions", body);
    }
    assertFalse(isStale(later), "still served 10s after a 1s TTL");
    assertTrue(later.statusCode() >= 500);
    assertTrue(System.nanoTime() - storedAt >= SHORT_TTL.toNanos(), "expired before its TTL");
  }

  @Test
  void theByteLimitEvictsTheOldestEntries() throws Exception {
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 2 * ENTRIES_THAT_FIT; i++) {
      String body = chatBody("mem-lru-" + i + "-" + UUID.randomUUID());
      double stores = cacheCount(memoryAdmin, "store");
      assertEquals(200, post(memoryProxy, "/v1/chat/completions", body).statusCode());
      awaitCount(memoryAdmin, "store", stores + 1);
      bodies.add(body);
    }
    upstreams.failAll();
    assertTrue(isStale(post(memoryProxy, "/v1/chat/completions", bodies.get(bodies.size() - 1))));
    HttpResponse<String> oldest = post(memoryProxy, "/v1/chat/completions", bodies.get(0));
    assertFalse(isStale(oldest), "the oldest entry should have been evicted");
  }

  @Test
  void nonCacheableRoutesAreNeverStored() throws Exception {
    double stores = cacheCount(memoryAdmin, "store");
    assertEquals(200, post(memoryProxy, "/v1/files", "{\"purpose\":\"batch\"}").statusCode());
    assertEquals(200, get(memoryProxy, "/v1/files/file-1/content").statusCode());
    assertEquals(200, post(memoryProxy, "/v1/responses", "{\"model\":\"m\"}").statusCode());
    upstreams.failAll();
    assertFalse(isStale(post(memoryProxy, "/v1/files", "{\"purpose\":\"batch\"}")));
    assertFalse(isStale(get(memoryProxy, "/v1/files/file-1/content")));
    assertFalse(isStale(post(memoryProxy, "/v1/responses", "{\"model\":\"m\"}")));
    assertEquals(stores, cacheCount(memoryAdmin, "store"));
  }

  @Test
  void modeOffNeverStoresNorServesStale() throws Exception {
    String body = chatBody("off-" + UUID.randomUUID());
    assertEquals(200, post(offProxy, "/v1/chat/completions", body).statusCode());
    upstreams.failAll();
    HttpResponse<String> failed = post(offProxy, "/v1/chat/completions", body);
    assertFalse(isStale(failed));
    assertTrue(failed.statusCode() >= 500);
    assertEquals(0, cacheCount(offAdmin, "store"));
    assertEquals(0, cacheCount(offAdmin, "hit"));
  }

  private static void awaitCount(String admin, String result, double atLeast) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (cacheCount(admin, result) < atLeast && System.nanoTime() < deadline) {
      CacheUpstreams.await(vertx.timer(20, TimeUnit.MILLISECONDS));
    }
    assertTrue(cacheCount(admin, result) >= atLeast, result + " count below " + atLeast);
  }
}
