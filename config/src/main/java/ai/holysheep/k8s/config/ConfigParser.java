package ai.holysheep.k8s.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads {@code HolySheepConfig.spec} from JSON or YAML, validates every field and fills defaults.
 * Layering (chart default, custom resource, pod annotations) is {@link #merge} on raw trees
 * followed by one {@link #parse(JsonNode)}.
 */
public final class ConfigParser {
  private ConfigParser() {}

  /**
   * Parses JSON (text starting with '{') or YAML; blank text means all defaults.
   *
   * @throws ConfigException listing every bad field
   */
  public static HolySheepConfig parse(String jsonOrYaml) {
    return parse(readTree(jsonOrYaml));
  }

  /**
   * Validates a raw spec tree; null, missing and JSON null mean all defaults.
   *
   * @throws ConfigException listing every bad field
   */
  public static HolySheepConfig parse(JsonNode tree) {
    return SpecReader.read(tree);
  }

  /**
   * The raw tree of JSON or YAML text, for layering before {@link #parse(JsonNode)}.
   *
   * @throws ConfigException on a syntax error, more than one document, or oversized text
   */
  public static JsonNode readTree(String jsonOrYaml) {
    return TreeReader.read(jsonOrYaml);
  }

  /**
   * RFC 7386 JSON merge patch: objects merge recursively, anything else in {@code overlay}
   * replaces, and a null in {@code overlay} deletes (the default comes back). One exception: the
   * primary's key sources are alternatives, so an overlay that sets {@code apiKeyFile} drops the
   * base's {@code apiKeySecretRef} and the other way round (a layer that says "the key is in this
   * file" means "instead of the Secret"). Returns a new tree.
   */
  public static JsonNode merge(JsonNode base, JsonNode overlay) {
    return MergePatch.apply(MergePatch.dropReplacedAlternatives(base, overlay), overlay);
  }
}
