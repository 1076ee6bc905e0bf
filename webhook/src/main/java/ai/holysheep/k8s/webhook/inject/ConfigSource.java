package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Raw {@code HolySheepConfig.spec} trees the injector layers: the chart default and the custom
 * resources of each namespace. Implementations answer from memory (an informer cache), never with
 * an API call per admission.
 */
public interface ConfigSource {
  /** The chart's default spec (may be an empty object: the schema defaults then apply). */
  JsonNode chartDefault();

  /** The spec of {@code HolySheepConfig} {@code name} in {@code namespace}, if it exists. */
  Optional<JsonNode> find(String namespace, String name);

  /** The names of the {@code HolySheepConfig}s in {@code namespace}, sorted. */
  default List<String> names(String namespace) {
    return List.of();
  }

  /** False until the cache has seen every existing object; an empty answer then proves nothing. */
  boolean synced();

  /** Only a chart default, no custom resources (offline CLI, {@code serve --no-kube}). */
  static ConfigSource ofDefault(JsonNode chartDefault) {
    return of(chartDefault, Map.of());
  }

  /**
   * A fixed set of custom resources keyed {@code "<namespace>/<name>"} (tests, offline use with
   * several configs).
   */
  static ConfigSource of(JsonNode chartDefault, Map<String, JsonNode> specsByNamespaceAndName) {
    Objects.requireNonNull(chartDefault, "chartDefault");
    Map<String, JsonNode> specs = Map.copyOf(specsByNamespaceAndName);
    return new ConfigSource() {
      @Override
      public JsonNode chartDefault() {
        return chartDefault;
      }

      @Override
      public Optional<JsonNode> find(String namespace, String name) {
        return Optional.ofNullable(specs.get(namespace + "/" + name));
      }

      @Override
      public List<String> names(String namespace) {
        return specs.keySet().stream()
            .filter(key -> key.startsWith(namespace + "/"))
            .map(key -> key.substring(namespace.length() + 1))
            .sorted()
            .toList();
      }

      @Override
      public boolean synced() {
        return true;
      }
    };
  }
}
