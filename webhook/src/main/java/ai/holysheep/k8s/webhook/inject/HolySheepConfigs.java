package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code HolySheepConfig} objects of the offline CLI's input, keyed {@code
 * "<namespace>/<name>"} as the webhook's informer knows them: offline, {@code kubectl apply}-able
 * files show the same layering (cluster default in the injector's namespace, a namespace's {@code
 * default}) as the cluster would.
 */
final class HolySheepConfigs {
  private HolySheepConfigs() {}

  static Map<String, JsonNode> in(String input, InjectCommandOptions options) {
    Map<String, JsonNode> specs = new LinkedHashMap<>();
    for (String document : Yaml.split(input)) {
      JsonNode object;
      try {
        object = Yaml.read(document);
      } catch (JsonProcessingException e) {
        continue; // reported with its document number when the document is injected
      }
      if (object == null || !"HolySheepConfig".equals(object.path("kind").asText())) {
        continue;
      }
      String name = object.path("metadata").path("name").asText("");
      String namespace =
          object
              .path("metadata")
              .path("namespace")
              .asText(
                  options.namespace() != null
                      ? options.namespace()
                      : EnsureInjector.FALLBACK_NAMESPACE);
      JsonNode spec = object.get("spec");
      specs.put(
          namespace + "/" + name, spec == null ? JsonNodeFactory.instance.objectNode() : spec);
    }
    return specs;
  }
}
