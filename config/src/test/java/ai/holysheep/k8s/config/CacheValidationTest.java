package ai.holysheep.k8s.config;

import static ai.holysheep.k8s.config.ConfigAssertions.assertOnlyError;
import static ai.holysheep.k8s.config.ConfigAssertions.errorsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheValidationTest {
  @Test
  void redisModeReadsUrlAndPasswordSecret() {
    CacheSpec cache =
        ConfigParser.parse(
                "cache: {mode: redis, ttl: 30m, redisUrl: \"rediss://redis.cache.svc:6380/2\","
                    + " redisSecretRef: {name: redis-auth, key: password}}")
            .cache();
    assertEquals(
        new CacheSpec(
            CacheMode.REDIS,
            Duration.ofMinutes(30),
            CacheSpec.DEFAULT_MEMORY_LIMIT_BYTES,
            CacheSpec.DEFAULT_MAX_ENTRY_BYTES,
            "rediss://redis.cache.svc:6380/2",
            new SecretKeyRef("redis-auth", "password")),
        cache);
  }

  @Test
  void redisModeRequiresAUrl() {
    assertOnlyError(
        "cache: {mode: redis}",
        "cache.redisUrl: missing; required when cache.mode is redis: redis://host[:port][/db] or rediss://host[:port][/db]");
  }

  @Test
  void redisUrlMustUseARedisScheme() {
    assertOnlyError(
        "cache: {mode: redis, redisUrl: \"http://redis:6379\"}",
        "cache.redisUrl: \"http://redis:6379\" has scheme \"http\"; allowed: redis, rediss");
  }

  @Test
  void passwordInRedisUrlIsRefusedWithoutBeingEchoed() {
    String error =
        errorsOf("cache: {mode: redis, redisUrl: \"redis://:s3cret@redis:6379/0\"}").get(0);
    assertEquals(
        "cache.redisUrl: \"redis://***@redis:6379/0\" must not contain a user or password;"
            + " put the password in the Secret named by cache.redisSecretRef",
        error);
    assertFalse(error.contains("s3cret"));
  }

  @Test
  void redisUrlPathMustBeADatabaseNumber() {
    assertOnlyError(
        "cache: {mode: redis, redisUrl: \"redis://redis:6379/cache\"}",
        "cache.redisUrl: \"redis://redis:6379/cache\" has path \"/cache\"; allowed: none or a database number, e.g. /0");
  }

  @Test
  void unquotedYamlOffMeansModeOffRatherThanAnError() {
    // YAML 1.1 reads `off` as the boolean false.
    CacheSpec cache = ConfigParser.parse("cache:\n  mode: off\n  ttl: 1m\n").cache();
    assertEquals(CacheMode.OFF, cache.mode());
    assertEquals(Duration.ofMinutes(1), cache.ttl());
    assertOnlyError(
        "cache: {mode: on}", "cache.mode: true is not a cache mode; allowed: off, memory, redis");
  }

  @Test
  void unknownCacheModeListsTheModes() {
    assertOnlyError(
        "cache: {mode: Memory}",
        "cache.mode: \"Memory\" is not a cache mode; allowed: off, memory, redis");
  }

  @Test
  void sizesAcceptBinaryUnitsAndPlainBytes() {
    CacheSpec cache =
        ConfigParser.parse("cache: {memoryLimit: 1Gi, maxEntrySize: \"65536\"}").cache();
    assertEquals(1024L * 1024 * 1024, cache.memoryLimitBytes());
    assertEquals(65536, cache.maxEntryBytes());
  }

  @Test
  void decimalSizeUnitsAreRejected() {
    assertOnlyError(
        "cache: {memoryLimit: 16MB}",
        "cache.memoryLimit: \"16MB\" is not a size; use a number of bytes or a number with Ki, Mi or Gi, e.g. 512Ki, 16Mi");
  }

  @Test
  void sizeAboveTheBoundIsOutOfRange() {
    assertOnlyError(
        "cache: {memoryLimit: 2Gi}",
        "cache.memoryLimit: \"2Gi\" is out of range; allowed: 1 to 1Gi");
    assertOnlyError(
        "cache: {maxEntrySize: 0}", "cache.maxEntrySize: 0 is out of range; allowed: 1 to 64Mi");
  }

  @Test
  void memoryEntryLargerThanTheWholeCacheIsRejected() {
    assertOnlyError(
        "cache: {mode: memory, memoryLimit: 1Mi, maxEntrySize: 2Mi}",
        "cache.maxEntrySize: \"2Mi\" is larger than cache.memoryLimit (1Mi); allowed: at most cache.memoryLimit");
    assertOnlyError(
        "cache: {mode: memory, memoryLimit: 512Ki}",
        "cache.memoryLimit: \"512Ki\" is smaller than cache.maxEntrySize (1Mi); allowed: at least cache.maxEntrySize");
  }

  @Test
  void ttlAboveAWeekIsOutOfRange() {
    assertOnlyError(
        "cache: {ttl: 169h}", "cache.ttl: \"169h\" is out of range; allowed: 1ms to 168h");
  }
}
