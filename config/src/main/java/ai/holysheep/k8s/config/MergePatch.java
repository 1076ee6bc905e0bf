package ai.holysheep.k8s.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** RFC 7386 JSON merge patch; never modifies its arguments. */
final class MergePatch {
  private MergePatch() {}

  /** Top-level fields of which a config sets at most one: setting one replaces the others. */
  static final List<List<String>> ALTERNATIVES = List.of(List.of("apiKeySecretRef", "apiKeyFile"));

  /**
   * {@code target} without the alternatives of the fields that {@code patch} sets (to a non-null
   * value); {@code target} itself when there is nothing to drop.
   */
  static JsonNode dropReplacedAlternatives(JsonNode target, JsonNode patch) {
    if (target == null || !target.isObject() || patch == null || !patch.isObject()) {
      return target;
    }
    ObjectNode result = null;
    for (List<String> group : ALTERNATIVES) {
      for (String field : group) {
        JsonNode value = patch.get(field);
        if (value == null || value.isNull() || value.isTextual() && value.textValue().isBlank()) {
          continue; // unset: the layer below keeps its key source
        }
        for (String other : group) {
          if (!other.equals(field) && target.has(other) && !patch.has(other)) {
            result = result == null ? ((ObjectNode) target).deepCopy() : result;
            result.remove(other);
          }
        }
      }
    }
    return result == null ? target : result;
  }

  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (patch == null || patch.isMissingNode()) {
      return target == null ? JsonNodeFactory.instance.objectNode() : target.deepCopy();
    }
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), apply(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }
}
