package ai.holysheep.k8s.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WebhookConfigurationTest {
  static final String NAMESPACE_ENTRY = "namespace.injector.holysheep.ai";
  static final String POD_ENTRY = "pod.injector.holysheep.ai";
  private static final List<String> EXCLUDED =
      List.of("kube-system", "kube-public", "kube-node-lease", Helm.NAMESPACE);

  private static final java.util.regex.Pattern CA_BUNDLE_KEY =
      java.util.regex.Pattern.compile("(?m)^[\\s-]*\"?caBundle\"?\\s*:");

  private static Rendered defaults;
  private static MutatingWebhookConfiguration config;

  @BeforeAll
  static void render() {
    defaults = Helm.template();
    config = defaults.one(MutatingWebhookConfiguration.class);
  }

  static MutatingWebhook entry(MutatingWebhookConfiguration config, String name) {
    return config.getWebhooks().stream()
        .filter(webhook -> name.equals(webhook.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no webhook entry " + name));
  }

  @Test
  void hasExactlyTheTwoDesignEntries() {
    assertEquals(
        List.of(NAMESPACE_ENTRY, POD_ENTRY),
        config.getWebhooks().stream().map(MutatingWebhook::getName).toList());
    assertEquals(Helm.RELEASE, config.getMetadata().getName());
  }

  @Test
  void bothEntriesMatchOnlyPodCreation() {
    for (MutatingWebhook webhook : config.getWebhooks()) {
      assertEquals(1, webhook.getRules().size(), webhook.getName());
      RuleWithOperations rule = webhook.getRules().get(0);
      assertEquals(List.of("CREATE"), rule.getOperations(), webhook.getName());
      assertEquals(List.of(""), rule.getApiGroups(), webhook.getName());
      assertEquals(List.of("v1"), rule.getApiVersions(), webhook.getName());
      assertEquals(List.of("pods"), rule.getResources(), webhook.getName());
    }
  }

  @Test
  void bothEntriesUseTheDesignPolicies() {
    for (MutatingWebhook webhook : config.getWebhooks()) {
      assertEquals("Fail", webhook.getFailurePolicy(), webhook.getName());
      assertEquals(5, webhook.getTimeoutSeconds(), webhook.getName());
      assertEquals("None", webhook.getSideEffects(), webhook.getName());
      assertEquals(List.of("v1"), webhook.getAdmissionReviewVersions(), webhook.getName());
      assertEquals("IfNeeded", webhook.getReinvocationPolicy(), webhook.getName());
    }
  }

  @Test
  void entriesCallTheirOwnPathsOnTheService() {
    assertEquals(
        "/mutate/namespace",
        entry(config, NAMESPACE_ENTRY).getClientConfig().getService().getPath());
    assertEquals("/mutate/pod", entry(config, POD_ENTRY).getClientConfig().getService().getPath());
    for (MutatingWebhook webhook : config.getWebhooks()) {
      var service = webhook.getClientConfig().getService();
      assertEquals(Helm.RELEASE, service.getName());
      assertEquals(Helm.NAMESPACE, service.getNamespace());
      assertEquals(443, service.getPort());
      assertNull(webhook.getClientConfig().getUrl(), "service reference, not a URL");
    }
  }

  @Test
  void bothEntriesExcludeSystemAndReleaseNamespaces() {
    for (MutatingWebhook webhook : config.getWebhooks()) {
      LabelSelectorRequirement exclusion =
          requirement(webhook.getNamespaceSelector(), "kubernetes.io/metadata.name");
      assertEquals("NotIn", exclusion.getOperator(), webhook.getName());
      assertTrue(
          exclusion.getValues().containsAll(EXCLUDED),
          webhook.getName() + ": " + exclusion.getValues());
    }
  }

  @Test
  void extraExcludedNamespacesAreAddedToBothEntries() {
    var custom =
        Helm.template("--set", "webhook.excludedNamespaces={batch-jobs}")
            .one(MutatingWebhookConfiguration.class);
    for (MutatingWebhook webhook : custom.getWebhooks()) {
      List<String> values =
          requirement(webhook.getNamespaceSelector(), "kubernetes.io/metadata.name").getValues();
      assertTrue(values.containsAll(EXCLUDED) && values.contains("batch-jobs"), values.toString());
    }
  }

  @Test
  void namespaceEntrySelectsLabelledNamespacesAndPodEntryTheOthers() {
    LabelSelector namespaceWide = entry(config, NAMESPACE_ENTRY).getNamespaceSelector();
    assertEquals(Map.of("holysheep.ai/injection", "enabled"), namespaceWide.getMatchLabels());

    LabelSelector perPod = entry(config, POD_ENTRY).getNamespaceSelector();
    assertTrue(perPod.getMatchLabels() == null || perPod.getMatchLabels().isEmpty());
    LabelSelectorRequirement notEnabled = requirement(perPod, "holysheep.ai/injection");
    assertEquals("NotIn", notEnabled.getOperator());
    assertEquals(List.of("enabled"), notEnabled.getValues());
  }

  @Test
  void bothEntriesSkipTheInjectorsOwnPods() {
    Map<String, String> injectorPodLabels =
        defaults.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
    for (MutatingWebhook webhook : config.getWebhooks()) {
      LabelSelectorRequirement own =
          requirement(webhook.getObjectSelector(), "holysheep.ai/injector");
      assertEquals("DoesNotExist", own.getOperator(), webhook.getName());
      assertTrue(
          injectorPodLabels.containsKey(own.getKey()), "injector pods carry " + own.getKey());
    }
  }

  @Test
  void everyEntryHasMatchConditions() {
    for (MutatingWebhook webhook : config.getWebhooks()) {
      assertEquals(1, webhook.getMatchConditions().size(), webhook.getName());
      assertFalse(webhook.getMatchConditions().get(0).getExpression().isBlank());
    }
  }

  @Test
  void failurePolicyIsConfigurable() {
    var ignoring =
        Helm.template("--set", "webhook.failurePolicy=Ignore")
            .one(MutatingWebhookConfiguration.class);
    ignoring.getWebhooks().forEach(webhook -> assertEquals("Ignore", webhook.getFailurePolicy()));
  }

  @Test
  void noCaBundleIsRenderedInAnyMode() {
    for (String mode : List.of("self", "certManager")) {
      Rendered rendered = Helm.template("--set", "certs.mode=" + mode);
      assertFalse(CA_BUNDLE_KEY.matcher(rendered.yaml()).find(), mode + " mode renders a caBundle");
      rendered
          .one(MutatingWebhookConfiguration.class)
          .getWebhooks()
          .forEach(webhook -> assertNull(webhook.getClientConfig().getCaBundle()));
    }
    Rendered files =
        Helm.template("--set", "certs.mode=files", "--set", "certs.existingSecret=my-tls");
    assertFalse(CA_BUNDLE_KEY.matcher(files.yaml()).find(), "files mode renders a caBundle");
  }

  @Test
  void selfModeAsksNoCertManagerInjection() {
    var annotations = config.getMetadata().getAnnotations();
    assertTrue(annotations == null || !annotations.containsKey("cert-manager.io/inject-ca-from"));
  }

  static LabelSelectorRequirement requirement(LabelSelector selector, String key) {
    return selector.getMatchExpressions().stream()
        .filter(expression -> key.equals(expression.getKey()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no matchExpression on " + key + " in " + selector));
  }
}
