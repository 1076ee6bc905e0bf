package ai.holysheep.k8s.config;

import static ai.holysheep.k8s.config.ConfigAssertions.assertOnlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SecretRefValidationTest {
  private static final String NAME_RULE =
      "allowed: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters";
  private static final String KEY_RULE =
      "allowed: letters, digits, '-', '_' and '.', not starting with '..', at most 253 characters";

  @Test
  void secretNameMustBeADnsSubdomain() {
    assertOnlyError(
        "apiKeySecretRef: {name: My_Secret, key: api-key}",
        "apiKeySecretRef.name: \"My_Secret\" is not a valid Secret name; " + NAME_RULE);
    assertOnlyError(
        "apiKeySecretRef: {name: \"" + "a".repeat(254) + "\"}",
        "apiKeySecretRef.name: \""
            + "a".repeat(79)
            + "…\" is not a valid Secret name; "
            + NAME_RULE);
  }

  @Test
  void secretKeyThatEscapesTheSecretDirectoryIsRejected() {
    assertOnlyError(
        "apiKeySecretRef: {key: ../etc}",
        "apiKeySecretRef.key: \"../etc\" is not a valid Secret key; " + KEY_RULE);
    assertOnlyError(
        "apiKeySecretRef: {key: ..}",
        "apiKeySecretRef.key: \"..\" is not a valid Secret key; " + KEY_RULE);
    assertOnlyError(
        "apiKeySecretRef: {key: .}",
        "apiKeySecretRef.key: \".\" is not a valid Secret key; " + KEY_RULE);
  }

  @Test
  void secretKeyMayUseDotsUnderscoresAndCapitals() {
    assertEquals(
        new SecretKeyRef("creds.team-a", "OPENAI.api_key-2"),
        ConfigParser.parse("apiKeySecretRef: {name: creds.team-a, key: OPENAI.api_key-2}")
            .apiKeySecretRef());
  }

  @Test
  void unknownFieldInsideASecretRefIsRejected() {
    assertOnlyError(
        "apiKeySecretRef: {name: a, namespace: other}",
        "apiKeySecretRef.namespace: unknown field; allowed: name, key");
  }

  @Test
  void mountPathIsSecretNameSlashKey() {
    assertEquals(
        "holysheep-credentials/api-key", HolySheepConfig.defaults().apiKeySecretRef().mountPath());
    assertEquals("redis-auth/password", new SecretKeyRef("redis-auth", "password").mountPath());
  }
}
