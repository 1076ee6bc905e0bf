package ai.holysheep.k8s.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private static final String FULL =
      "baseUrl: https://a.example/v1\n"
          + "maxRetries: 2\n"
          + "fallbacks: [{name: b, baseUrl: https://b.example/v1, apiKeySecretRef: {name: b, key: k}}]\n"
          + "cache: {mode: redis, redisUrl: \"redis://r:6379\", redisSecretRef: {name: r, key: p}}\n";

  @Test
  void defaultsSerializeInSchemaOrderWithDurationsAndSizesAsStrings() {
    assertEquals(
        "{\"baseUrl\":\"https://api.holysheep.ai/v1\",\"apiKeySecretRef\":{\"name\":\"holysheep-credentials\",\"key\":\"api-key\"},"
            + "\"allowInsecure\":false,\"caFile\":null,\"connectTimeout\":\"5s\",\"timeout\":\"30s\",\"responseTimeout\":\"10m\","
            + "\"streamIdleTimeout\":\"1m\",\"maxRetries\":3,\"circuitBreaker\":{\"enabled\":true,\"failureThreshold\":5,"
            + "\"failureRateThreshold\":50,\"slidingWindowSize\":20,\"resetTimeout\":\"1m\"},\"healthCheck\":{\"enabled\":true,"
            + "\"interval\":\"10s\",\"endpoint\":\"/models\"},\"fallbacks\":[],\"cache\":{\"mode\":\"off\",\"ttl\":\"10m\","
            + "\"memoryLimit\":\"16Mi\",\"maxEntrySize\":\"1Mi\",\"redisUrl\":\"\",\"redisSecretRef\":null}}",
        HolySheepConfig.defaults().toCanonicalJson());
  }

  @Test
  void fieldOrderInTheInputDoesNotMatter() {
    HolySheepConfig reordered =
        ConfigParser.parse(
            "cache: {redisSecretRef: {key: p, name: r}, redisUrl: \"redis://r:6379\", mode: redis}\n"
                + "fallbacks: [{apiKeySecretRef: {key: k, name: b}, baseUrl: https://b.example/v1, name: b}]\n"
                + "maxRetries: 2\n"
                + "baseUrl: https://a.example/v1\n");
    assertEquals(ConfigParser.parse(FULL).toCanonicalJson(), reordered.toCanonicalJson());
    assertEquals(ConfigParser.parse(FULL).hash(), reordered.hash());
  }

  @Test
  void canonicalJsonParsesBackToAnEqualConfig() {
    HolySheepConfig config = ConfigParser.parse(FULL);
    assertEquals(config, ConfigParser.parse(config.toCanonicalJson()));
    assertEquals(
        HolySheepConfig.defaults(),
        ConfigParser.parse(HolySheepConfig.defaults().toCanonicalJson()));
  }

  @Test
  void equivalentSpellingsGiveTheSameHash() {
    assertEquals(
        ConfigParser.parse("{timeout: 60s, cache: {memoryLimit: 16384Ki}}").hash(),
        ConfigParser.parse("{timeout: 1m, cache: {memoryLimit: 16Mi}}").hash());
  }

  @Test
  void hashIsTheFirstSixteenHexCharsOfTheSha256OfTheCanonicalJson() throws Exception {
    HolySheepConfig config = ConfigParser.parse(FULL);
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest(config.toCanonicalJson().getBytes(StandardCharsets.UTF_8));
    assertEquals(HexFormat.of().formatHex(digest).substring(0, 16), config.hash());
    assertTrue(config.hash().matches("[0-9a-f]{16}"));
  }

  @Test
  void changingAnySingleFieldChangesTheHash() {
    List<String> changes =
        List.of(
            "baseUrl: https://x.example/v1",
            "apiKeySecretRef: {name: other}",
            "apiKeySecretRef: {key: other}",
            "allowInsecure: true",
            "caFile: /ca.pem",
            "connectTimeout: 6s",
            "timeout: 31s",
            "responseTimeout: 601s",
            "streamIdleTimeout: 61s",
            "maxRetries: 4",
            "circuitBreaker: {enabled: false}",
            "circuitBreaker: {failureThreshold: 6}",
            "circuitBreaker: {failureRateThreshold: 51}",
            "circuitBreaker: {slidingWindowSize: 21}",
            "circuitBreaker: {resetTimeout: 61s}",
            "healthCheck: {enabled: false}",
            "healthCheck: {interval: 11s}",
            "healthCheck: {endpoint: /health}",
            "fallbacks: [{name: b, baseUrl: https://b.example/v1, apiKeySecretRef: {name: b, key: k}}]",
            "cache: {mode: memory}",
            "cache: {ttl: 11m}",
            "cache: {memoryLimit: 17Mi}",
            "cache: {maxEntrySize: 2Mi}",
            "cache: {redisUrl: \"redis://r:6379\"}",
            "cache: {redisSecretRef: {name: r, key: p}}");
    Map<String, String> changeByHash = new HashMap<>();
    changeByHash.put(HolySheepConfig.defaults().hash(), "defaults");
    for (String change : changes) {
      String earlier = changeByHash.put(ConfigParser.parse(change).hash(), change);
      assertEquals(null, earlier, change + " hashes like " + earlier);
    }
  }

  @Test
  void hashIsStableAcrossParses() {
    assertEquals(ConfigParser.parse(FULL).hash(), ConfigParser.parse(FULL).hash());
    assertNotEquals(ConfigParser.parse(FULL).hash(), HolySheepConfig.defaults().hash());
  }
}
