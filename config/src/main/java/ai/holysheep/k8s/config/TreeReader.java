package ai.holysheep.k8s.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into a tree: JSON when it starts with '{' or '[' (falling back to YAML flow style),
 * else YAML.
 */
final class TreeReader {
  /** Characters; a spec is a few hundred, anything near this is a mistake. */
  static final int MAX_CHARS = 1024 * 1024;

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private TreeReader() {}

  /** An empty document (blank, comments only) reads as an empty object: all defaults. */
  static JsonNode read(String text) {
    if (text == null) {
      throw new ConfigException("(root): no configuration text given (null)");
    }
    if (text.length() > MAX_CHARS) {
      throw new ConfigException(
          "(root): configuration is "
              + text.length()
              + " characters; allowed: at most "
              + MAX_CHARS);
    }
    String trimmed = text.strip();
    List<JsonNode> documents;
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        documents = documents(JSON, text);
      } catch (IOException | RuntimeException jsonError) {
        // YAML flow style ({timeout: 2s}) looks like JSON; report the JSON error only if YAML fails
        // too.
        try {
          documents = documents(YAML, text);
        } catch (IOException | RuntimeException yamlError) {
          throw new ConfigException("(root): not valid JSON" + describe(jsonError));
        }
      }
    } else {
      try {
        documents = documents(YAML, text);
      } catch (IOException | RuntimeException e) {
        throw new ConfigException("(root): not valid YAML" + describe(e));
      }
    }
    if (documents.size() > 1) {
      throw new ConfigException(
          "(root): holds " + documents.size() + " documents; allowed: exactly one");
    }
    JsonNode tree = documents.isEmpty() ? null : documents.get(0);
    return tree == null || tree.isNull() || tree.isMissingNode()
        ? JsonNodeFactory.instance.objectNode()
        : tree;
  }

  /** Node by node rather than readValues(), which would unwrap a top-level array. */
  private static List<JsonNode> documents(ObjectMapper mapper, String text) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (JsonParser parser = mapper.createParser(text)) {
      for (JsonNode node = mapper.readTree(parser); node != null; node = mapper.readTree(parser)) {
        documents.add(node);
      }
    }
    return documents;
  }

  /**
   * Location and the first line of the parser's reason, with quoted excerpts removed: they echo the
   * input, which may hold a secret pasted by mistake.
   */
  private static String describe(Exception e) {
    Throwable cause = e;
    while (!(cause instanceof JacksonException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (!(cause instanceof JacksonException jackson)) {
      return "";
    }
    JsonLocation at = jackson.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    String reason = jackson.getOriginalMessage();
    reason = reason == null ? "" : reason.lines().findFirst().orElse("");
    int sourceEcho = reason.indexOf(" (start marker");
    reason = sourceEcho < 0 ? reason : reason.substring(0, sourceEcho);
    if (!reason.startsWith("Duplicate field")) {
      reason = reason.replaceAll("'[^']*'", "'…'").replaceAll("\"[^\"]*\"", "\"…\"");
    }
    return where + (reason.isBlank() ? "" : ": " + reason.strip());
  }
}
