package ai.holysheep.k8s.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evaluates the rendered matchConditions with cel-java the way the API server does: against the
 * admitted object. An expression that errors would reject the pod under failurePolicy Fail, so
 * every case must evaluate cleanly.
 */
class MatchConditionsCelTest {
  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("object", SimpleType.DYN)
          .setResultType(SimpleType.BOOL)
          .build();

  /** Pod shapes the API server can hand to a matchCondition. */
  private static final Map<String, Map<String, Object>> PODS = new LinkedHashMap<>();

  private static MutatingWebhookConfiguration config;

  @BeforeAll
  static void render() {
    config = Helm.template().one(MutatingWebhookConfiguration.class);
    PODS.put("no metadata.annotations key", pod(null));
    PODS.put("empty annotations", pod(Map.of()));
    PODS.put("other annotations", pod(Map.of("prometheus.io/scrape", "true")));
    PODS.put("inject true", pod(Map.of("holysheep.ai/inject", "true")));
    PODS.put("inject false", pod(Map.of("holysheep.ai/inject", "false", "a", "b")));
    PODS.put("inject other value", pod(Map.of("holysheep.ai/inject", "yes")));
  }

  private static Map<String, Object> pod(Map<String, String> annotations) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("generateName", "app-7d9c-");
    if (annotations != null) {
      metadata.put("annotations", annotations);
    }
    return Map.of(
        "apiVersion",
        "v1",
        "kind",
        "Pod",
        "metadata",
        metadata,
        "spec",
        Map.of("containers", java.util.List.of(Map.of("name", "app", "image", "app:1"))));
  }

  @Test
  void namespaceEntryDropsOnlyPodsThatOptOut() throws Exception {
    MatchCondition condition = condition(WebhookConfigurationTest.NAMESPACE_ENTRY);
    Map<String, Boolean> expected = new LinkedHashMap<>();
    expected.put("no metadata.annotations key", true);
    expected.put("empty annotations", true);
    expected.put("other annotations", true);
    expected.put("inject true", true);
    expected.put("inject false", false);
    expected.put("inject other value", true);
    assertMatches(condition, expected);
  }

  @Test
  void podEntryKeepsOnlyPodsThatOptIn() throws Exception {
    MatchCondition condition = condition(WebhookConfigurationTest.POD_ENTRY);
    Map<String, Boolean> expected = new LinkedHashMap<>();
    expected.put("no metadata.annotations key", false);
    expected.put("empty annotations", false);
    expected.put("other annotations", false);
    expected.put("inject true", true);
    expected.put("inject false", false);
    expected.put("inject other value", false);
    assertMatches(condition, expected);
  }

  @Test
  void aNonNullSafeExpressionWouldErrorOnAPodWithoutAnnotations() throws Exception {
    // Guards the test itself: the evaluation above really reaches missing keys.
    Cel cel = CEL;
    CelAbstractSyntaxTree ast =
        cel.compile("object.metadata.annotations['holysheep.ai/inject'] == 'true'").getAst();
    var program = cel.createProgram(ast);
    org.junit.jupiter.api.Assertions.assertThrows(
        CelEvaluationException.class,
        () -> program.eval(Map.of("object", PODS.get("no metadata.annotations key"))));
  }

  private static MatchCondition condition(String entry) {
    var webhook = WebhookConfigurationTest.entry(config, entry);
    assertEquals(1, webhook.getMatchConditions().size());
    return webhook.getMatchConditions().get(0);
  }

  private static void assertMatches(MatchCondition condition, Map<String, Boolean> expected)
      throws Exception {
    CelValidationResult compiled = CEL.compile(condition.getExpression());
    assertFalse(compiled.hasError(), () -> condition.getName() + ": " + compiled.getErrorString());
    var program = CEL.createProgram(compiled.getAst());
    assertEquals(PODS.keySet(), expected.keySet(), "every pod shape has an expectation");
    for (var entry : expected.entrySet()) {
      Object result;
      try {
        result = program.eval(Map.of("object", PODS.get(entry.getKey())));
      } catch (CelEvaluationException e) {
        throw new AssertionError(
            condition.getName() + " errors on a pod with " + entry.getKey() + ": " + e.getMessage(),
            e);
      }
      assertEquals(
          entry.getValue(), result, condition.getName() + " on a pod with " + entry.getKey());
    }
  }
}
