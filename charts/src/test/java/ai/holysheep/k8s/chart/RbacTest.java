package ai.holysheep.k8s.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RbacTest {
  private static final String TLS_SECRET = Helm.RELEASE + "-tls";
  private static Rendered defaults;

  @BeforeAll
  static void render() {
    defaults = Helm.template();
  }

  private static List<PolicyRule> allRules(Rendered rendered) {
    List<PolicyRule> rules = new ArrayList<>();
    rendered.all(Role.class).forEach(role -> rules.addAll(role.getRules()));
    rendered.all(ClusterRole.class).forEach(role -> rules.addAll(role.getRules()));
    return rules;
  }

  private static ClusterRole webhookClusterRole() {
    return defaults.all(ClusterRole.class).stream()
        .filter(role -> role.getMetadata().getName().equals(Helm.RELEASE))
        .findFirst()
        .orElseThrow();
  }

  private static Role webhookRole(Rendered rendered) {
    return rendered.all(Role.class).stream()
        .filter(role -> role.getMetadata().getName().equals(Helm.RELEASE))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no webhook Role"));
  }

  private static List<PolicyRule> rulesFor(List<PolicyRule> rules, String resource) {
    return rules.stream().filter(rule -> rule.getResources().contains(resource)).toList();
  }

  @Test
  void noRuleUsesWildcards() {
    for (String mode : List.of("self", "certManager")) {
      for (PolicyRule rule : allRules(Helm.template("--set", "certs.mode=" + mode))) {
        Stream.of(
                rule.getVerbs(), rule.getResources(), rule.getApiGroups(), rule.getResourceNames())
            .filter(list -> list != null)
            .flatMap(List::stream)
            .forEach(word -> assertFalse(word.contains("*"), "wildcard in " + rule));
        assertTrue(rule.getNonResourceURLs() == null || rule.getNonResourceURLs().isEmpty());
      }
    }
  }

  @Test
  void webhookConfigurationAccessIsScopedToItsOwnName() {
    List<PolicyRule> rules =
        rulesFor(webhookClusterRole().getRules(), "mutatingwebhookconfigurations");
    assertEquals(1, rules.size());
    PolicyRule rule = rules.get(0);
    assertEquals(List.of(Helm.RELEASE), rule.getResourceNames());
    assertEquals(List.of("admissionregistration.k8s.io"), rule.getApiGroups());
    assertTrue(
        rule.getVerbs().containsAll(List.of("get", "patch", "watch")), rule.getVerbs().toString());
    assertTrue(
        Set.of("get", "list", "watch", "patch").containsAll(rule.getVerbs()),
        rule.getVerbs().toString());
  }

  @Test
  void clusterRoleGrantsInformersAndEventsOnly() {
    List<PolicyRule> rules = webhookClusterRole().getRules();
    assertEquals(List.of("list", "watch"), rulesFor(rules, "holysheepconfigs").get(0).getVerbs());
    assertEquals(List.of("list", "watch"), rulesFor(rules, "nodes").get(0).getVerbs());
    assertEquals(List.of("create"), rulesFor(rules, "events").get(0).getVerbs());
    assertEquals(
        List.of(""),
        rulesFor(rules, "events").get(0).getApiGroups(),
        "the server writes core v1 Events");
    assertTrue(rulesFor(rules, "secrets").isEmpty(), "no cluster-wide Secret access");
    assertTrue(
        rulesFor(rules, "pods").isEmpty(), "the webhook reads pods from the AdmissionReview");
  }

  @Test
  void secretsAreReachableOnlyInTheReleaseNamespaceAndMostlyByName() {
    Role role = webhookRole(defaults);
    assertEquals(Helm.NAMESPACE, role.getMetadata().getNamespace());
    for (PolicyRule rule : rulesFor(role.getRules(), "secrets")) {
      if (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()) {
        assertEquals(
            List.of("create"), rule.getVerbs(), "only create is unscoped (it cannot be named)");
      } else {
        assertEquals(List.of(TLS_SECRET), rule.getResourceNames());
        assertEquals(Set.of("get", "update", "patch"), Set.copyOf(rule.getVerbs()));
      }
    }
    List<String> verbs =
        rulesFor(role.getRules(), "secrets").stream().flatMap(r -> r.getVerbs().stream()).toList();
    assertTrue(verbs.containsAll(List.of("get", "create", "update", "patch")), verbs.toString());
  }

  @Test
  void certManagerModeGrantsNoWebhookConfigurationAccess() {
    Rendered certManager = Helm.template("--set", "certs.mode=certManager");
    assertTrue(
        rulesFor(allRules(certManager), "mutatingwebhookconfigurations").isEmpty(),
        "cert-manager's CA injector is the only writer of caBundle in that mode");
  }

  @Test
  void certManagerModeGrantsNoSecretAccess() {
    Rendered certManager = Helm.template("--set", "certs.mode=certManager");
    assertTrue(rulesFor(allRules(certManager), "secrets").isEmpty());
  }

  @Test
  void bindingsNameTheDeploymentsServiceAccount() {
    String serviceAccount =
        defaults.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName();
    ClusterRoleBinding clusterBinding = defaults.one(ClusterRoleBinding.class);
    assertEquals(serviceAccount, clusterBinding.getSubjects().get(0).getName());
    assertEquals(Helm.NAMESPACE, clusterBinding.getSubjects().get(0).getNamespace());
    RoleBinding binding =
        defaults.all(RoleBinding.class).stream()
            .filter(b -> b.getRoleRef().getName().equals(Helm.RELEASE))
            .findFirst()
            .orElseThrow();
    assertEquals(serviceAccount, binding.getSubjects().get(0).getName());
  }

  @Test
  void testHookMayOnlyCreatePodsInTheTestNamespace() {
    Role testRole =
        defaults.all(Role.class).stream()
            .filter(role -> role.getMetadata().getName().endsWith("-test"))
            .findFirst()
            .orElseThrow();
    assertEquals("default", testRole.getMetadata().getNamespace());
    assertEquals(1, testRole.getRules().size());
    assertEquals(List.of("pods"), testRole.getRules().get(0).getResources());
    assertEquals(List.of("create"), testRole.getRules().get(0).getVerbs());
  }

  @Test
  void rbacCanBeLeftToTheUser() {
    Rendered none = Helm.template("--set", "rbac.create=false", "--set", "test.enabled=false");
    assertTrue(none.all(Role.class).isEmpty() && none.all(ClusterRole.class).isEmpty());
  }
}
