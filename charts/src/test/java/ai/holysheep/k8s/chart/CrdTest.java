package ai.holysheep.k8s.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CrdTest {
  private static final String DURATION = "^[0-9]+(ms|s|m|h)$";
  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .setResultType(SimpleType.BOOL)
          .build();

  private static Rendered defaults;
  private static CustomResourceDefinition crd;
  private static JSONSchemaProps spec;

  @BeforeAll
  static void render() {
    defaults = Helm.template();
    crd = defaults.one(CustomResourceDefinition.class);
    spec = version().getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  private static CustomResourceDefinitionVersion version() {
    assertEquals(1, crd.getSpec().getVersions().size());
    return crd.getSpec().getVersions().get(0);
  }

  @Test
  void definesANamespacedV1KindWithAShortName() {
    assertEquals("holysheepconfigs.holysheep.ai", crd.getMetadata().getName());
    assertEquals("holysheep.ai", crd.getSpec().getGroup());
    assertEquals("Namespaced", crd.getSpec().getScope());
    assertEquals("HolySheepConfig", crd.getSpec().getNames().getKind());
    assertEquals(List.of("hsc"), crd.getSpec().getNames().getShortNames());
    assertEquals("v1", version().getName());
    assertTrue(version().getServed() && version().getStorage());
  }

  @Test
  void isKeptOnUninstallUnlessAskedAndCanBeOmitted() {
    assertEquals("keep", crd.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
    var notKept = Helm.template("--set", "crds.keep=false").one(CustomResourceDefinition.class);
    assertTrue(
        notKept.getMetadata().getAnnotations() == null
            || !notKept.getMetadata().getAnnotations().containsKey("helm.sh/resource-policy"));
    assertTrue(
        Helm.template("--set", "crds.enabled=false").all(CustomResourceDefinition.class).isEmpty());
  }

  @Test
  void specSchemaHasExactlyTheFieldsOfTheDefaultConfig() throws Exception {
    var config = DefaultConfigTest.configOf(defaults);
    List<String> configFields = new ArrayList<>();
    config.fieldNames().forEachRemaining(configFields::add);
    assertEquals(new TreeSet<>(configFields), new TreeSet<>(spec.getProperties().keySet()));
    List<String> cacheFields = new ArrayList<>();
    config.get("cache").fieldNames().forEachRemaining(cacheFields::add);
    assertEquals(
        new TreeSet<>(cacheFields),
        new TreeSet<>(spec.getProperties().get("cache").getProperties().keySet()));
  }

  @Test
  void durationsTypesEnumsAndRequiredFieldsMatchTheConfigSchema() {
    var props = spec.getProperties();
    for (String duration :
        List.of("connectTimeout", "timeout", "responseTimeout", "streamIdleTimeout")) {
      assertEquals(DURATION, props.get(duration).getPattern(), duration);
      assertEquals("string", props.get(duration).getType(), duration);
    }
    assertEquals(
        DURATION, props.get("circuitBreaker").getProperties().get("resetTimeout").getPattern());
    assertEquals(DURATION, props.get("healthCheck").getProperties().get("interval").getPattern());
    assertEquals(DURATION, props.get("cache").getProperties().get("ttl").getPattern());
    assertEquals("integer", props.get("maxRetries").getType());
    assertEquals("boolean", props.get("allowInsecure").getType());
    assertEquals(
        List.of("off", "memory", "redis"),
        props.get("cache").getProperties().get("mode").getEnum().stream()
            .map(node -> node.asText())
            .toList());
    JSONSchemaProps fallback = props.get("fallbacks").getItems().getSchema();
    assertEquals(List.of("name", "baseUrl"), fallback.getRequired());
    assertEquals(
        List.of("name", "key"), fallback.getProperties().get("apiKeySecretRef").getRequired());
    assertTrue(props.get("cache").getProperties().get("redisSecretRef").getNullable());
    assertTrue(props.get("caFile").getNullable());
  }

  @Test
  void describesEveryDefaultWithoutLettingTheApiServerApplyIt() {
    // A schema default would be stored in every object and override the chart default field by
    // field.
    for (var entry : spec.getProperties().entrySet()) {
      assertEquals(null, entry.getValue().getDefault(), entry.getKey());
    }
    assertTrue(spec.getProperties().get("timeout").getDescription().contains("Default: 30s"));
    assertTrue(
        spec.getProperties()
            .get("baseUrl")
            .getDescription()
            .contains("https://api.holysheep.ai/v1"));
  }

  @Test
  void printsBaseUrlFallbacksCacheModeAndAge() {
    Map<String, String> columns = new java.util.LinkedHashMap<>();
    version()
        .getAdditionalPrinterColumns()
        .forEach(column -> columns.put(column.getName(), column.getJsonPath()));
    assertEquals(
        Map.of(
            "Base URL",
            ".spec.baseUrl",
            "Fallbacks",
            ".spec.fallbacks[*].name",
            "Cache",
            ".spec.cache.mode",
            "Age",
            ".metadata.creationTimestamp"),
        columns);
  }

  @Test
  void refusesPlainHttpToARemoteHostUnlessAllowed() throws Exception {
    ValidationRule rule = spec.getXKubernetesValidations().get(0);
    assertTrue(eval(rule, Map.of()), "an empty spec inherits everything");
    assertTrue(eval(rule, Map.of("baseUrl", "https://api.example.com/v1")));
    assertTrue(eval(rule, Map.of("baseUrl", "http://127.0.0.1:8080/v1")));
    assertTrue(eval(rule, Map.of("baseUrl", "http://localhost/v1")));
    assertFalse(eval(rule, Map.of("baseUrl", "http://api.example.com/v1")));
    assertTrue(eval(rule, Map.of("baseUrl", "http://api.example.com/v1", "allowInsecure", true)));
  }

  @Test
  void requiresUniqueFallbackNamesAndNoRedisPassword() throws Exception {
    var props = spec.getProperties();
    ValidationRule unique = props.get("fallbacks").getXKubernetesValidations().get(0);
    assertTrue(eval(unique, List.of(Map.of("name", "a"), Map.of("name", "b"))));
    assertFalse(eval(unique, List.of(Map.of("name", "a"), Map.of("name", "a"))));
    ValidationRule noPassword = props.get("cache").getXKubernetesValidations().get(0);
    assertTrue(eval(noPassword, Map.of("redisUrl", "redis://redis.cache:6379/0")));
    assertTrue(eval(noPassword, Map.of("mode", "memory")));
    assertFalse(eval(noPassword, Map.of("redisUrl", "redis://:secret@redis.cache:6379")));
    assertFalse(eval(noPassword, Map.of("redisUrl", "rediss://user:secret@redis.cache:6380")));
  }

  @Test
  void requiresExactlyOneKeySourcePerUpstream() throws Exception {
    ValidationRule primary = spec.getXKubernetesValidations().get(1);
    assertTrue(eval(primary, Map.of()));
    assertTrue(eval(primary, Map.of("apiKeyFile", "/vault/key")));
    assertTrue(eval(primary, Map.of("apiKeySecretRef", Map.of("name", "s", "key", "k"))));
    assertFalse(
        eval(
            primary,
            Map.of(
                "apiKeyFile", "/vault/key", "apiKeySecretRef", Map.of("name", "s", "key", "k"))));
    ValidationRule fallback =
        spec.getProperties()
            .get("fallbacks")
            .getItems()
            .getSchema()
            .getXKubernetesValidations()
            .get(0);
    assertTrue(eval(fallback, Map.of("name", "b", "apiKeyFile", "/k")));
    assertTrue(
        eval(fallback, Map.of("name", "b", "apiKeySecretRef", Map.of("name", "s", "key", "k"))));
    assertFalse(eval(fallback, Map.of("name", "b")), "a fallback never inherits a key");
    assertFalse(
        eval(
            fallback,
            Map.of(
                "name",
                "b",
                "apiKeyFile",
                "/k",
                "apiKeySecretRef",
                Map.of("name", "s", "key", "k"))));
  }

  private static boolean eval(ValidationRule rule, Object self) throws Exception {
    var compiled = CEL.compile(rule.getRule());
    assertFalse(compiled.hasError(), () -> rule.getRule() + ": " + compiled.getErrorString());
    return (Boolean) CEL.createProgram(compiled.getAst()).eval(Map.of("self", self));
  }
}
