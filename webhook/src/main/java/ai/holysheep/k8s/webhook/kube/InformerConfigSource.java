package ai.holysheep.k8s.webhook.kube;

import ai.holysheep.k8s.webhook.inject.ConfigSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
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

  private final JsonNode chartDefault;
  private final SharedIndexInformer<GenericKubernetesResource> informer;

  private InformerConfigSource(
      JsonNode chartDefault, SharedIndexInformer<GenericKubernetesResource> informer) {
    this.chartDefault = chartDefault;
    this.informer = informer;
  }

  /** Starts the informer without waiting for its first list; {@link #synced()} tells when. */
  public static InformerConfigSource start(KubernetesClient client, JsonNode chartDefault) {
    SharedIndexInformer<GenericKubernetesResource> informer =
        client.genericKubernetesResources(HOLYSHEEP_CONFIG).inAnyNamespace().runnableInformer(0);
    informer.start();
    return new InformerConfigSource(chartDefault, informer);
  }

  @Override
  public JsonNode chartDefault() {
    return chartDefault;
  }

  @Override
  public Optional<JsonNode> find(String namespace, String name) {
    GenericKubernetesResource resource = informer.getStore().getByKey(namespace + "/" + name);
    if (resource == null) {
      return Optional.empty();
    }
    Object spec = resource.getAdditionalProperties().get("spec");
    return Optional.of(spec == null ? JSON.createObjectNode() : JSON.valueToTree(spec));
  }

  @Override
  public boolean synced() {
    return informer.hasSynced();
  }

  @Override
  public void close() {
    informer.close();
  }
}
