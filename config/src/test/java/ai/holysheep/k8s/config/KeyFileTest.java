package ai.holysheep.k8s.config;

import static ai.holysheep.k8s.config.ConfigAssertions.assertOnlyError;
import static ai.holysheep.k8s.config.ConfigAssertions.errorsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyFileTest {
  private static final String BOTH_MESSAGE =
      " is set together with apiKeySecretRef; allowed: one key source per upstream, apiKeySecretRef"
          + " (a Secret the webhook mounts) or apiKeyFile (a file something else writes, e.g. Vault"
          + " Agent or a CSI volume)";

  @Test
  void primaryKeyFileReplacesTheDefaultSecret() {
    HolySheepConfig c = ConfigParser.parse("apiKeyFile: /vault/secrets/holysheep");
    assertEquals("/vault/secrets/holysheep", c.apiKeyFile());
    assertNull(c.apiKeySecretRef(), "the default Secret does not apply to a file-keyed primary");
    UpstreamSpec primary = c.upstreams().get(0);
    assertEquals("/vault/secrets/holysheep", primary.apiKeyFile());
    assertNull(primary.apiKeySecretRef());
    assertEquals("HOLYSHEEP_API_KEY", primary.keyEnvVar());
  }

  @Test
  void primaryWithBothSourcesIsRefused() {
    assertOnlyError(
        "{apiKeyFile: /vault/key, apiKeySecretRef: {name: k, key: api-key}}",
        "apiKeyFile: \"/vault/key\"" + BOTH_MESSAGE);
  }

  @Test
  void fallbackMayUseAKeyFileInsteadOfASecret() {
    HolySheepConfig c =
        ConfigParser.parse(
            "fallbacks: [{name: csi, baseUrl: https://b.example/v1,"
                + " apiKeyFile: /mnt/secrets-store/b-key}]");
    FallbackSpec fallback = c.fallbacks().get(0);
    assertEquals("/mnt/secrets-store/b-key", fallback.apiKeyFile());
    assertNull(fallback.apiKeySecretRef());
    assertEquals("/mnt/secrets-store/b-key", c.upstreams().get(1).apiKeyFile());
  }

  @Test
  void fallbackWithBothSourcesIsRefused() {
    assertOnlyError(
        "fallbacks: [{name: b, baseUrl: https://b.example/v1, apiKeyFile: /k,"
            + " apiKeySecretRef: {name: b, key: k}}]",
        "fallbacks[0].apiKeyFile: \"/k\"" + BOTH_MESSAGE);
  }

  @Test
  void keyFileMustBeAnAbsoluteFilePath() {
    for (String bad : new String[] {"secrets/key", "/vault/../etc/passwd", "/vault/", "/a/./b"}) {
      assertEquals(
          java.util.List.of(
              "apiKeyFile: \""
                  + bad
                  + "\" is not a file path; allowed: an absolute file path, e.g."
                  + " /vault/secrets/holysheep-key (no '..' segments, not a directory)"),
          errorsOf("apiKeyFile: \"" + bad + "\""),
          bad);
    }
  }

  @Test
  void emptyKeyFileMeansUnset() {
    HolySheepConfig c = ConfigParser.parse("apiKeyFile: \"\"");
    assertNull(c.apiKeyFile());
    assertEquals(HolySheepConfig.DEFAULT_API_KEY_SECRET_REF, c.apiKeySecretRef());
  }

  @Test
  void keyFileRoundTripsThroughCanonicalJson() {
    HolySheepConfig c =
        ConfigParser.parse(
            "{apiKeyFile: /var/run/secrets/holysheep.ai/gateway/token,"
                + " fallbacks: [{name: b, baseUrl: https://b.example/v1, apiKeyFile: /k}]}");
    String json = c.toCanonicalJson();
    assertTrue(
        json.startsWith(
            "{\"baseUrl\":\"https://api.holysheep.ai/v1\",\"apiKeySecretRef\":null,"
                + "\"apiKeyFile\":\"/var/run/secrets/holysheep.ai/gateway/token\","),
        json);
    assertEquals(c, ConfigParser.parse(json));
  }

  @Test
  void recordsRefuseNeitherOrBothKeySources() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new FallbackSpec("b", "https://b.example/v1", null, false, null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new UpstreamSpec(
                "b",
                "https://b.example/v1",
                new SecretKeyRef("s", "k"),
                "HOLYSHEEP_API_KEY_1",
                false,
                null,
                "/k",
                null,
                null));
  }
}
