package ai.holysheep.k8s.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.config.ConfigParser;
import ai.holysheep.k8s.config.HolySheepConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultConfigTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static JsonNode configOf(Rendered rendered) throws Exception {
    ConfigMap configMap =
        rendered.all(ConfigMap.class).stream()
            .filter(cm -> cm.getMetadata().getName().equals(Helm.RELEASE + "-config"))
            .findFirst()
            .orElseThrow();
    return YAML.readTree(configMap.getData().get("config.yaml"));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    return names;
  }

  @Test
  void defaultConfigHoldsTheFullSpecWithDesignDefaults() throws Exception {
    JsonNode config = configOf(Helm.template());
    assertEquals(
        List.of(
            "allowInsecure",
            "apiKeyFile",
            "apiKeySecretRef",
            "baseUrl",
            "caFile",
            "caPem",
            "cache",
            "circuitBreaker",
            "connectTimeout",
            "fallbacks",
            "healthCheck",
            "hedging",
            "maxEventSize",
            "maxRetries",
            "responseTimeout",
            "streamIdleTimeout",
            "timeout"),
        fieldNames(config));
    assertEquals("https://api.holysheep.ai/v1", config.get("baseUrl").asText());
    assertEquals("holysheep-credentials", config.at("/apiKeySecretRef/name").asText());
    assertEquals("api-key", config.at("/apiKeySecretRef/key").asText());
    assertEquals("5s", config.get("connectTimeout").asText());
    assertEquals("30s", config.get("timeout").asText());
    assertEquals("600s", config.get("responseTimeout").asText());
    assertEquals("60s", config.get("streamIdleTimeout").asText());
    assertEquals(3, config.get("maxRetries").asInt());
    assertTrue(config.get("fallbacks").isArray() && config.get("fallbacks").isEmpty());
    assertEquals(5, config.at("/circuitBreaker/failureThreshold").asInt());
    assertEquals("60s", config.at("/circuitBreaker/resetTimeout").asText());
    assertEquals("10s", config.at("/healthCheck/interval").asText());
    assertEquals("/models", config.at("/healthCheck/endpoint").asText());
    assertEquals(
        List.of("maxEntrySize", "memoryLimit", "mode", "redisSecretRef", "redisUrl", "ttl"),
        fieldNames(config.get("cache")));
    assertTrue(
        config.at("/cache/mode").isTextual(), "off must stay the string \"off\", not YAML false");
    assertEquals("off", config.at("/cache/mode").asText());
    assertEquals("10m", config.at("/cache/ttl").asText());
    assertTrue(config.at("/cache/redisSecretRef").isNull());
  }

  @Test
  void defaultConfigParsesToTheSharedDefaults() throws Exception {
    JsonNode config = configOf(Helm.template());
    assertEquals(HolySheepConfig.defaults(), ConfigParser.parse(config));
  }

  @Test
  void fallbacksFromValuesReachTheConfigMap() throws Exception {
    JsonNode config =
        configOf(
            Helm.template(
                "--set", "config.fallbacks[0].name=secondary",
                "--set", "config.fallbacks[0].baseUrl=https://backup.example.com/v1",
                "--set", "config.fallbacks[0].apiKeySecretRef.name=backup",
                "--set", "config.fallbacks[0].apiKeySecretRef.key=api-key"));
    assertEquals("secondary", config.at("/fallbacks/0/name").asText());
    HolySheepConfig parsed = ConfigParser.parse(config);
    assertEquals(
        List.of("primary", "secondary"), parsed.upstreams().stream().map(u -> u.name()).toList());
    assertEquals("backup", config.at("/fallbacks/0/apiKeySecretRef/name").asText());
  }

  @Test
  void aKeyFileReplacesTheDefaultSecretInTheRenderedConfig() throws Exception {
    JsonNode config =
        configOf(Helm.template("--set", "config.apiKeyFile=/vault/secrets/holysheep"));
    assertTrue(config.get("apiKeySecretRef") == null, "both key sources would be refused");
    HolySheepConfig parsed = ConfigParser.parse(config);
    assertEquals("/vault/secrets/holysheep", parsed.apiKeyFile());
  }

  @Test
  void aFallbackMayTakeItsKeyFromAFileAndMapModels() throws Exception {
    JsonNode config =
        configOf(
            Helm.template(
                "--set", "config.fallbacks[0].name=deepseek",
                "--set", "config.fallbacks[0].baseUrl=https://ds.example.com/v1",
                "--set", "config.fallbacks[0].apiKeyFile=/mnt/secrets-store/ds-key",
                "--set", "config.fallbacks[0].models.deepseek-v3\\.2=deepseek-chat"));
    HolySheepConfig parsed = ConfigParser.parse(config);
    assertEquals("/mnt/secrets-store/ds-key", parsed.fallbacks().get(0).apiKeyFile());
    assertEquals(
        java.util.Map.of("deepseek-v3.2", "deepseek-chat"), parsed.fallbacks().get(0).models());
  }

  @Test
  void aFallbackWithoutAnyKeySourceIsRejectedBySchema() {
    Helm.Result result =
        Helm.templateExpectingFailure(
            "--set", "config.fallbacks[0].name=b",
            "--set", "config.fallbacks[0].baseUrl=https://b.example.com/v1");
    assertTrue(result.stderr().contains("fallbacks"), result.stderr());
  }

  @Test
  void podsRollWhenTheConfigChanges() {
    String before = checksum(Helm.template());
    String after = checksum(Helm.template("--set", "config.timeout=45s"));
    assertTrue(!before.equals(after), "checksum/config must change with the config");
  }

  private static String checksum(Rendered rendered) {
    return rendered
        .one(Deployment.class)
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get("checksum/config");
  }
}
