package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * The cluster default layer: a {@code HolySheepConfig} in the injector's own namespace (the
 * tutorial's {@code production-cluster}). With {@code name} set that one; without, the only one
 * there; with several and no name, none of them, and a warning (which also becomes an Event on the
 * pod's owner) says so.
 *
 * @param namespace the injector's namespace, or null for no cluster layer
 * @param name the chart value {@code config.clusterConfigName}, or null
 */
public record ClusterConfig(String namespace, String name) {

  public static ClusterConfig none() {
    return new ClusterConfig(null, null);
  }

  /** The chosen config as {@code (label, spec)}, warning when the choice is not clear. */
  Optional<Layer> pick(ConfigSource source, List<String> warnings) {
    if (namespace == null) {
      return Optional.empty();
    }
    if (name != null) {
      Optional<JsonNode> named = source.find(namespace, name);
      if (named.isEmpty() && source.synced()) {
        warnings.add(
            "cluster default HolySheepConfig "
                + namespace
                + "/"
                + name
                + " (config.clusterConfigName) does not exist; only the chart default applies");
      }
      return named.map(spec -> new Layer(namespace + "/" + name, spec));
    }
    List<String> names = source.names(namespace);
    if (names.size() == 1) {
      return source
          .find(namespace, names.get(0))
          .map(s -> new Layer(namespace + "/" + names.get(0), s));
    }
    if (names.size() > 1) {
      warnings.add(
          "several HolySheepConfigs in "
              + namespace
              + " ("
              + String.join(", ", names)
              + "): none applies as the cluster default; set the chart value"
              + " config.clusterConfigName to pick one");
    }
    return Optional.empty();
  }

  /** One config layer: where it came from, and its raw spec. */
  record Layer(String label, JsonNode spec) {}
}
