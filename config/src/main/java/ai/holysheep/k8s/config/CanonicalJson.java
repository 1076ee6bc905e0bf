package ai.holysheep.k8s.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes a config as compact JSON in schema order, so equal configs give equal text. */
final class CanonicalJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CanonicalJson() {}

  static String write(HolySheepConfig c) {
    ObjectNode spec = NODES.objectNode();
    spec.put("baseUrl", c.baseUrl());
    spec.set("apiKeySecretRef", ref(c.apiKeySecretRef()));
    putIfSet(spec, "apiKeyFile", c.apiKeyFile());
    spec.put("allowInsecure", c.allowInsecure());
    spec.put("caFile", c.caFile());
    putIfSet(spec, "caPem", c.caPem());
    spec.put("connectTimeout", Durations.format(c.connectTimeout()));
    spec.put("timeout", Durations.format(c.timeout()));
    spec.put("responseTimeout", Durations.format(c.responseTimeout()));
    spec.put("streamIdleTimeout", Durations.format(c.streamIdleTimeout()));
    spec.put("maxRetries", c.maxRetries());
    ObjectNode cb = spec.putObject("circuitBreaker");
    cb.put("enabled", c.circuitBreaker().enabled());
    cb.put("failureThreshold", c.circuitBreaker().failureThreshold());
    cb.put("failureRateThreshold", c.circuitBreaker().failureRateThreshold());
    cb.put("slidingWindowSize", c.circuitBreaker().slidingWindowSize());
    cb.put("resetTimeout", Durations.format(c.circuitBreaker().resetTimeout()));
    ObjectNode hc = spec.putObject("healthCheck");
    hc.put("enabled", c.healthCheck().enabled());
    hc.put("interval", Durations.format(c.healthCheck().interval()));
    hc.put("endpoint", c.healthCheck().endpoint());
    if (!c.healthCheck().timeout().equals(HealthCheckSpec.DEFAULT_TIMEOUT)) {
      hc.put("timeout", Durations.format(c.healthCheck().timeout()));
    }
    ArrayNode fallbacks = spec.putArray("fallbacks");
    for (FallbackSpec f : c.fallbacks()) {
      ObjectNode fallback = fallbacks.addObject();
      fallback.put("name", f.name());
      fallback.put("baseUrl", f.baseUrl());
      fallback.set("apiKeySecretRef", ref(f.apiKeySecretRef()));
      putIfSet(fallback, "apiKeyFile", f.apiKeyFile());
      fallback.put("allowInsecure", f.allowInsecure());
      fallback.put("caFile", f.caFile());
      putIfSet(fallback, "caPem", f.caPem());
      if (!f.models().isEmpty()) {
        ObjectNode models = fallback.putObject("models");
        f.models().forEach(models::put);
      }
    }
    ObjectNode cache = spec.putObject("cache");
    cache.put("mode", c.cache().mode().jsonName());
    cache.put("ttl", Durations.format(c.cache().ttl()));
    cache.put("memoryLimit", Sizes.format(c.cache().memoryLimitBytes()));
    cache.put("maxEntrySize", Sizes.format(c.cache().maxEntryBytes()));
    cache.put("redisUrl", c.cache().redisUrl() == null ? "" : c.cache().redisUrl());
    cache.set("redisSecretRef", ref(c.cache().redisSecretRef()));
    // Fields added after the first release are written only when set to something else than their
    // default, so a config that does not use them keeps its text and hash (pods injected before
    // an upgrade stay up to date).
    if (!c.hedging().equals(HedgingSpec.defaults())) {
      ObjectNode hedging = spec.putObject("hedging");
      hedging.put("enabled", c.hedging().enabled());
      hedging.put("delay", Durations.format(c.hedging().delay()));
    }
    if (c.maxEventSizeBytes() != HolySheepConfig.DEFAULT_MAX_EVENT_SIZE_BYTES) {
      spec.put("maxEventSize", Sizes.format(c.maxEventSizeBytes()));
    }
    try {
      return MAPPER.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "a tree of strings, numbers and booleans always serializes", e);
    }
  }

  /**
   * Fields added after the first schema are written only when set, so that configs that do not use
   * them keep their hash (and injected pods their {@code holysheep.ai/status}) across upgrades.
   */
  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static ObjectNode ref(SecretKeyRef ref) {
    if (ref == null) {
      return null;
    }
    ObjectNode node = NODES.objectNode();
    node.put("name", ref.name());
    node.put("key", ref.key());
    return node;
  }
}
