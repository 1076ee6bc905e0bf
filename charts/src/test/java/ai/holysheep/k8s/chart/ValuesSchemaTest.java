package ai.holysheep.k8s.chart;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ValuesSchemaTest {

  private static void assertRejected(String expectedInMessage, String... args) {
    Helm.Result result = Helm.templateExpectingFailure(args);
    assertTrue(
        result.stderr().contains(expectedInMessage),
        "message should name " + expectedInMessage + ": " + result.stderr());
  }

  @Test
  void rejectsAnUnknownTopLevelKeyNamingIt() {
    assertRejected("nope", "--set", "nope=1");
  }

  @Test
  void rejectsUnknownKeysAtNestedLevels() {
    assertRejected("replicas", "--set", "autoscaling.replicas=4");
    assertRejected("apikey", "--set", "config.fallbacks[0].apikey=x");
    assertRejected("timeoutt", "--set", "config.timeoutt=30s");
  }

  @Test
  void acceptsGlobalValuesOfAParentChart() {
    Helm.template(
        "--set",
        "global.imageRegistry=registry.example.com",
        "--set",
        "global.anything.nested=true");
  }

  @Test
  void rejectsWrongTypesAndValues() {
    assertRejected("replicaCount", "--set", "replicaCount=three");
    assertRejected("/config/timeout", "--set", "config.timeout=3 seconds");
    assertRejected("/config/cache/mode", "--set", "config.cache.mode=disk");
    assertRejected("/certs/mode", "--set", "certs.mode=manual");
    assertRejected("/webhook/failurePolicy", "--set", "webhook.failurePolicy=Retry");
  }

  @Test
  void requiresTheNamedSecretInFilesMode() {
    assertRejected("certs.existingSecret", "--set", "certs.mode=files");
  }

  @Test
  void rejectsAFallbackWithoutAKey() {
    assertRejected(
        "apiKeySecretRef",
        "--set",
        "config.fallbacks[0].name=secondary",
        "--set",
        "config.fallbacks[0].baseUrl=https://backup.example.com/v1");
  }
}
