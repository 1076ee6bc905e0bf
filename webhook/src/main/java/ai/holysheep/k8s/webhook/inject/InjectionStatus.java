package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code holysheep.ai/status} annotation: what was injected (version, input hash) and what of
 * the pod's own containers was touched, so the next pass removes exactly that and nothing the user
 * wrote.
 *
 * @param version template version
 * @param hash hash over every injection input (template, image, settings, resolved config)
 * @param configHash {@link ai.holysheep.k8s.config.HolySheepConfig#hash()} of the resolved config
 * @param mode {@code native} or {@code legacy}
 * @param env per app container name, the env var names injection added to it
 * @param defaultContainer whether injection set {@code kubectl.kubernetes.io/default-container}
 */
record InjectionStatus(
    String version,
    String hash,
    String configHash,
    String mode,
    Map<String, List<String>> env,
    boolean defaultContainer) {
  private static final ObjectMapper JSON = new ObjectMapper();

  InjectionStatus {
    env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  /** An unreadable or foreign annotation counts as absent: nothing in app containers is removed. */
  static InjectionStatus read(String annotation) {
    if (annotation == null) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(annotation);
      if (node == null || !node.isObject()) {
        return null;
      }
      Map<String, List<String>> env = new LinkedHashMap<>();
      JsonNode envNode = node.path("env");
      envNode
          .properties()
          .forEach(
              e -> {
                List<String> names = new ArrayList<>();
                e.getValue().forEach(n -> names.add(n.asText()));
                env.put(e.getKey(), names);
              });
      return new InjectionStatus(
          node.path("version").asText(""),
          node.path("hash").asText(""),
          node.path("config").asText(""),
          node.path("mode").asText(""),
          env,
          node.path("defaultContainer").asBoolean(false));
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Compact JSON, fields in a fixed order so equal inputs give an equal annotation. */
  String write() {
    ObjectNode node = JSON.createObjectNode();
    node.put("version", version);
    node.put("hash", hash);
    node.put("config", configHash);
    node.put("mode", mode);
    ObjectNode envNode = node.putObject("env");
    env.forEach(
        (container, names) -> {
          ArrayNode array = envNode.putArray(container);
          names.forEach(array::add);
        });
    if (defaultContainer) {
      node.put("defaultContainer", true);
    }
    return node.toString();
  }
}
