package ai.holysheep.k8s.e2e.cache;

import static ai.holysheep.k8s.e2e.cache.ProxyHttp.cacheCount;
import static ai.holysheep.k8s.e2e.cache.ProxyHttp.chatBody;
import static ai.holysheep.k8s.e2e.cache.ProxyHttp.get;
import static ai.holysheep.k8s.e2e.cache.ProxyHttp.isStale;
import static ai.holysheep.k8s.e2e.cache.ProxyHttp.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.sidecar.testing.RedisServerExtension;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real sidecar processes sharing a real, password-protected redis-server: two pods of namespace
 * team-a and one of team-b (whose TTL is short, for the expiry scenario).
 */
class RedisCacheE2EIT {
  private static final String REDIS_PASSWORD = "redis-pw-" + UUID.randomUUID();
  private static final Duration SHORT_TTL = Duration.ofSeconds(1);

  /** A request whose cache calls hit a dead Redis must still finish within this. */
  private static final Duration UNAFFECTED_BOUND = Duration.ofSeconds(2);

  @RegisterExtension
  static final RedisServerExtension REDIS = new RedisServerExtension(REDIS_PASSWORD);

  private static Vertx vertx;
  private static CacheUpstreams upstreams;
  private static Path secretsDir;
  private static String configA;
  private static String configB;
  private static SidecarProcess teamA1;
  private static SidecarProcess teamA2;
  private static SidecarProcess teamB;

