package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.webhook.inject.ConfigSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Optional;

/**
 * {@code HolySheepConfig} custom resources ({@code holysheep.ai/v1}) from an informer cache: an
 * admission never waits for an API call. The spec is handed over raw; the injector validates it.
 */
public final class InformerConfigSource implements ConfigSource, AutoCloseable {
  public static final ResourceDefinitionContext HOLYSHEEP_CONFIG =
      new ResourceDefinitionContext.Builder()
          .withGroup("holysheep.ai")
          .withVersion("v1")
          .withKind("HolySheepConfig")
          .withPlural("holysheepconfigs")
          .withNamespaced(true)
          .build();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How it is named in readiness messages. */
  public static final String RESOURCE = "holysheepconfigs.holysheep.ai";

  private final JsonNode chartDefault;
  private final ResilientInformer<GenericKubernetesResource> informer;

  private InformerConfigSource(
      JsonNode chartDefault, ResilientInformer<GenericKubernetesResource> informer) {
    this.chartDefault = chartDefault;
    this.informer = informer;
  }

  /**
   * Starts the informer without waiting for its first list; {@link #synced()} tells when. It keeps
   * retrying while the API server is unreachable or the CRD is not installed yet.
   */
  public static InformerConfigSource start(KubernetesClient client, JsonNode chartDefault) {
    return new InformerConfigSource(
        chartDefault,
        ResilientInformer.start(
            RESOURCE,
            client
                .genericKubernetesResources(HOLYSHEEP_CONFIG)
                .inAnyNamespace()
                .runnableInformer(0),
            null));
  }

  /** For readiness ({@code notReady}) and liveness ({@code broken}). */
  public ResilientInformer<GenericKubernetesResource> informer() {
    return informer;
  }

  @Override
  public JsonNode chartDefault() {
    return chartDefault;
  }

  @Override
  public Optional<JsonNode> find(String namespace, String name) {
    GenericKubernetesResource resource = informer.store().getByKey(namespace + "/" + name);
    if (resource == null) {
      return Optional.empty();
    }
    Object spec = resource.getAdditionalProperties().get("spec");
    return Optional.of(spec == null ? JSON.createObjectNode() : JSON.valueToTree(spec));
  }

  @Override
  public List<String> names(String namespace) {
    return informer.store().list().stream()
        .filter(r -> namespace.equals(r.getMetadata().getNamespace()))
        .map(r -> r.getMetadata().getName())
        .sorted()
        .toList();
  }

  @Override
  public boolean synced() {
    return informer.synced();
  }

  @Override
  public void close() {
    informer.close();
  }
}
