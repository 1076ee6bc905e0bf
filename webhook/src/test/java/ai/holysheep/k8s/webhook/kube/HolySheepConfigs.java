package ai.holysheep.k8s.webhook.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** HolySheepConfig objects written straight to a (mock) API server, as a user would apply them. */
public final class HolySheepConfigs {
  private HolySheepConfigs() {}

  /** Creates or replaces {@code namespace/name} with {@code spec}. */
  public static void apply(
      KubernetesClient client, String namespace, String name, Map<String, Object> spec) {
    client
        .genericKubernetesResources(InformerConfigSource.HOLYSHEEP_CONFIG)
        .inNamespace(namespace)
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("holysheep.ai/v1")
                .withKind("HolySheepConfig")
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build())
        .createOr(existing -> existing.update());
  }
}