  @BeforeAll
  static void startEverything() throws Exception {
    REDIS.start();
    vertx = Vertx.vertx();
    upstreams = CacheUpstreams.start(vertx);
    secretsDir = Files.createTempDirectory("holysheep-secrets");
    Files.createDirectories(secretsDir.resolve("redis-auth"));
    Files.writeString(secretsDir.resolve("redis-auth/password"), REDIS_PASSWORD + "\n");

    JsonObject cache =
        new JsonObject()
            .put("mode", "redis")
            .put("ttl", "10m")
            .put("redisUrl", REDIS.url() + "/3")
            .put(
                "redisSecretRef",
                new JsonObject().put("name", "redis-auth").put("key", "password"));
    configA = upstreams.config(cache).encode();
    configB = upstreams.config(cache.copy().put("ttl", SHORT_TTL.toMillis() + "ms")).encode();

    // Pod one reads the password from the mounted Secret, pod two (run by hand) from env.
    Map<String, String> a1 = env(configA, "team-a", "team-a-1");
    a1.put("HOLYSHEEP_SECRETS_DIR", secretsDir.toString());
    Map<String, String> a2 = env(configA, "team-a", "team-a-2");
    a2.put("HOLYSHEEP_REDIS_PASSWORD", REDIS_PASSWORD);
    Map<String, String> b = env(configB, "team-b", "team-b-1");
    b.put("HOLYSHEEP_SECRETS_DIR", secretsDir.toString());
    teamA1 = SidecarProcess.start(a1);
    teamA2 = SidecarProcess.start(a2);
    teamB = SidecarProcess.start(b);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    for (SidecarProcess sidecar : new SidecarProcess[] {teamA1, teamA2, teamB}) {
      if (sidecar != null) {
        sidecar.close();
      }
    }
    if (upstreams != null) {
      upstreams.close();
    }
    if (vertx != null) {
      CacheUpstreams.await(vertx.close());
    }
    if (secretsDir != null) {
      try (Stream<Path> files = Files.walk(secretsDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @BeforeEach
  void upstreamsHealthyAndRedisUp() throws Exception {
    upstreams.healAll();
    REDIS.start();
  }

  private static Map<String, String> env(String config, String namespace, String pod) {
    Map<String, String> env = new HashMap<>();
    env.put("HOLYSHEEP_CONFIG", config);
    env.put("HOLYSHEEP_POD_NAMESPACE", namespace);
    env.put("HOLYSHEEP_POD_NAME", pod);
    env.put("HOLYSHEEP_API_KEY", CacheUpstreams.PRIMARY_KEY);
    env.put("HOLYSHEEP_API_KEY_1", CacheUpstreams.SECONDARY_KEY);
    env.put("HOLYSHEEP_SECRETS_DIR", "/nonexistent-holysheep-secrets");
    return env;
  }

  @Test
  void aStoredAnswerIsServedStaleToEveryPodOfTheNamespaceOnlyWhenAllUpstreamsFail()
      throws Exception {
    String body = chatBody("shared-" + UUID.randomUUID());
    double storesBefore = cacheCount(teamA1.adminUrl(), "store");
    HttpResponse<String> fresh = post(teamA1.proxyUrl(), "/v1/chat/completions", body);
    assertEquals(200, fresh.statusCode());
    assertFalse(isStale(fresh));
    awaitCount(teamA1, "store", storesBefore + 1);

    // While an upstream works, the answer comes from it, never from the cache.
    upstreams.primary.setFault(ai.holysheep.k8s.e2e.sim.Fault.ofStatus(503));
    int seen = upstreams.secondary.requestCount();
    HttpResponse<String> viaFallback = post(teamA2.proxyUrl(), "/v1/chat/completions", body);
    assertEquals(200, viaFallback.statusCode());
    assertFalse(isStale(viaFallback));
    assertEquals("secondary", viaFallback.headers().firstValue("x-holysheep-upstream").orElse(""));
    assertEquals(seen + 1, upstreams.secondary.requestCount());

    upstreams.failAll();
    for (SidecarProcess pod : List.of(teamA1, teamA2)) {
      double hits = cacheCount(pod.adminUrl(), "hit");
      HttpResponse<String> stale = post(pod.proxyUrl(), "/v1/chat/completions", body);
      assertEquals(200, stale.statusCode(), stale.body());
      assertTrue(isStale(stale), "x-holysheep-cache: stale expected");
      assertTrue(stale.headers().firstValue("Age").isPresent(), "Age header expected");
      assertEquals(fresh.body(), stale.body());
      assertEquals(hits + 1, cacheCount(pod.adminUrl(), "hit"));
    }

    HttpResponse<String> otherNamespace = post(teamB.proxyUrl(), "/v1/chat/completions", body);
    assertFalse(isStale(otherNamespace));
    assertTrue(otherNamespace.statusCode() >= 500, "status " + otherNamespace.statusCode());
  }

  @Test
  void theModelListIsCachedToo() throws Exception {
    double storesBefore = cacheCount(teamA1.adminUrl(), "store");
    HttpResponse<String> fresh = get(teamA1.proxyUrl(), "/v1/models");
    assertEquals(200, fresh.statusCode());
    awaitCount(teamA1, "store", storesBefore + 1);
    upstreams.failAll();
    HttpResponse<String> stale = get(teamA2.proxyUrl(), "/v1/models");
    assertTrue(isStale(stale));
    assertEquals(fresh.body(), stale.body());
  }

  @Test
  void nonCacheableRequestsAreNeverStoredNorServedStale() throws Exception {
    String stream =
        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"s\"}]}";
    double storesBefore = cacheCount(teamA1.adminUrl(), "store");
    assertEquals(200, post(teamA1.proxyUrl(), "/v1/files", "{\"purpose\":\"batch\"}").statusCode());
    assertEquals(200, get(teamA1.proxyUrl(), "/v1/files/file-1/content").statusCode());
    assertEquals(200, post(teamA1.proxyUrl(), "/v1/chat/completions", stream).statusCode());
    assertEquals(
        200, post(teamA1.proxyUrl(), "/v1/batches", "{\"input_file_id\":\"f\"}").statusCode());
    // A cacheable request afterwards proves stores are flowing, so the ones above were skipped.
    assertEquals(
        200, post(teamA1.proxyUrl(), "/v1/embeddings", "{\"input\":\"marker\"}").statusCode());
    awaitCount(teamA1, "store", storesBefore + 1);

    upstreams.failAll();
    for (HttpResponse<String> failed :
        List.of(
            post(teamA1.proxyUrl(), "/v1/files", "{\"purpose\":\"batch\"}"),
            get(teamA1.proxyUrl(), "/v1/files/file-1/content"),
            post(teamA1.proxyUrl(), "/v1/chat/completions", stream),
            post(teamA1.proxyUrl(), "/v1/batches", "{\"input_file_id\":\"f\"}"))) {
      assertFalse(isStale(failed));
      assertTrue(failed.statusCode() >= 500, "status " + failed.statusCode());
    }
    assertEquals(storesBefore + 1, cacheCount(teamA1.adminUrl(), "store"));
  }

  @Test
  void anEntryIsNoLongerServedAfterItsTtl() throws Exception {
    String body = chatBody("ttl-" + UUID.randomUUID());
    double storesBefore = cacheCount(teamB.adminUrl(), "store");
    assertEquals(200, post(teamB.proxyUrl(), "/v1/chat/completions", body).statusCode());
    awaitCount(teamB, "store", storesBefore + 1);
    upstreams.failAll();
    HttpResponse<String> stale = post(teamB.proxyUrl(), "/v1/chat/completions", body);
    assertTrue(isStale(stale), "served within the TTL");

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    HttpResponse<String> later = stale;
    while (isStale(later) && System.nanoTime() < deadline) {
      pause();
      later = post(teamB.proxyUrl(), "/v1/chat/completions", body);
    }
    assertFalse(isStale(later), "still served 10s after a 1s TTL");
    assertTrue(later.statusCode() >= 500);
  }

  @Test
  void aDeadRedisLeavesProxyingUnaffectedIsCountedAndRecoveryIsAutomatic() throws Exception {
    REDIS.kill();
    double errorsBefore = cacheCount(teamA1.adminUrl(), "error");

    String body = chatBody("redis-down-" + UUID.randomUUID());
    HttpResponse<String> ok = timed(() -> post(teamA1.proxyUrl(), "/v1/chat/completions", body));
    assertEquals(200, ok.statusCode());
    assertFalse(isStale(ok));
    awaitCount(teamA1, "error", errorsBefore + 1); // the store failed

    upstreams.failAll();
    HttpResponse<String> failed =
        timed(() -> post(teamA1.proxyUrl(), "/v1/chat/completions", body));
    assertTrue(failed.statusCode() >= 500, "status " + failed.statusCode());
    assertFalse(isStale(failed));
    awaitCount(teamA1, "error", errorsBefore + 2); // and so did the lookup

    REDIS.start(); // same port, empty
    upstreams.healAll();
    double storesBefore = cacheCount(teamA1.adminUrl(), "store");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (cacheCount(teamA1.adminUrl(), "store") == storesBefore && System.nanoTime() < deadline) {
      assertEquals(200, post(teamA1.proxyUrl(), "/v1/chat/completions", body).statusCode());
      pause();
    }
    assertTrue(cacheCount(teamA1.adminUrl(), "store") > storesBefore, "no store after restart");
    upstreams.failAll();
    assertTrue(isStale(post(teamA2.proxyUrl(), "/v1/chat/completions", body)));
  }

  @Test
  void thePasswordNeverAppearsInConfigLogsStatusOrMetrics() throws Exception {
    assertEquals(200, post(teamA1.proxyUrl(), "/v1/chat/completions", chatBody("pw")).statusCode());
    for (SidecarProcess pod : List.of(teamA1, teamA2, teamB)) {
      assertNotEquals("", pod.output());
      assertFalse(pod.output().contains(REDIS_PASSWORD), "password in the log");
      String status = get(pod.adminUrl(), "/status").body();
      assertTrue(status.length() > 2);
      assertFalse(status.contains(REDIS_PASSWORD), "password in /status");
      assertFalse(get(pod.adminUrl(), "/metrics").body().contains(REDIS_PASSWORD));
    }
    for (String config : List.of(configA, configB)) {
      assertFalse(config.contains(REDIS_PASSWORD), "password in HOLYSHEEP_CONFIG");
    }
  }

  @Test
  void aPasswordInsideTheRedisUrlIsRefusedWithoutEchoingIt() throws Exception {
    String leaky =
        upstreams
            .config(
                new JsonObject()
                    .put("mode", "redis")
                    .put("redisUrl", "redis://:" + REDIS_PASSWORD + "@127.0.0.1:" + REDIS.port()))
            .encode();
    try (SidecarProcess refused =
        SidecarProcess.startExpectingExit(env(leaky, "team-a", "team-a-leaky"))) {
      assertEquals(2, refused.exitCode());
      assertTrue(refused.output().contains("cache.redisUrl"), refused.output());
      assertFalse(refused.output().contains(REDIS_PASSWORD), "password echoed in the error");
    }
  }

  private static HttpResponse<String> timed(Callable<HttpResponse<String>> call) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = call.call();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(UNAFFECTED_BOUND) < 0, "request took " + took);
    return response;
  }

  /** Store and error counts move after the answer (fire-and-forget): poll with a bound. */
  private static void awaitCount(SidecarProcess pod, String result, double atLeast)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (cacheCount(pod.adminUrl(), result) < atLeast && System.nanoTime() < deadline) {
      pause();
    }
    assertTrue(
        cacheCount(pod.adminUrl(), result) >= atLeast,
        result + " count " + cacheCount(pod.adminUrl(), result) + " < " + atLeast);
  }

  private static void pause() throws Exception {
    CacheUpstreams.await(vertx.timer(50, TimeUnit.MILLISECONDS));
  }
}
