package ai.holysheep.k8s.config;

import static ai.holysheep.k8s.config.ConfigAssertions.assertOnlyError;
import static ai.holysheep.k8s.config.ConfigAssertions.errorsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FormatDetectionTest {
  private static final String YAML =
      "baseUrl: https://a.example/v1\n"
          + "timeout: 2s\n"
          + "circuitBreaker:\n"
          + "  failureThreshold: 3\n"
          + "fallbacks:\n"
          + "  - name: b\n"
          + "    baseUrl: https://b.example/v1\n"
          + "    apiKeySecretRef: {name: b, key: k}\n"
          + "cache:\n"
          + "  mode: memory\n"
          + "  memoryLimit: 8Mi\n";
  private static final String JSON =
      "  {\"baseUrl\":\"https://a.example/v1\",\"timeout\":\"2s\",\"circuitBreaker\":{\"failureThreshold\":3},"
          + "\"fallbacks\":[{\"name\":\"b\",\"baseUrl\":\"https://b.example/v1\",\"apiKeySecretRef\":{\"name\":\"b\",\"key\":\"k\"}}],"
          + "\"cache\":{\"mode\":\"memory\",\"memoryLimit\":\"8Mi\"}}";

  @Test
  void yamlAndJsonOfTheSameSpecGiveEqualConfigs() {
    HolySheepConfig fromYaml = ConfigParser.parse(YAML);
    HolySheepConfig fromJson = ConfigParser.parse(JSON);
    assertEquals(fromYaml, fromJson);
    assertEquals(fromYaml.hash(), fromJson.hash());
    assertEquals(3, fromJson.circuitBreaker().failureThreshold());
  }

  @Test
  void jsonSyntaxErrorNamesJsonAndTheLocation() {
    assertOnlyError(
        "{\"timeout\": \"2s\",,}",
        "(root): not valid JSON at line 1, column 18: Unexpected character ('…' (code 44)):"
            + " was expecting double-quote to start field name");
  }

  @Test
  void yamlFlowStyleStartingWithABraceIsReadAsYaml() {
    assertEquals(
        ConfigParser.parse("timeout: 2s\ncache: {mode: memory}"),
        ConfigParser.parse("{timeout: 2s, cache: {mode: memory}}"));
  }

  @Test
  void truncatedJsonDoesNotEchoTheSource() {
    assertOnlyError(
        "{\"baseUrl\": \"https://a.example/v1\"",
        "(root): not valid JSON at line 1, column 35: Unexpected end-of-input: expected close marker for Object");
  }

  @Test
  void yamlSyntaxErrorNamesYamlAndTheLocation() {
    assertOnlyError(
        "timeout: 2s: 3",
        "(root): not valid YAML at line 1, column 12: mapping values are not allowed here");
  }

  @Test
  void syntaxErrorDoesNotEchoTheInput() {
    String error = errorsOf("{\"apiKey\": \"sk-live-123\",,}").get(0);
    assertTrue(error.startsWith("(root): not valid JSON at line 1, column 26"), error);
    assertFalse(error.contains("sk-live"), error);
  }

  @Test
  void duplicateKeysAreRejectedInBothFormats() {
    assertOnlyError(
        "timeout: 1s\ntimeout: 2s\n",
        "(root): not valid YAML at line 2, column 8: Duplicate field 'timeout'");
    assertOnlyError(
        "{\"timeout\":\"1s\",\"timeout\":\"2s\"}",
        "(root): not valid JSON at line 1, column 26: Duplicate field 'timeout'");
  }

  @Test
  void severalYamlDocumentsAreRejected() {
    assertOnlyError(
        "timeout: 1s\n---\ntimeout: 2s\n", "(root): holds 2 documents; allowed: exactly one");
  }

  @Test
  void trailingJsonValueIsRejected() {
    assertOnlyError("{} {}", "(root): holds 2 documents; allowed: exactly one");
  }

  @Test
  void topLevelListIsNotASpec() {
    assertEquals(
        "(root): [1,2] is not an object; allowed fields: baseUrl, apiKeySecretRef, apiKeyFile, allowInsecure, caFile, caPem,"
            + " connectTimeout, timeout, responseTimeout, streamIdleTimeout, maxRetries, circuitBreaker,"
            + " healthCheck, fallbacks, cache, hedging, maxEventSize",
        errorsOf("[1, 2]").get(0));
  }

  @Test
  void nullTextIsAClearError() {
    assertEquals(
        "(root): no configuration text given (null)",
        org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> ConfigParser.readTree(null))
            .getMessage());
  }

  @Test
  void oversizedTextIsRejectedBeforeParsing() {
    String huge = "#" + " ".repeat(TreeReader.MAX_CHARS);
    assertOnlyError(huge, "(root): configuration is 1048577 characters; allowed: at most 1048576");
  }
}
