package ai.holysheep.k8s.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MergeTest {
  private static JsonNode tree(String text) {
    return ConfigParser.readTree(text);
  }

  @Test
  void overlayReplacesScalars() {
    JsonNode merged =
        ConfigParser.merge(tree("{timeout: 10s, maxRetries: 1}"), tree("{timeout: 2s}"));
    assertEquals(tree("{timeout: 2s, maxRetries: 1}"), merged);
  }

  @Test
  void overlayMergesNestedObjects() {
    JsonNode merged =
        ConfigParser.merge(
            tree("circuitBreaker: {failureThreshold: 2, resetTimeout: 5s}"),
            tree("circuitBreaker: {resetTimeout: 9s}"));
    assertEquals(tree("circuitBreaker: {failureThreshold: 2, resetTimeout: 9s}"), merged);
  }

  @Test
  void overlayReplacesListsWhole() {
    JsonNode merged =
        ConfigParser.merge(
            tree("fallbacks: [{name: a}, {name: b}]"), tree("fallbacks: [{name: c}]"));
    assertEquals(tree("fallbacks: [{name: c}]"), merged);
  }

  @Test
  void nullInOverlayDeletesSoTheDefaultComesBack() {
    JsonNode base = tree("{timeout: 2s, cache: {mode: memory, ttl: 1m}}");
    JsonNode merged = ConfigParser.merge(base, tree("{timeout: null, cache: {ttl: null}}"));
    assertEquals(tree("{cache: {mode: memory}}"), merged);
    HolySheepConfig config = ConfigParser.parse(merged);
    assertEquals(HolySheepConfig.DEFAULT_TIMEOUT, config.timeout());
    assertEquals(CacheSpec.DEFAULT_TTL, config.cache().ttl());
    assertEquals(CacheMode.MEMORY, config.cache().mode());
  }

  @Test
  void mergeLeavesItsArgumentsUntouched() {
    JsonNode base = tree("{circuitBreaker: {failureThreshold: 2}}");
    JsonNode overlay = tree("{circuitBreaker: {failureThreshold: 4, enabled: null}}");
    ConfigParser.merge(base, overlay);
    assertEquals(tree("{circuitBreaker: {failureThreshold: 2}}"), base);
    assertEquals(tree("{circuitBreaker: {failureThreshold: 4, enabled: null}}"), overlay);
  }

  @Test
  void layersApplyInOrderChartThenResourceThenPod() {
    JsonNode chart = tree("{timeout: 30s, maxRetries: 3, healthCheck: {interval: 20s}}");
    JsonNode resource = tree("{maxRetries: 5, healthCheck: {endpoint: /health}}");
    JsonNode pod = tree("{\"timeout\": \"5s\"}");
    HolySheepConfig c =
        ConfigParser.parse(ConfigParser.merge(ConfigParser.merge(chart, resource), pod));
    assertEquals(Duration.ofSeconds(5), c.timeout());
    assertEquals(5, c.maxRetries());
    assertEquals(new HealthCheckSpec(true, Duration.ofSeconds(20), "/health"), c.healthCheck());
  }

  @Test
  void nonObjectOverlayReplacesTheWholeTarget() {
    assertEquals(tree("[1]"), ConfigParser.merge(tree("{a: 1}"), tree("[1]")));
  }

  @Test
  void objectOverlayOnAScalarStartsFromAnEmptyObject() {
    assertEquals(
        tree("{a: {b: 1}}"), ConfigParser.merge(tree("{a: 5}"), tree("{a: {b: 1, c: null}}")));
  }

  @Test
  void aLayerWithAKeyFileReplacesTheSecretOfTheLayerBelow() {
    JsonNode chart = tree("apiKeySecretRef: {name: holysheep-credentials, key: api-key}");
    JsonNode cluster = tree("apiKeyFile: /vault/secrets/holysheep");
    HolySheepConfig c = ConfigParser.parse(ConfigParser.merge(chart, cluster));
    assertEquals("/vault/secrets/holysheep", c.apiKeyFile());
    assertEquals(null, c.apiKeySecretRef());
  }

  @Test
  void aLayerWithASecretReplacesTheKeyFileOfTheLayerBelow() {
    JsonNode cluster = tree("apiKeyFile: /vault/secrets/holysheep");
    JsonNode namespace = tree("apiKeySecretRef: {name: team-key}");
    HolySheepConfig c = ConfigParser.parse(ConfigParser.merge(cluster, namespace));
    assertEquals(null, c.apiKeyFile());
    assertEquals(new SecretKeyRef("team-key", "api-key"), c.apiKeySecretRef());
  }

  @Test
  void bothKeySourcesInOneLayerAreStillRefused() {
    JsonNode merged =
        ConfigParser.merge(
            tree("{timeout: 2s}"), tree("{apiKeyFile: /k, apiKeySecretRef: {name: s, key: k}}"));
    ConfigException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ConfigException.class, () -> ConfigParser.parse(merged));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.errors().get(0).startsWith("apiKeyFile: \"/k\" is set together with apiKeySecretRef"));
  }
}
