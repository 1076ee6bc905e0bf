package ai.holysheep.k8s.webhook.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.holysheep.k8s.config.ConfigParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InjectorTest {
  private final Injector injector = Injector.create(InjectorOptions.defaults());

  static Pod pod(Map<String, String> annotations) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .withNamespace("shop")
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }

  static InjectionContext context(ConfigSource configs, NativeSupport support) {
    return new InjectionContext(
        Scope.NAMESPACE, "shop", false, configs, NodeVersions.fixed(support));
  }

  static InjectionContext context() {
    return context(ConfigSource.ofDefault(ConfigParser.readTree("{}")), NativeSupport.ALL_NATIVE);
  }

  static Container proxy(Pod pod) {
    return pod.getSpec().getInitContainers().stream()
        .filter(c -> c.getName().equals(SidecarNames.CONTAINER))
        .findFirst()
        .orElseThrow();
  }

  static String env(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }

  @Test
  void invalidAnnotationIsDeniedNamingAnnotationValueAndExpectedForm() {
    InjectionResult result =
        injector.inject(pod(Map.of("holysheep.ai/proxy-port", "80")), context());
    String message = assertInstanceOf(InjectionResult.Denied.class, result).message();
    assertEquals(
        "holysheep.ai/proxy-port: \"80\" is invalid; expected a port number from 1024 to 65535,"
            + " e.g. \"15080\"",
        message);
  }

  @Test
  void portClashNamesTheContainerThePortAndTheAnnotationToChange() {
    Pod pod =
        new PodBuilder(pod(Map.of()))
            .editSpec()
            .editFirstContainer()
            .addNewPort()
            .withContainerPort(15080)
            .endPort()
            .endContainer()
            .endSpec()
            .build();
    String message =
        assertInstanceOf(InjectionResult.Denied.class, injector.inject(pod, context())).message();
    assertTrue(message.contains("container \"app\" declares containerPort 15080"), message);
    assertTrue(message.contains("holysheep.ai/proxy-port"), message);
  }

  @Test
  void changedConfigBringsAnInjectedPodUpToDateWithoutDuplicates() {
    Pod once =
        assertInstanceOf(InjectionResult.Injected.class, injector.inject(pod(Map.of()), context()))
            .pod();
    ConfigSource newer =
        ConfigSource.of(
            ConfigParser.readTree("{}"),
            Map.of("shop/default", ConfigParser.readTree("{\"maxRetries\": 1}")));
    Pod updated =
        assertInstanceOf(
                InjectionResult.Injected.class,
                injector.inject(once, context(newer, NativeSupport.ALL_NATIVE)))
            .pod();
    assertEquals(1, updated.getSpec().getInitContainers().size());
    assertEquals(3, updated.getSpec().getContainers().get(0).getEnv().size());
    assertTrue(env(proxy(updated), "HOLYSHEEP_CONFIG").contains("\"maxRetries\":1"));
    assertNotEquals(
        InjectionStatus.read(once.getMetadata().getAnnotations().get(Annotations.STATUS)).hash(),
        InjectionStatus.read(updated.getMetadata().getAnnotations().get(Annotations.STATUS))
            .hash());
  }

  @Test
  void switchingToLegacyMovesTheProxyInsteadOfCopyingIt() {
    Pod nativePod =
        assertInstanceOf(InjectionResult.Injected.class, injector.inject(pod(Map.of()), context()))
            .pod();
    InjectionContext oldNodes =
        context(ConfigSource.ofDefault(ConfigParser.readTree("{}")), NativeSupport.NOT_ALL_NATIVE);
    Pod legacy =
        assertInstanceOf(InjectionResult.Injected.class, injector.inject(nativePod, oldNodes))
            .pod();
    assertTrue(legacy.getSpec().getInitContainers().isEmpty());
    assertEquals(
        List.of(SidecarNames.CONTAINER, "app"),
        legacy.getSpec().getContainers().stream().map(Container::getName).toList());
    List<String> hook =
        legacy
            .getSpec()
            .getContainers()
            .get(0)
            .getLifecycle()
            .getPostStart()
            .getExec()
            .getCommand();
    assertEquals("java", hook.get(0));
    assertEquals(
        List.of("-jar", "/app/holysheep-sidecar.jar", "wait", "--timeout", "60s"),
        hook.subList(hook.size() - 5, hook.size()));
  }

  @Test
  void resourceAnnotationsSetTheLimitAndNeverRaiseTheRequest() {
    Pod big =
        assertInstanceOf(
                InjectionResult.Injected.class,
                injector.inject(
                    pod(Map.of("holysheep.ai/cpu", "2", "holysheep.ai/memory", "1Gi")), context()))
            .pod();
    var resources = proxy(big).getResources();
    assertEquals(new Quantity("2"), resources.getLimits().get("cpu"));
    assertEquals(new Quantity("1Gi"), resources.getLimits().get("memory"));
    assertEquals(new Quantity("50m"), resources.getRequests().get("cpu"));
    assertEquals(new Quantity("64Mi"), resources.getRequests().get("memory"));

    Pod small =
        assertInstanceOf(
                InjectionResult.Injected.class,
                injector.inject(pod(Map.of("holysheep.ai/cpu", "20m")), context()))
            .pod();
    assertEquals(new Quantity("20m"), proxy(small).getResources().getRequests().get("cpu"));
    assertEquals(new Quantity("20m"), proxy(small).getResources().getLimits().get("cpu"));
  }

  @Test
  void patchAppliedToTheOriginalGivesTheInjectedPod() {
    Pod original = pod(Map.of("team", "search"));
    Pod injected =
        assertInstanceOf(InjectionResult.Injected.class, injector.inject(original, context()))
            .pod();
    JsonNode patch = PodPatch.diff(original, injected);
    assertEquals(PodPatch.toTree(injected), JsonPatch.apply(patch, PodPatch.toTree(original)));
  }

  @Test
  void podWithoutNamespaceUsesTheRequestNamespaceForConfigLookup() {
    Pod pod =
        new PodBuilder(pod(Map.of())).editMetadata().withNamespace(null).endMetadata().build();
    ConfigSource configs =
        ConfigSource.of(
            ConfigParser.readTree("{}"),
            Map.of("shop/default", ConfigParser.readTree("{\"timeout\": \"7s\"}")));
    Pod injected =
        assertInstanceOf(
                InjectionResult.Injected.class,
                injector.inject(pod, context(configs, NativeSupport.ALL_NATIVE)))
            .pod();
    assertTrue(env(proxy(injected), "HOLYSHEEP_CONFIG").contains("\"timeout\":\"7s\""));
  }

  @Test
  void unsyncedConfigCacheDeniesInsteadOfGuessing() {
    ConfigSource unsynced =
        new ConfigSource() {
          @Override
          public JsonNode chartDefault() {
            return ConfigParser.readTree("{}");
          }

          @Override
          public java.util.Optional<JsonNode> find(String namespace, String name) {
            return java.util.Optional.empty();
          }

          @Override
          public boolean synced() {
            return false;
          }
        };
    String message =
        assertInstanceOf(
                InjectionResult.Denied.class,
                injector.inject(pod(Map.of()), context(unsynced, NativeSupport.ALL_NATIVE)))
            .message();
    assertTrue(message.contains("not synced"), message);
  }

  /**
   * The patch is computed against the pod as the request brought it (parsed JSON, never
   * re-serialized), so it must not differ from it by what the model normalizes: number node types
   * (a long field holding 1000), unknown fields, nulls, Quantity spellings.
   */
  @Test
  void patchFromTheRequestTreeTouchesOnlyWhatInjectionChanges() throws Exception {
    JsonNode request =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\","
                    + "\"labels\":{\"app\":\"a\"}},\"spec\":{\"nodeName\":null,"
                    + "\"x-unknown-field\":{\"keep\":1.50},\"containers\":[{\"name\":\"app\","
                    + "\"image\":\"busybox\",\"securityContext\":{\"runAsUser\":1000},"
                    + "\"resources\":{\"limits\":{\"cpu\":\"1.0\",\"memory\":\"128974848\"}},"
                    + "\"ports\":[{\"containerPort\":8080,\"protocol\":\"TCP\"}],"
                    + "\"env\":[]}],\"volumes\":[{\"name\":\"data\",\"emptyDir\":{}}]}}");
    Pod pod =
        new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
            .convertValue(request, Pod.class);
    Pod injected =
        assertInstanceOf(InjectionResult.Injected.class, injector.inject(pod, context())).pod();

    JsonNode patch = PodPatch.diff(request, injected);

    for (JsonNode op : patch) {
      String path = op.path("path").asText();
      assertTrue(
          path.startsWith("/metadata/annotations")
              || path.startsWith("/spec/initContainers")
              || path.equals("/spec/volumes/1")
              || path.startsWith("/spec/volumes/2")
              || path.startsWith("/spec/containers/0/env"),
          "unexpected " + op + " in " + patch);
    }
    JsonNode patched = JsonPatch.apply(patch, request);
    assertEquals(
        request.path("spec").path("x-unknown-field"), patched.path("spec").path("x-unknown-field"));
    assertEquals(
        request.path("spec").path("containers").path(0).path("resources"),
        patched.path("spec").path("containers").path(0).path("resources"));
  }

  @Test
  void theSidecarIsBuiltOncePerSetOfInputs() {
    EnsureInjector ensure = (EnsureInjector) Injector.create(InjectorOptions.defaults());
    for (int i = 0; i < 50; i++) {
      ensure.inject(pod(Map.of("team", "t" + i)), context());
    }
    assertEquals(1, ensure.sidecarBuilds(), "50 pods, one config: one sidecar built");

    ensure.inject(pod(Map.of("holysheep.ai/timeout", "7s")), context());
    ensure.inject(pod(Map.of("holysheep.ai/timeout", "7s")), context());
    assertEquals(2, ensure.sidecarBuilds(), "another config: one more");
  }
}
