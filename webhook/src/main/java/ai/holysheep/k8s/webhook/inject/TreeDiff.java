package ai.holysheep.k8s.webhook.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A JSON Patch between two trees in time and space linear in their size: objects field by field; an
 * array that only grew at its end gets one {@code add} per new item, any other changed array is
 * replaced whole. Injection only appends (env vars) or swaps whole items (matched by name in {@link
 * NamedListDiff}), so nothing finer is needed; zjsonpatch's array diff is a longest common
 * subsequence with a quadratic table, which never finished for a container with 12,000 env vars
 * (found by admission fuzzing).
 */
final class TreeDiff {
  private TreeDiff() {}

  static void diff(JsonNode before, JsonNode after, String path, ArrayNode ops) {
    if (before.equals(after)) {
      return;
    }
    if (before.isObject() && after.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String at = path + "/" + escape(field.getKey());
        JsonNode next = after.get(field.getKey());
        if (next == null) {
          ops.addObject().put("op", "remove").put("path", at);
        } else {
          diff(field.getValue(), next, at, ops);
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!before.has(field.getKey())) {
          ops.addObject()
              .put("op", "add")
              .put("path", path + "/" + escape(field.getKey()))
              .set("value", field.getValue());
        }
      }
      return;
    }
    if (before.isArray() && after.isArray() && grewAtTheEnd(before, after)) {
      for (int i = before.size(); i < after.size(); i++) {
        ops.addObject().put("op", "add").put("path", path + "/" + i).set("value", after.get(i));
      }
      return;
    }
    ops.addObject().put("op", "replace").put("path", path).set("value", after);
  }

  private static boolean grewAtTheEnd(JsonNode before, JsonNode after) {
    if (after.size() < before.size()) {
      return false;
    }
    for (int i = 0; i < before.size(); i++) {
      if (!before.get(i).equals(after.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** JSON Pointer escaping of one reference token (RFC 6901). */
  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
