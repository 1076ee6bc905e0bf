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
import ai.holysheep.k8s.sidecar.testing.RedisServerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisPasswordIT {
  private static final String PASSWORD = "pw-" + UUID.randomUUID();

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension(PASSWORD);

  private static Vertx vertx;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeAll
  static void start() throws Exception {
    REDIS.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  private StaleCache cache(Supplier<String> password) {
    return StaleCache.create(
        vertx,
        spec(CacheMode.REDIS, Duration.ofMinutes(1), 1 << 20, 1 << 20, REDIS.url() + "/2"),
        "team-a",
        password,
        registry,
        Clock.systemUTC());
  }

  @Test
  void authenticatesWithThePasswordFromTheSupplier() throws Exception {
    StaleCache cache = cache(() -> PASSWORD + "\n");
    try {
      CacheableRequest request = chat(cache, "auth");
      cache.store(request, "primary", 200, jsonHeaders(), Buffer.buffer("{}"));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (count(registry, "store") < 1 && System.nanoTime() < deadline) {
        await(vertx.timer(10));
      }
      assertEquals(1, count(registry, "store"));
      assertNotNull(await(cache.lookup(request, List.of("primary"))));
      assertEquals(1, count(registry, "hit"));
    } finally {
      await(cache.close());
    }
  }

  @Test
  void aWrongOrMissingPasswordMeansNoAnswerAndCountedErrors() throws Exception {
    for (Supplier<String> password : List.<Supplier<String>>of(() -> "wrong", () -> null)) {
      StaleCache cache = cache(password);
      try {
        assertNull(await(cache.lookup(chat(cache, "auth"), List.of("primary"))));
      } finally {
        await(cache.close());
      }
    }
    assertEquals(2, count(registry, "error"));
    assertEquals(0, count(registry, "miss"));
  }

  @Test
  void aRotatedPasswordIsPickedUpAfterTheConnectionsFail() throws Exception {
    AtomicReference<String> secretFile = new AtomicReference<>(PASSWORD);
    RedisStore store =
        new RedisStore(vertx, REDIS.url(), secretFile::get, Duration.ofMillis(500), Duration.ZERO);
    Redis admin =
        Redis.createClient(
            vertx, new RedisOptions().setConnectionString(REDIS.url()).setPassword(PASSWORD));
    String rotated = "rotated-" + UUID.randomUUID();
    try {
      StoredEntry entry = new StoredEntry(200, null, Buffer.buffer("{}"), Instant.now());
      await(store.put("k", entry, Duration.ofMinutes(1)));

      // The Secret and the server change; connections that were authenticated are dropped.
      secretFile.set(rotated);
      await(admin.send(Request.cmd(Command.CONFIG).arg("SET").arg("requirepass").arg(rotated)));
      await(admin.send(Request.cmd(Command.CLIENT).arg("KILL").arg("TYPE").arg("normal")));

      List<StoredEntry> found = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (found == null && System.nanoTime() < deadline) {
        found = await(store.getAll(List.of("k")).otherwiseEmpty());
      }
      assertNotNull(found, "no successful read with the rotated password");
      assertEquals(Buffer.buffer("{}"), found.get(0).body());
    } finally {
      Redis restore =
          Redis.createClient(
              vertx, new RedisOptions().setConnectionString(REDIS.url()).setPassword(rotated));
      await(restore.send(Request.cmd(Command.CONFIG).arg("SET").arg("requirepass").arg(PASSWORD)));
      await(restore.close());
      await(admin.close().otherwiseEmpty());
      await(store.close());
    }
  }

  @Test
  void theLoggedUrlNeverHoldsCredentials() {
    assertEquals("redis://host:6379/1", RedisStore.redacted("redis://:secret@host:6379/1"));
    assertEquals("rediss://host:6380", RedisStore.redacted("rediss://user:pa@ss@host:6380"));
    assertEquals("redis://host:6379", RedisStore.redacted("redis://host:6379"));
  }
}
