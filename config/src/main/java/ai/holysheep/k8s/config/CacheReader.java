package ai.holysheep.k8s.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Reads {@code cache}. */
final class CacheReader {
  static final List<String> FIELDS =
      List.of("mode", "ttl", "memoryLimit", "maxEntrySize", "redisUrl", "redisSecretRef");
  static final Duration MAX_TTL = Duration.ofHours(24 * 7);

  /** Bytes: the cache shares the sidecar's small heap. */
  static final long MAX_MEMORY_LIMIT = 1024L * 1024 * 1024;

  /** Bytes. */
  static final long MAX_ENTRY_SIZE = 64L * 1024 * 1024;

  private static final String MODES =
      Arrays.stream(CacheMode.values()).map(CacheMode::jsonName).collect(Collectors.joining(", "));

  private CacheReader() {}

  static CacheSpec read(ObjectReader spec) {
    ObjectReader cache = ObjectReader.of(spec.value("cache"), "cache", spec.problems(), FIELDS);
    CacheMode mode = mode(cache);
    Duration ttl = cache.duration("ttl", CacheSpec.DEFAULT_TTL, MAX_TTL);
    long memoryLimit =
        cache.size("memoryLimit", CacheSpec.DEFAULT_MEMORY_LIMIT_BYTES, 1, MAX_MEMORY_LIMIT);
    long maxEntry =
        cache.size("maxEntrySize", CacheSpec.DEFAULT_MAX_ENTRY_BYTES, 1, MAX_ENTRY_SIZE);
    if (mode == CacheMode.MEMORY) {
      checkEntryFitsMemory(cache, memoryLimit, maxEntry);
    }
    String redisUrl = redisUrl(cache, mode);
    SecretKeyRef redisSecret = SecretRefs.read(cache, "redisSecretRef", null, null);
    return new CacheSpec(mode, ttl, memoryLimit, maxEntry, redisUrl, redisSecret);
  }

  /** Blames the field the user set: maxEntrySize if given, else memoryLimit. */
  private static void checkEntryFitsMemory(ObjectReader cache, long memoryLimit, long maxEntry) {
    Problems problems = cache.problems();
    if (maxEntry <= memoryLimit
        || problems.has(cache.path("memoryLimit"))
        || problems.has(cache.path("maxEntrySize"))) {
      return;
    }
    if (cache.value("maxEntrySize") != null) {
      cache.bad(
          "maxEntrySize",
          Problems.quote(cache.value("maxEntrySize"))
              + " is larger than cache.memoryLimit ("
              + Sizes.format(memoryLimit)
              + "); allowed: at most cache.memoryLimit");
    } else {
      cache.bad(
          "memoryLimit",
          Problems.quote(cache.value("memoryLimit"))
              + " is smaller than cache.maxEntrySize ("
              + Sizes.format(maxEntry)
              + "); allowed: at least cache.maxEntrySize");
    }
  }

  private static CacheMode mode(ObjectReader cache) {
    JsonNode value = cache.value("mode");
    if (value == null) {
      return CacheSpec.DEFAULT_MODE;
    }
    if (value.isBoolean() && !value.booleanValue()) {
      // YAML 1.1 (and Helm) read an unquoted `mode: off` as false.
      return CacheMode.OFF;
    }
    CacheMode mode =
        value.isTextual() ? CacheMode.fromJsonName(value.textValue()).orElse(null) : null;
    if (mode == null) {
      cache.bad("mode", Problems.quote(value) + " is not a cache mode; allowed: " + MODES);
      return CacheSpec.DEFAULT_MODE;
    }
    return mode;
  }

  /**
   * Null when unset or empty; required (and checked) for mode redis, checked when set otherwise.
   */
  private static String redisUrl(ObjectReader cache, CacheMode mode) {
    String url = cache.string("redisUrl", "");
    if (url.isEmpty()) {
      if (mode == CacheMode.REDIS && !cache.problems().has(cache.path("redisUrl"))) {
        cache.bad("redisUrl", "missing; required when cache.mode is redis: " + UrlRules.REDIS_FORM);
      }
      return null;
    }
    String problem = UrlRules.checkRedis(url);
    if (problem != null) {
      cache.bad("redisUrl", problem);
      return null;
    }
    return url;
  }
}
