package ai.holysheep.k8s.webhook.inject;

import ai.holysheep.k8s.config.ConfigException;
import ai.holysheep.k8s.config.ConfigParser;
import ai.holysheep.k8s.config.HolySheepConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * Layers the pod's config: chart default &lt; the cluster default ({@link ClusterConfig}, in the
 * injector's namespace) &lt; {@code HolySheepConfig} (named by {@code holysheep.ai/config}, else
 * {@code default}) in the pod's namespace &lt; annotations &lt; the gateway layer when the pod uses
 * the gateway.
 */
final class ConfigResolver {
  static final String DEFAULT_CONFIG_NAME = "default";

  private ConfigResolver() {}

  static HolySheepConfig resolve(
      ConfigSource source,
      String namespace,
      PodOverrides overrides,
      ClusterConfig cluster,
      ObjectNode gatewayOverlay,
      List<String> warnings) {
    JsonNode tree = orEmpty(source.chartDefault());
    String origin = "chart default";
    Optional<ClusterConfig.Layer> clusterLayer = cluster.pick(source, warnings);
    if (clusterLayer.isPresent()) {
      tree = ConfigParser.merge(tree, orEmpty(clusterLayer.get().spec()));
      origin += " < cluster HolySheepConfig " + clusterLayer.get().label();
    }
    String name = overrides.configName();
    if (name != null) {
      Optional<JsonNode> named = source.find(namespace, name);
      if (named.isEmpty()) {
        throw new InvalidPodException(
            Annotations.CONFIG
                + ": \""
                + name
                + "\" names no HolySheepConfig in namespace \""
                + namespace
                + "\""
                + (source.synced() ? "" : " (the config cache is not synced yet; retry)")
                + "; create it or remove the annotation to use \"default\"");
      }
      tree = ConfigParser.merge(tree, orEmpty(named.get()));
      origin += " < HolySheepConfig " + namespace + "/" + name;
    } else {
      if (!source.synced()) {
        throw new InvalidPodException(
            "HolySheepConfig cache is not synced yet, so the config of namespace \""
                + namespace
                + "\" is unknown; retry shortly");
      }
      Optional<JsonNode> fallback = source.find(namespace, DEFAULT_CONFIG_NAME);
      if (fallback.isPresent()) {
        tree = ConfigParser.merge(tree, orEmpty(fallback.get()));
        origin += " < HolySheepConfig " + namespace + "/" + DEFAULT_CONFIG_NAME;
      }
    }
    if (!overrides.configOverlay().isEmpty()) {
      tree = ConfigParser.merge(tree, overrides.configOverlay());
      origin += " < pod annotations";
    }
    if (gatewayOverlay != null) {
      tree = ConfigParser.merge(tree, gatewayOverlay);
      origin += " < gateway";
    }
    try {
      return ConfigParser.parse(tree);
    } catch (ConfigException e) {
      throw new InvalidPodException(
          "invalid HolySheepConfig for this pod ("
              + origin
              + "): "
              + String.join("; ", e.errors()));
    }
  }

  private static JsonNode orEmpty(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode()
        ? JsonNodeFactory.instance.objectNode()
        : node;
  }
}
