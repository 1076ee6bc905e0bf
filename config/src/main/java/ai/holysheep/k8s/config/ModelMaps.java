package ai.holysheep.k8s.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a fallback's {@code models}: the models it serves, each mapped to the name that upstream
 * knows it by ({@code {deepseek-v3.2: deepseek-chat, gpt-4o: gpt-4o}}). One form only (a map), so
 * that the CRD's structural schema can describe it.
 */
final class ModelMaps {
  static final int MAX_ENTRIES = 256;
  static final int MAX_NAME_CHARS = 256;
  static final String ALLOWED =
      "a map of requested model to this upstream's model name, e.g. {deepseek-v3.2: deepseek-chat,"
          + " gpt-4o: gpt-4o}; at most "
          + MAX_ENTRIES
          + " entries";

  private ModelMaps() {}

  /** Sorted requested → upstream name; empty when unset (the upstream serves every model). */
  static Map<String, String> read(ObjectReader upstream) {
    JsonNode models = upstream.value("models");
    if (models == null) {
      return Map.of();
    }
    if (!models.isObject()) {
      upstream.bad("models", Problems.quote(models) + " is not a map; allowed: " + ALLOWED);
      return Map.of();
    }
    if (models.isEmpty()) {
      upstream.bad(
          "models",
          models
              + " lists no model, so this upstream would serve nothing; omit models to serve every"
              + " model, or allowed: "
              + ALLOWED);
      return Map.of();
    }
    if (models.size() > MAX_ENTRIES) {
      upstream.bad("models", "has " + models.size() + " entries; allowed: at most " + MAX_ENTRIES);
      return Map.of();
    }
    Map<String, String> byRequested = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String field = "models." + entry.getKey();
      String requested = name(upstream, field, TextNode.valueOf(entry.getKey()));
      String target = name(upstream, field, entry.getValue());
      if (requested != null && target != null) {
        byRequested.put(requested, target);
      }
    }
    return byRequested;
  }

  private static String name(ObjectReader upstream, String field, JsonNode value) {
    if (value == null || !value.isTextual()) {
      upstream.bad(
          field,
          (value == null ? "null" : Problems.quote(value)) + " is not a model name (a string)");
      return null;
    }
    String name = value.textValue();
    if (name.isBlank()
        || name.length() > MAX_NAME_CHARS
        || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      upstream.bad(
          field,
          Problems.quote(name)
              + " is not a model name; allowed: 1 to "
              + MAX_NAME_CHARS
              + " characters without control characters");
      return null;
    }
    return name;
  }
}
