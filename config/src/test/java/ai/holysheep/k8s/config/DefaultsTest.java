package ai.holysheep.k8s.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultsTest {
  @Test
  void emptyDocumentYieldsTheDocumentedDefaults() {
    HolySheepConfig c = ConfigParser.parse("");
    assertEquals("https://api.holysheep.ai/v1", c.baseUrl());
    assertEquals(new SecretKeyRef("holysheep-credentials", "api-key"), c.apiKeySecretRef());
    assertEquals(false, c.allowInsecure());
    assertNull(c.caFile());
    assertEquals(Duration.ofSeconds(5), c.connectTimeout());
    assertEquals(Duration.ofSeconds(30), c.timeout());
    assertEquals(Duration.ofSeconds(600), c.responseTimeout());
    assertEquals(Duration.ofSeconds(60), c.streamIdleTimeout());
    assertEquals(3, c.maxRetries());
    assertEquals(
        new CircuitBreakerSpec(true, 5, 50, 20, Duration.ofSeconds(60)), c.circuitBreaker());
    assertEquals(new HealthCheckSpec(true, Duration.ofSeconds(10), "/models"), c.healthCheck());
    assertEquals(List.of(), c.fallbacks());
    assertEquals(
        new CacheSpec(
            CacheMode.OFF, Duration.ofMinutes(10), 16 * 1024 * 1024, 1024 * 1024, null, null),
        c.cache());
  }

  @Test
  void defaultsFactoryEqualsParsingAnEmptyObject() {
    assertEquals(HolySheepConfig.defaults(), ConfigParser.parse("{}"));
    assertEquals(HolySheepConfig.defaults(), ConfigParser.parse("# only a comment\n"));
    assertEquals(HolySheepConfig.defaults(), ConfigParser.parse(NullNode.getInstance()));
    assertEquals(
        HolySheepConfig.defaults(),
        ConfigParser.parse((com.fasterxml.jackson.databind.JsonNode) null));
  }

  @Test
  void explicitNullsMeanTheDefault() {
    HolySheepConfig c =
        ConfigParser.parse(
            "{\"timeout\": null, \"cache\": null, \"fallbacks\": null, \"caFile\": null}");
    assertEquals(HolySheepConfig.defaults(), c);
  }

  @Test
  void partialNestedObjectsKeepTheOtherDefaults() {
    HolySheepConfig c =
        ConfigParser.parse(
            "circuitBreaker: {failureThreshold: 2}\n"
                + "apiKeySecretRef: {name: team-key}\n"
                + "healthCheck: {enabled: false}\n"
                + "cache: {mode: memory}\n");
    assertEquals(
        new CircuitBreakerSpec(true, 2, 50, 20, Duration.ofSeconds(60)), c.circuitBreaker());
    assertEquals(new SecretKeyRef("team-key", "api-key"), c.apiKeySecretRef());
    assertEquals(new HealthCheckSpec(false, Duration.ofSeconds(10), "/models"), c.healthCheck());
    assertEquals(CacheMode.MEMORY, c.cache().mode());
    assertEquals(CacheSpec.DEFAULT_MEMORY_LIMIT_BYTES, c.cache().memoryLimitBytes());
  }

  @Test
  void everyFieldCanBeSet() {
    HolySheepConfig c =
        ConfigParser.parse(
            String.join(
                "\n",
                "baseUrl: https://gw.example.com:8443/openai/v1/",
                "apiKeySecretRef: {name: k.v, key: token_1}",
                "allowInsecure: true",
                "caFile: /etc/ca/bundle.pem",
                "connectTimeout: 250ms",
                "timeout: 300ms",
                "responseTimeout: 2m",
                "streamIdleTimeout: 1.5s",
                "maxRetries: 0",
                "circuitBreaker: {enabled: false, failureThreshold: 1, failureRateThreshold: 100,"
                    + " slidingWindowSize: 3, resetTimeout: 200ms}",
                "healthCheck: {enabled: false, interval: 100ms, endpoint: /health/live}",
                "cache: {mode: memory, ttl: 1h, memoryLimit: 512Ki, maxEntrySize: 4096}"));
    assertEquals("https://gw.example.com:8443/openai/v1", c.baseUrl());
    assertEquals(new SecretKeyRef("k.v", "token_1"), c.apiKeySecretRef());
    assertTrue(c.allowInsecure());
    assertEquals("/etc/ca/bundle.pem", c.caFile());
    assertEquals(Duration.ofMillis(250), c.connectTimeout());
    assertEquals(Duration.ofMillis(300), c.timeout());
    assertEquals(Duration.ofMinutes(2), c.responseTimeout());
    assertEquals(Duration.ofMillis(1500), c.streamIdleTimeout());
    assertEquals(0, c.maxRetries());
    assertEquals(
        new CircuitBreakerSpec(false, 1, 100, 3, Duration.ofMillis(200)), c.circuitBreaker());
    assertEquals(
        new HealthCheckSpec(false, Duration.ofMillis(100), "/health/live"), c.healthCheck());
    assertEquals(
        new CacheSpec(CacheMode.MEMORY, Duration.ofHours(1), 512 * 1024, 4096, null, null),
        c.cache());
  }
}
