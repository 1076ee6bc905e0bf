package ai.holysheep.k8s.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Collects one message per bad field so every mistake is reported at once. */
final class Problems {
  /** Long values are cut so a pasted document does not flood the error. */
  private static final int MAX_QUOTED_CHARS = 80;

  private static final Pattern URL_USER_INFO = Pattern.compile("^([^:/?#]*://)(.*)@");

  private final List<String> messages = new ArrayList<>();
  private final Set<String> badPaths = new HashSet<>();

  /** Records {@code "<path>: <message>"} unless that field already has a message. */
  void add(String path, String message) {
    if (badPaths.add(path)) {
      messages.add(displayPath(path) + ": " + message);
    }
  }

  /** Records a message that already starts with its path. */
  void addRaw(String path, String fullMessage) {
    if (badPaths.add(path)) {
      messages.add(fullMessage);
    }
  }

  boolean has(String path) {
    return badPaths.contains(path);
  }

  void throwIfAny() {
    if (!messages.isEmpty()) {
      throw new ConfigException(messages);
    }
  }

  static String displayPath(String path) {
    return path.isEmpty() ? "(root)" : path;
  }

  /** The value as JSON text: strings quoted and escaped, anything long cut short. */
  static String quote(JsonNode value) {
    String text = value.toString();
    if (text.length() > MAX_QUOTED_CHARS) {
      return text.substring(0, MAX_QUOTED_CHARS) + "…" + (value.isTextual() ? "\"" : "");
    }
    return text;
  }

  static String quote(String value) {
    return quote(TextNode.valueOf(value));
  }

  /**
   * Quotes a URL with anything between the scheme and the last '@' masked: it may be a password.
   */
  static String quoteUrl(String url) {
    return quote(URL_USER_INFO.matcher(url).replaceFirst("$1***@"));
  }
}
